"""The project's eval suites: each reads its cases under evals/ and returns metrics and failed cases."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interviewer.errors import SetupError
from interviewer.metrics import clean, pearson, spearman
from interviewer.services import Services


@dataclass
class SuiteResult:
    suite: str
    cases: int
    passed: int
    metrics: dict[str, float | None]
    failures: list[dict] = field(default_factory=list)
    threshold_failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.threshold_failures

    def to_json(self) -> dict:
        return {
            "cases": self.cases,
            "passed": self.passed,
            "metrics": self.metrics,
            "failures": self.failures,
            "thresholds_failed": self.threshold_failures,
            "ok": self.ok,
        }


class RetrievalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    text: str = Field(min_length=1)
    expected: str | None
    also: list[str] = Field(default_factory=list)


class GraderCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question_id: str
    answer: str
    kind: str
    min: float = Field(ge=0, le=5)
    max: float = Field(ge=0, le=5)
    expected: float = Field(ge=0, le=5)
    note: str = ""


def read_cases(path: Path, model: type[BaseModel]) -> list:
    """Cases of one JSONL file; a malformed line is a SetupError naming file, line and field."""
    if not path.is_file():
        raise SetupError(f"{path}: eval case file is missing")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise SetupError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            raise SetupError(f"{path}:{number}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from None
    return cases


def retrieval_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, RetrievalCase) if not pattern or pattern in c.id]
        store = services.store
        hits = negatives = rejected = 0
        failures = []
        for case in cases:
            found = store.match(case.text)
            got = found.question_id if found else None
            good = {case.expected, *case.also} if case.expected else {None}
            if case.expected is None:
                negatives += 1
                rejected += got is None
            else:
                hits += got in good
            if got not in good:
                failures.append({"id": case.id, "reason": f"matched {got!r}, expected {case.expected!r}",
                                 "text": case.text})  # fmt: skip
        positives = len(cases) - negatives
        metrics = {
            "top1_accuracy": clean(hits / positives) if positives else None,
            "negatives_rejected": clean(rejected / negatives) if negatives else None,
        }
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


def grader_suite(path: Path) -> Callable[[Services, str | None], SuiteResult]:
    def run(services: Services, pattern: str | None) -> SuiteResult:
        cases = [c for c in read_cases(path, GraderCase) if not pattern or pattern in c.id]
        grading = services.grading
        expected, predicted, failures, adversarial = [], [], [], []
        by_kind: dict[str, list[float]] = {}
        for case in cases:
            if case.question_id not in services.bank:
                raise SetupError(f"{path}: {case.id}: unknown question id {case.question_id!r}")
            grade = grading.grade(grading.resolve(question_id=case.question_id), case.answer)
            expected.append(case.expected)
            predicted.append(grade.score)
            by_kind.setdefault(case.kind, []).append(grade.score)
            if case.kind == "adversarial":
                adversarial.append(grade.score)
            if not case.min - 0.5 <= grade.score <= case.max + 0.5:
                failures.append({"id": case.id, "reason": f"scored {grade.score:g}, expected {case.min:g}-{case.max:g}",
                                 "answer": case.answer[:300], "expected": case.expected, "predicted": grade.score,
                                 "flags": grade.flags})  # fmt: skip
        metrics = {
            "spearman": clean(spearman(expected, predicted)),
            "pearson": clean(pearson(expected, predicted)),
            "range_hit_rate": clean(1 - len(failures) / len(cases)) if cases else None,
            "adversarial_max": max(adversarial) if adversarial else None,
        }
        metrics |= {f"mean_{kind}": clean(sum(v) / len(v)) for kind, v in sorted(by_kind.items())}
        return SuiteResult(path.stem, len(cases), len(cases) - len(failures), metrics, failures)

    return run


def all_suites(evals_dir: Path) -> dict[str, Callable[[Services, str | None], SuiteResult]]:
    return {
        "retrieval": retrieval_suite(evals_dir / "retrieval" / "paraphrases.jsonl"),
        "retrieval-heldout": retrieval_suite(evals_dir / "retrieval" / "heldout.jsonl"),
        "grader": grader_suite(evals_dir / "grader" / "answers.jsonl"),
        "grader-heldout": grader_suite(evals_dir / "grader" / "heldout.jsonl"),
    }
