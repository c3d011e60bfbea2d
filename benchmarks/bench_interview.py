"""Per-turn latency of the offline interviewer (classify + grade + decide + phrase + commit to SQLite).

Run: .venv/bin/python benchmarks/bench_interview.py
One interview over every question (39: the two reinforcement-learning entries count as one), answered with
held-out answers, follow-ups on; p50/p95 over all turns, beside the cost of the SQLite commit alone.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from interviewer.config import DEFAULT_EVALS_DIR, Settings
from interviewer.services import Services
from interviewer.session import SessionConfig


def main() -> None:
    answers: dict[str, list[str]] = {}
    for line in (DEFAULT_EVALS_DIR / "grader" / "heldout.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item["kind"] != "adversarial":
            answers.setdefault(item["question_id"], []).append(item["answer"])
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(data_dir=Path(tmp)), use_configured_llm=False)
        interview = services.interview
        services.store  # noqa: B018 - ingest before timing
        opening = interview.begin(SessionConfig(questions=40, seed=1, follow_ups=1))
        for question in services.bank.questions:  # warm each reference once, as a running app would have
            services.grading.grade(services.grading.resolve(question_id=question.id), "warm up")
        times, commits, state = [], [], opening.state
        while not state.done:
            pool = answers.get(state.current_id) or ["I don't know"]
            text = pool[len(times) % len(pool)]
            started = time.perf_counter()
            outcome = interview.respond(opening.session_id, text)
            times.append(time.perf_counter() - started)
            state = outcome.state
            started = time.perf_counter()
            services.storage.record_turn(opening.session_id, outcome.turn, state)  # the commit alone, for scale
            commits.append(time.perf_counter() - started)
        times.sort()
        print(f"offline interviewer, {len(state.results)} questions, {len(times)} turns: per turn p50 "
              f"{statistics.median(times) * 1000:.1f} ms, p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms, "
              f"max {times[-1] * 1000:.1f} ms; SQLite commit alone p50 {statistics.median(commits) * 1000:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
