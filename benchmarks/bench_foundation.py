"""Foundation figures: cold import time, full ingest, one retrieval (p50 over 100), in a fresh data dir.

Run: .venv/bin/python benchmarks/bench_foundation.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def cold_import_s(module: str, repeats: int = 5) -> float:
    """Median wall time of `python -c 'import MODULE'` in a fresh interpreter."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    baseline = cold_import_s("json")
    package = cold_import_s("interviewer.cli")
    print(f"cold import: interviewer.cli {package:.3f}s vs bare python (import json) {baseline:.3f}s "
          f"-> {package / baseline:.1f}x")  # fmt: skip

    from interviewer.config import Settings
    from interviewer.services import Services
    from interviewer.store import QuestionStore

    with tempfile.TemporaryDirectory() as data_dir:
        services = Services(Settings(data_dir=Path(data_dir)), use_configured_llm=False)
        bank, embedder = services.bank, services.embedder
        started = time.perf_counter()
        store = QuestionStore(services.settings, embedder)
        summary = store.ingest(bank)
        full = time.perf_counter() - started
        started = time.perf_counter()
        again = QuestionStore(services.settings, embedder).ingest(bank)
        noop = time.perf_counter() - started
        print(f"full ingest: {len(summary.added)} questions, {summary.documents_embedded} documents in {full:.2f}s "
              f"(model load included); second ingest {noop:.3f}s, changed={again.changed}")  # fmt: skip

        queries = [q.spoken[0] for q in bank.questions] + [a for q in bank.questions for a in q.aliases[:2]]
        queries = [f"{text} please" for text in queries][:100]  # new texts: no embedding cache hits
        times = []
        for text in queries:
            started = time.perf_counter()
            store.match(text)
            times.append(time.perf_counter() - started)
        times.sort()
        print(f"retrieval (match), {len(times)} queries: p50 {statistics.median(times) * 1000:.1f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
