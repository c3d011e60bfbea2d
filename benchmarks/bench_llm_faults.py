"""What each LLM fault costs: the real ChatOpenAI client against the scripted server in tests/fake_openai.py.

Run: .venv/bin/python benchmarks/bench_llm_faults.py [TIMEOUT_S]
Per case: the outcome (the grader used, or the fallback reason), the latency the LLM path adds to the offline
grade alone, the requests the server saw, and one interview turn (grade + rephrase) under the same fault.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.fake_openai

from interviewer.config import Settings  # noqa: E402
from interviewer.grading.targets import target_for_question  # noqa: E402
from interviewer.services import Services  # noqa: E402
from interviewer.session import SessionConfig  # noqa: E402
from tests.fake_openai import FAULTS, UNSCRIPTED, VALID_GRADE, Behaviour, FakeOpenAI, closed_port_url, ok  # noqa: E402

QID = "intermediate-01-overfitting"
ANSWER = "overfitting is when the model memorises noise in the training data and fails on new data"
LONG_ANSWER = (
    "overfitting is when the model memorises the noise in its training data instead of the real pattern, "
    "so the training error is low but the validation error is much higher and it fails on new data"
)


def main() -> None:
    timeout_s = float(sys.argv[1]) if len(sys.argv) > 1 else 1.5
    cases: list[tuple[str, Behaviour | None]] = [("valid_reply", ok(VALID_GRADE))]
    cases += [(f.name, f.behaviour) for f in FAULTS]
    with tempfile.TemporaryDirectory() as tmp:
        base = Services(Settings(data_dir=Path(tmp)), use_configured_llm=False)
        target = target_for_question(base.bank, QID)
        base.store  # noqa: B018 - ingest before timing
        offline = []
        for _ in range(6):
            started = time.perf_counter()
            base.grading.grade(target, ANSWER)
            offline.append(time.perf_counter() - started)
        offline_s = statistics.median(offline[1:])  # the first call warms the reference
        print(f"llm_timeout_s={timeout_s:g}, llm_max_retries=1; offline grade alone {offline_s * 1000:.0f} ms\n")
        print(f"{'case':<13} {'outcome':<58} {'added s':>7} {'requests':>8} {'turn s':>7}")
        for n, (name, behaviour) in enumerate(cases):
            with FakeOpenAI(default=behaviour or UNSCRIPTED) as fake:
                url = fake.base_url if behaviour else closed_port_url()
                settings = base.settings.model_copy(update={
                    "llm_base_url": url, "llm_api_key": "test", "llm_model": "fake-model", "llm_timeout_s": timeout_s,
                    "llm_max_retries": 1, "database_url": f"sqlite:///{Path(tmp) / f'{n}.sqlite'}",
                })  # fmt: skip
                services = Services(settings)
                for attr in ("bank", "local_embedder", "store"):
                    services.__dict__[attr] = getattr(base, attr)
                services.grading.offline_only().grade(target, "warm up")
                started = time.perf_counter()
                grade = services.grading.grade(target, ANSWER)
                added = time.perf_counter() - started - offline_s
                requests = len(fake.requests)
                opening = services.interview.begin(SessionConfig(question_ids=[QID]))
                started = time.perf_counter()
                services.interview.respond(opening.session_id, LONG_ANSWER)
                turn = time.perf_counter() - started
            reason = next((note.removeprefix("LLM not used: ") for note in grade.notes if note.startswith("LLM not used")),
                          f"used {grade.grader} (score {grade.score:g})")  # fmt: skip
            print(f"{name:<13} {reason[:58]:<58} {added:>7.2f} {requests:>8} {turn:>7.2f}")


if __name__ == "__main__":
    main()
