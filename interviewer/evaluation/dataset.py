"""`interviewer eval grader --dataset FILE.jsonl`: grade every item alone, compare with human scores."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from pydantic import BaseModel, ConfigDict, Field, model_validator

from interviewer.errors import SetupError
from interviewer.evaluation.jsonl import read_jsonl
from interviewer.grading.service import GradingService
from interviewer.metrics import clean, mae, pearson, qwk, rmse, spearman


class LabelledItem(BaseModel):
    """One line of a labelled grading file (DESIGN.md contract)."""

    model_config = ConfigDict(extra="ignore")
    question: str = Field(min_length=1)
    answer: str | None = None
    student_answer: str | None = None
    reference_answer: str | None = None
    reference_answers: list[str] = Field(default_factory=list)
    score: float
    max_score: float = Field(default=5.0, gt=0)
    id: str | int | None = None

    @model_validator(mode="after")
    def _has_answer(self) -> LabelledItem:
        if self.answer is None and self.student_answer is None:
            raise ValueError("needs 'answer' or 'student_answer'")
        return self

    @property
    def text(self) -> str:
        return self.answer if self.answer is not None else self.student_answer or ""

    @property
    def references(self) -> list[str]:
        """Every reference answer the item brings, each once (none: the bank question is graded against)."""
        given = [self.reference_answer or "", *self.reference_answers]
        return list(dict.fromkeys(r.strip() for r in given if r and r.strip()))

    @property
    def score_true(self) -> float:
        return self.score * 5.0 / self.max_score


def read_items(path: Path) -> list[LabelledItem]:
    """Parse a labelled JSONL file; a bad line raises SetupError naming the file and line."""
    items = read_jsonl(path, LabelledItem)
    if not items:
        raise SetupError(f"{path}: no items (expected one JSON object per line)")
    return items


class GradedItem(TypedDict):
    """One item's grade beside its human score (all but `answer` are printed with `--json`)."""

    id: str | int
    score_true: float
    score_pred: float
    question_id: str | None
    flags: list[str]
    covered: list[str]
    contradicted: list[str]
    missed: list[str]
    misconceptions: list[str]
    answer: str


@dataclass
class DatasetResult:
    n: int
    pearson: float | None
    spearman: float | None
    rmse: float | None
    mae: float | None
    qwk: float | None
    items: list[GradedItem]

    def to_json(self) -> dict[str, Any]:
        summary = {k: v for k, v in self.__dict__.items() if k != "items"}
        keep = ("id", "score_true", "score_pred", "question_id", "flags", "covered", "contradicted", "missed",
                "misconceptions")  # fmt: skip
        return summary | {"items": [{k: v for k, v in item.items() if k in keep} for item in self.items]}

    def worst(self, k: int = 10) -> list[GradedItem]:
        return sorted(self.items, key=lambda i: -abs(i["score_true"] - i["score_pred"]))[:k]


def evaluate_dataset(path: Path, grading: GradingService) -> DatasetResult:
    """Each item graded alone, exactly as `interviewer grade` would grade it."""
    items = read_items(path)
    out: list[GradedItem] = []
    for index, item in enumerate(items):
        grade = grading.grade_best(item.question, item.references, item.text)
        out.append({
            "id": item.id if item.id is not None else index,
            "score_true": round(item.score_true, 3),
            "score_pred": grade.score,
            "question_id": grade.question_id,
            "flags": list(grade.flags),
            "covered": [c.id for c in grade.covered],
            "contradicted": [c.id for c in grade.contradicted],
            "missed": [m.id for m in grade.missed],
            "misconceptions": [m.id for m in grade.misconceptions],
            "answer": item.text[:300],
        })  # fmt: skip
    truth = [i["score_true"] for i in out]
    pred = [i["score_pred"] for i in out]
    return DatasetResult(
        n=len(out),
        pearson=clean(pearson(truth, pred)),
        spearman=clean(spearman(truth, pred)),
        rmse=clean(rmse(truth, pred)),
        mae=clean(mae(truth, pred)),
        qwk=clean(qwk(truth, pred)),
        items=out,
    )
