"""Per-turn latency that practice memory adds, side by side in one process: the same scripted interviews with and
without the key-point mastery write (the FSRS review of every key point of a finished question, in the turn's
transaction); and what choosing questions costs (a review from 50 graded questions, a job description).

Run: .venv/bin/python benchmarks/bench_practice_memory.py
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from interviewer.config import DEFAULT_EVALS_DIR, Settings
from interviewer.job_fit import job_plan
from interviewer.mastery import review_plan
from interviewer.services import Services
from interviewer.session import TRACKS, SessionConfig
from interviewer.storage import Storage

ROUNDS = 4


def _answers() -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for line in (DEFAULT_EVALS_DIR / "grader" / "heldout.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item["kind"] != "adversarial":
            answers.setdefault(item["question_id"], []).append(item["answer"])
    return answers


def _interview(services: Services, answers: dict[str, list[str]], user: str) -> list[float]:
    interview = services.interview
    opening = interview.begin(SessionConfig(questions=12, seed=1, follow_ups=1), user=user)
    times: list[float] = []
    state = opening.state
    while not state.done:
        pool = answers.get(state.current_id or "") or ["I don't know"]
        started = time.perf_counter()
        state = interview.respond(opening.session_id, pool[len(times) % len(pool)]).state
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    answers = _answers()
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(data_dir=Path(tmp)), use_configured_llm=False)
        services.store  # noqa: B018 - ingest before timing
        for question in services.bank.questions:  # warm each reference once, as a running app would have
            services.grading.grade(services.grading.resolve(question_id=question.id), "warm up")
        original = Storage.record_turn

        def without_mastery(self: Storage, *args: Any, **kwargs: Any) -> Any:
            kwargs["outcomes"] = None
            return original(self, *args, **kwargs)

        _interview(services, answers, "warm-up")  # every answer embedded once: later runs hit the same caches
        with_memory: list[float] = []
        baseline: list[float] = []
        for n in range(ROUNDS):  # A B, B A, ...: neither order nor the machine's drift favours one
            for kind in ("with", "base") if n % 2 == 0 else ("base", "with"):
                Storage.record_turn = original if kind == "with" else without_mastery  # type: ignore[method-assign]
                (with_memory if kind == "with" else baseline).extend(_interview(services, answers, f"{kind}-{n}"))
            Storage.record_turn = original  # type: ignore[method-assign]
        mastery = services.storage.mastery("with-0")
        started = time.perf_counter()
        review_plan(mastery, services.bank, list(TRACKS), 5)
        review_ms = (time.perf_counter() - started) * 1000
        description = (DEFAULT_EVALS_DIR / "jobs" / "dev.jsonl").read_text().splitlines()[0]
        started = time.perf_counter()
        job_plan(json.loads(description)["description"], services.store.about, services.bank, list(TRACKS), 5)
        job_ms = (time.perf_counter() - started) * 1000
    p50_with, p50_base = statistics.median(with_memory), statistics.median(baseline)
    print(f"{len(with_memory)} turns each: per turn p50 {p50_with * 1000:.1f} ms with mastery, {p50_base * 1000:.1f} ms "
          f"without (ratio {p50_with / p50_base:.3f}); mean {statistics.mean(with_memory) * 1000:.1f} vs "
          f"{statistics.mean(baseline) * 1000:.1f} ms; review plan from {len(mastery)} key points {review_ms:.1f} ms; "
          f"job plan {job_ms:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
