"""The Grade and what a grader needs to produce it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from interviewer.bank import KeyPoint, Misconception

Band = Literal["no answer", "weak", "partial", "good", "strong"]


def band_for(score: float) -> Band:
    if score < 0.75:
        return "no answer" if score == 0 else "weak"
    if score < 2.0:
        return "weak"
    if score < 3.25:
        return "partial"
    if score < 4.25:
        return "good"
    return "strong"


def round_half(score: float) -> float:
    return float(min(5.0, max(0.0, round(score * 2) / 2)))


class CoveredPoint(BaseModel):
    id: str
    text: str
    evidence: str = Field(description="The words of the answer that show this point.")


class MissedPoint(BaseModel):
    id: str
    text: str


class ContradictedPoint(BaseModel):
    """A key point the answer states wrongly (swapped, reversed or negated): never also covered."""

    id: str
    text: str
    evidence: str = Field(description="The answer's statement that says it wrongly.")
    correction: str = Field(description="What is right.")


class HeardMisconception(BaseModel):
    id: str
    belief: str
    correction: str
    evidence: str = ""


class Grade(BaseModel):
    """The stable Grade JSON: what `grade --json` prints and `practice --json` embeds."""

    question_id: str | None
    question_text: str
    score: float = Field(ge=0, le=5)
    band: Band
    covered: list[CoveredPoint] = Field(default_factory=list)
    missed: list[MissedPoint] = Field(default_factory=list)
    contradicted: list[ContradictedPoint] = Field(default_factory=list)
    misconceptions: list[HeardMisconception] = Field(default_factory=list)
    feedback: str
    model_answer: str
    grader: str
    flags: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    fallback_reason: str | None = Field(default=None, description="Why a configured LLM's grade was not used.")

    @field_validator("score")
    @classmethod
    def _half_steps(cls, value: float) -> float:
        return round_half(value)


class TrueStatement(BaseModel):
    """A true statement about a question (truth.py): a key point, a hint of one, or a reference sentence."""

    text: str
    key_point: bool = Field(description="A key point's text: a whole statement, fit to tell a candidate what is right.")


class WrongVersion(BaseModel):
    """A wrong statement candidates make about a question, and what is right instead (truth.py)."""

    said: str
    right: str = Field(description="The true statement it gets wrong: its key point, or a misconception's correction.")


class GradingTarget(BaseModel):
    """What an answer is graded against: a bank question, or an external reference with derived key points."""

    question_id: str | None
    question_text: str
    kind: Literal["technical", "behavioral"] = "technical"
    reference_answer: str
    key_points: list[KeyPoint]
    misconceptions: list[Misconception] = Field(default_factory=list)
    truths: list[TrueStatement] = Field(default_factory=list, description="True statements about the question.")
    wrong_versions: list[WrongVersion] = Field(default_factory=list, description="Wrong statements candidates make.")
    external: bool = False
