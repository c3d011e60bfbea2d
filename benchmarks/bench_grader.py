"""Offline grading latency (p50/p95 per answer, models loaded) and peak memory.

Run: .venv/bin/python benchmarks/bench_grader.py [evals/grader/heldout.jsonl]
Each answer is graded once cold per question (first answer for a question warms its reference) and the
figures are reported for warm answers, which is what a running app sees.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

from interviewer.bank import load_bank
from interviewer.config import DEFAULT_BANK_DIR, DEFAULT_EVALS_DIR
from interviewer.embeddings import LocalEmbedder
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.service import GradingService
from interviewer.grading.targets import target_for_question


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVALS_DIR / "grader" / "heldout.jsonl"
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    bank = load_bank(sorted(DEFAULT_BANK_DIR.glob("*.yaml")))
    started = time.perf_counter()
    grader = GradingService(bank, None, OfflineGrader(LocalEmbedder()))  # the offline pipeline, guards included
    grader.grade(target_for_question(bank, bank.questions[0].id), "warm up the model")
    load = time.perf_counter() - started
    targets = {q.id: target_for_question(bank, q.id) for q in bank.questions}
    for target in targets.values():  # what the app does at start: warm each reference once
        grader.grade(target, "warm up")
    warm = []
    for item in items:
        started = time.perf_counter()
        grader.grade(targets[item["question_id"]], item["answer"])
        warm.append(time.perf_counter() - started)
    warm.sort()
    words = statistics.median(len(i["answer"].split()) for i in items)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"offline grader on {len(items)} answers (median {words:.0f} words): "
          f"p50 {statistics.median(warm) * 1000:.1f} ms, p95 {warm[int(len(warm) * 0.95) - 1] * 1000:.1f} ms, "
          f"max {warm[-1] * 1000:.1f} ms; model load {load:.2f}s; peak RSS {peak_mb:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
