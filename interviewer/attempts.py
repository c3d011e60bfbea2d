"""Attempts at one question and what changed between two of them (retry and compare, in practice mode)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from interviewer.grading.models import Grade
from interviewer.wording import inside_sentence


class Attempt(BaseModel):
    """One attempt at a question as it was graded: its first answer's grade, then what follow-ups added."""

    grade: Grade | None = None
    follow_up_grades: list[Grade] = Field(default_factory=list)
    score: float = 0.0
    covered: list[str] = Field(default_factory=list)  # key point ids, after follow-ups
    missed: list[str] = Field(default_factory=list)

    @property
    def grades(self) -> list[Grade]:
        """Every grade of this attempt: its first answer's, then its follow-ups'."""
        return [g for g in (self.grade, *self.follow_up_grades) if g is not None]

    @property
    def misconceptions(self) -> list[str]:
        """The misconceptions heard in this attempt (ids, first answer and follow-ups)."""
        return list(dict.fromkeys(m.id for g in self.grades for m in g.misconceptions))


class Comparison(BaseModel):
    """The latest attempt beside the one before it."""

    score_then: float
    score_now: float
    newly_covered: list[str] = Field(default_factory=list)  # key point texts
    still_missing: list[str] = Field(default_factory=list)
    no_longer_covered: list[str] = Field(default_factory=list)
    misconceptions_gone: list[str] = Field(default_factory=list)  # beliefs
    misconceptions_new: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        """One spoken line, short enough to say: the two scores, then the first of each kind of change."""
        parts = [f"Last time {self.score_then:g} out of 5, this time {self.score_now:g}."]
        for label, items in (("Newly covered:", self.newly_covered), ("Gone is the belief that", self.misconceptions_gone),
                             ("New this time, the belief that", self.misconceptions_new),
                             ("Still missing:", self.still_missing)):  # fmt: skip
            if items:
                more = f", and {len(items) - 1} more" if len(items) > 1 else ""
                parts.append(f"{label} {_spoken(items[0])}{more}.")
        if not (self.newly_covered or self.misconceptions_gone or self.still_missing):
            parts.append("The same ground as before.")
        return " ".join(parts)


def compare(before: Attempt, now: Attempt, point_texts: dict[str, str]) -> Comparison:
    """What changed from `before` to `now`; key points named by their text (`point_texts`: id -> text)."""
    beliefs = {m.id: m.belief for g in before.grades + now.grades for m in g.misconceptions}
    then_heard, now_heard = set(before.misconceptions), set(now.misconceptions)
    return Comparison(
        score_then=before.score,
        score_now=now.score,
        newly_covered=[point_texts[p] for p in now.covered if p not in before.covered and p in point_texts],
        still_missing=[point_texts[p] for p in now.missed if p in point_texts],
        no_longer_covered=[point_texts[p] for p in before.covered if p not in now.covered and p in point_texts],
        misconceptions_gone=[beliefs[m] for m in before.misconceptions if m not in now_heard],
        misconceptions_new=[beliefs[m] for m in now.misconceptions if m not in then_heard],
    )


def _spoken(text: str, words: int = 16) -> str:
    kept = inside_sentence(text).split()
    return " ".join(kept[:words]) + ("..." if len(kept) > words else "")
