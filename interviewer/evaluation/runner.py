"""Runs eval suites, checks thresholds, prints a table or one JSON object; returns the exit code."""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from interviewer.config import Settings
from interviewer.errors import SetupError
from interviewer.evaluation.suites import SuiteResult, all_suites
from interviewer.services import Services


def load_thresholds(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SetupError(f"{path}: cannot read thresholds ({exc})") from None
    for suite, metrics in data.items():
        for metric, bound in (metrics or {}).items():
            if not isinstance(bound, dict) or not set(bound) <= {"min", "max"} or not bound:
                raise SetupError(f"{path}: {suite}.{metric}: expected {{min: X}} and/or {{max: Y}}")
    return data


def check_thresholds(result: SuiteResult, bounds: dict[str, dict[str, float]]) -> list[str]:
    failed = []
    for metric, bound in bounds.items():
        value = result.metrics.get(metric)
        if value is None:
            failed.append(f"{result.suite}.{metric}: not measured")
        elif "min" in bound and value < bound["min"]:
            failed.append(f"{result.suite}.{metric} = {value:g} < {bound['min']:g}")
        elif "max" in bound and value > bound["max"]:
            failed.append(f"{result.suite}.{metric} = {value:g} > {bound['max']:g}")
    return failed


def run_suites(
    name: str | None, as_json: bool, console: Console, pattern: str | None = None, services: Services | None = None
) -> int:
    services = services or Services(Settings.load(), use_configured_llm=False)
    suites = all_suites(services.settings.evals_dir)
    if name is not None and name not in suites:
        raise SetupError(f"unknown suite {name!r}: choose from {', '.join(suites)}")
    thresholds = load_thresholds(services.settings.evals_dir / "thresholds.yaml")
    started = time.perf_counter()
    results = []
    for suite_name, run in suites.items():
        if name is None or name == suite_name:
            result = run(services, pattern)
            result.suite = suite_name
            result.threshold_failures = check_thresholds(result, thresholds.get(suite_name, {})) if not pattern else []
            results.append(result)
    elapsed = time.perf_counter() - started
    ok = all(r.ok for r in results)
    if as_json:
        print(json.dumps({"ok": ok, "wall_time_s": round(elapsed, 2),
                          "suites": {r.suite: r.to_json() for r in results}}))  # fmt: skip
    else:
        table = Table(title=f"interviewer eval ({elapsed:.1f}s)")
        for column in ("suite", "cases", "passed", "key figures", "thresholds"):
            table.add_column(column)
        for r in results:
            figures = ", ".join(f"{k} {v:g}" for k, v in r.metrics.items() if v is not None and not k.startswith("mean_"))
            table.add_row(r.suite, str(r.cases), str(r.passed), figures,
                          "[green]ok[/]" if r.ok else "[red]" + "; ".join(r.threshold_failures) + "[/]")  # fmt: skip
        console.print(table)
    return 0 if ok else 1
