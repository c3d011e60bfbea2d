"""Runs eval suites through a chosen model, checks thresholds, saves each run; tables, reports, comparisons."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from interviewer.config import Settings
from interviewer.errors import SetupError
from interviewer.evaluation.suites import SuiteResult, all_suites
from interviewer.services import Services


class EvalRun(BaseModel):
    """One run of the suites: what ran, through which model, on which prompts and bank, and the results."""

    model: str
    prompts_version: str
    bank_version: str
    started_at: str
    wall_time_s: float
    ok: bool
    suites: dict[str, dict[str, Any]]  # SuiteResult.to_json() of each suite (as saved: JSON)
    skipped: str | None = None


def load_thresholds(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SetupError(f"{path}: cannot read thresholds ({exc})") from None
    for suite, metrics in data.items():
        for metric, bound in (metrics or {}).items():
            if not isinstance(bound, dict) or not bound or not set(bound) <= {"min", "max"}:
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


def prompts_version(prompt_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(prompt_dir.glob("*.md")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def services_for(model: str, settings: Settings) -> Services | str:
    """Services whose grader and interviewer use `model`, or a reason to skip the run."""
    from interviewer.evaluation.mirror import mirror_model
    from interviewer.llm import get_model

    if model == "offline":
        return Services(settings, use_configured_llm=False)
    if model == "stub":
        offline = Services(settings, use_configured_llm=False)
        return offline.sharing_models(settings, mirror_model(offline.grading))
    if (model == "openai" or model.startswith("openai:")) and not settings.llm_api_key:
        return f"skipped {model}: no API key (set INTERVIEWER_LLM_API_KEY or OPENAI_API_KEY)"
    return Services(settings, chat_model=get_model(model, settings), use_configured_llm=False)


def run_evals(settings: Settings, suite: str | None = None, pattern: str | None = None, model: str = "offline",
              services: Services | None = None) -> EvalRun:  # fmt: skip
    suites = all_suites(settings.evals_dir)
    if suite is not None and suite not in suites:
        raise SetupError(f"unknown suite {suite!r}: choose from {', '.join(suites)}")
    thresholds = load_thresholds(settings.evals_dir / "thresholds.yaml")
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    made = services or services_for(model, settings)
    if isinstance(made, str):
        return EvalRun(model=model, prompts_version=prompts_version(settings.prompt_dir), bank_version="-",
                       started_at=started_at, wall_time_s=0.0, ok=True, suites={}, skipped=made)  # fmt: skip
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    for name, run in suites.items():
        if suite is not None and name != suite:
            continue
        result = run(made, pattern)
        result.suite = name
        # A filtered run measures a subset: its figures are informative, not held to the thresholds.
        result.threshold_failures = [] if pattern else check_thresholds(result, thresholds.get(name, {}))
        results[name] = result.to_json()
    return EvalRun(
        model=model,
        prompts_version=prompts_version(settings.prompt_dir),
        bank_version=made.bank.version,
        started_at=started_at,
        wall_time_s=round(time.perf_counter() - started, 2),
        ok=all(r["ok"] for r in results.values()),
        suites=results,
    )


def save_run(run: EvalRun, runs_dir: Path) -> Path:
    runs_dir.mkdir(parents=True, exist_ok=True)
    safe_model = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run.model)[:40]
    path = runs_dir / f"{run.started_at.replace(':', '')}-{safe_model}-{run.prompts_version}.json"
    path.write_text(run.model_dump_json(indent=2))
    return path


def load_run(path: Path) -> EvalRun:
    try:
        return EvalRun.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SetupError(f"{path}: not a saved eval run ({exc})") from None


def _figures(metrics: dict[str, float | None]) -> str:
    return ", ".join(
        f"{k} {v:g}" for k, v in metrics.items() if isinstance(v, int | float) and not k.startswith("mean_")
    )


def print_run(console: Console, run: EvalRun) -> None:
    if run.skipped:
        console.print(run.skipped)
        return
    table = Table(title=f"interviewer eval · model {escape(run.model)} · {run.wall_time_s:.1f}s")
    for column in ("suite", "cases", "passed", "key figures", "thresholds"):
        table.add_column(column)
    for name, r in run.suites.items():
        verdict = "[green]ok[/]" if r["ok"] else "[red]" + escape("; ".join(r["thresholds_failed"])) + "[/]"
        table.add_row(name, str(r["cases"]), str(r["passed"]), _figures(r["metrics"]), verdict)
    console.print(table)


def print_comparison(console: Console, a: EvalRun, b: EvalRun) -> None:
    table = Table(title=f"{escape(a.model)} vs {escape(b.model)}")
    for column in ("suite", "metric", a.model, b.model, "change"):
        table.add_column(escape(column))
    for name in sorted(set(a.suites) | set(b.suites)):
        ma, mb = a.suites.get(name, {}).get("metrics", {}), b.suites.get(name, {}).get("metrics", {})
        for metric in sorted(set(ma) | set(mb)):
            va, vb = ma.get(metric), mb.get(metric)
            change = f"{vb - va:+.3g}" if isinstance(va, int | float) and isinstance(vb, int | float) else ""
            table.add_row(name, metric, "-" if va is None else f"{va:g}", "-" if vb is None else f"{vb:g}", change)
    console.print(table)
    console.print(f"prompts {a.prompts_version} vs {b.prompts_version}; bank {a.bank_version} vs {b.bank_version}")


def write_report(run: EvalRun, path: Path, worst: int = 8) -> None:
    """A readable Markdown report: a table per run, then the worst cases of each suite."""
    lines = [f"# Eval report: model {run.model}", "",
             f"Run {run.started_at}, {run.wall_time_s:.1f}s; prompts {run.prompts_version}; bank {run.bank_version}.", "",
             "| suite | cases | passed | key figures | thresholds |", "|---|---|---|---|---|"]  # fmt: skip
    for name, r in run.suites.items():
        verdict = "ok" if r["ok"] else "FAILED: " + "; ".join(r["thresholds_failed"])
        lines.append(f"| {name} | {r['cases']} | {r['passed']} | {_figures(r['metrics'])} | {verdict} |")
    for name, r in run.suites.items():
        failures = sorted(r["failures"], key=lambda f: -abs(f.get("expected", 0) - f.get("predicted", 0)))[:worst]
        if not failures:
            continue
        lines += [
            "",
            f"## Worst cases: {name}",
            "",
            "| id | expected | predicted | why | answer |",
            "|---|---|---|---|---|",
        ]
        for f in failures:
            answer = (f.get("answer") or f.get("text") or "").replace("|", "/").replace("\n", " ")[:160]
            lines.append(
                f"| {f['id']} | {f.get('expected', '')} | {f.get('predicted', '')} | {f['reason']} | {answer} |"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def dumps(run: EvalRun) -> str:
    return json.dumps(run.model_dump(mode="json"))
