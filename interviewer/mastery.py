"""What a candidate knows, key point by key point, and when each weak one is due again (FSRS via `fsrs`).

Every graded question updates the mastery of each of its key points: covered in the first answer, covered only
after a prompt (a follow-up or a retry), missed, or contradicted. The outcome becomes an FSRS rating and the
scheduler decides the next due date. A missed or contradicted point is due at once (the next review brings it
back); a prompted point, or a minor point missed in a strong answer, half a day later; a covered one a day later,
then further out with each success. Pure functions over typed records: storage.py persists them with the user's turns.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from fsrs import Card, Rating, Scheduler
from pydantic import BaseModel, Field

from interviewer.bank import Bank
from interviewer.errors import InterviewerError
from interviewer.session import STRONG_SCORE, PlannedQuestion, QuestionResult

Outcome = Literal["covered", "prompted", "missed", "contradicted"]
WEAK: frozenset[Outcome] = frozenset({"prompted", "missed", "contradicted"})

# The learning steps: a lapse is due again now (an interview, not a minute, is the unit of practice), a
# hesitant recall at the midpoint of the two steps (12 h), a first success a day later, then FSRS's intervals.
_SCHEDULER = Scheduler(learning_steps=(timedelta(0), timedelta(days=1)), relearning_steps=(timedelta(0),),
                       enable_fuzzing=False)  # fmt: skip
# Why a point comes back, as the interviewer says it when it asks the question again.
_WHY: dict[Outcome, str] = {
    "missed": "last time you missed this",
    "contradicted": "last time you said the opposite of this",
    "prompted": "last time this came only after a prompt",
}


class NothingToReview(InterviewerError):
    """A review was asked for and no key point of that user is due (or the user has no history yet)."""


class PointOutcome(BaseModel):
    """How one key point fared in one graded question."""

    question_id: str
    key_point_id: str
    outcome: Outcome
    minor: bool = False  # missed in an otherwise strong answer


class PointMastery(BaseModel):
    """Where one key point stands for one user: its last outcome, its FSRS card and when it is due."""

    question_id: str
    key_point_id: str
    outcome: Outcome
    due: datetime
    reviews: int = 1
    card: dict[str, Any] = Field(default_factory=dict)
    updated_at: datetime

    @property
    def weak(self) -> bool:
        return self.outcome in WEAK


class MasteryEvent(BaseModel):
    """One outcome as it happened (the history the progress view plots)."""

    question_id: str
    key_point_id: str
    outcome: Outcome
    at: datetime
    session_id: str = ""


def outcomes_of(result: QuestionResult) -> list[PointOutcome]:
    """Each key point's outcome in a question's final result; nothing for a skip or a question never answered.

    Covered means covered in the first graded answer; covered later (a follow-up, a retry after the model answer
    was shown) is prompted. Contradicted is said wrongly in any answer and never covered."""
    first = result.attempts[0].grade if result.attempts else result.grade
    if result.skipped or first is None:
        return []
    grades = [g for attempt in (*result.attempts, result.latest) for g in attempt.grades]
    first_covered = {c.id for c in first.covered}
    contradicted = {c.id for g in grades for c in g.contradicted} - set(result.covered)
    strong = result.score >= STRONG_SCORE
    points = [*result.covered, *result.missed, *sorted(contradicted - set(result.missed))]
    outcomes = []
    for point_id in dict.fromkeys(points):
        if point_id in first_covered:
            outcome: Outcome = "covered"
        elif point_id in result.covered:
            outcome = "prompted"
        else:
            outcome = "contradicted" if point_id in contradicted else "missed"
        outcomes.append(PointOutcome(question_id=result.question_id, key_point_id=point_id, outcome=outcome,
                                     minor=strong and outcome == "missed"))  # fmt: skip
    return outcomes


def _rating(outcome: PointOutcome) -> Rating:
    if outcome.outcome == "covered":
        return Rating.Good
    if outcome.outcome == "prompted" or outcome.minor:
        return Rating.Hard
    return Rating.Again


def reviewed(previous: PointMastery | None, outcome: PointOutcome, at: datetime) -> PointMastery:
    """The point's mastery after this outcome: its card reviewed with the outcome's rating."""
    # A new card gets id 0: the database row is its identity (and Card() without an id sleeps 1 ms to make one).
    card = Card.from_dict(previous.card) if previous else Card(card_id=0)  # type: ignore[arg-type]
    card, _ = _SCHEDULER.review_card(card, _rating(outcome), at)
    return PointMastery(question_id=outcome.question_id, key_point_id=outcome.key_point_id, outcome=outcome.outcome,
                        due=card.due, reviews=(previous.reviews + 1) if previous else 1,
                        card=dict(card.to_dict()), updated_at=at)  # fmt: skip


def due_points(points: Iterable[PointMastery], now: datetime | None = None) -> list[PointMastery]:
    """The weak points due by `now`, most overdue first."""
    now = now or datetime.now(UTC)
    return sorted((p for p in points if p.weak and _aware(p.due) <= now), key=lambda p: _aware(p.due))


def review_plan(points: list[PointMastery], bank: Bank, tracks: list[str], limit: int,
                now: datetime | None = None) -> list[PlannedQuestion]:  # fmt: skip
    """The questions to review: those with a weak key point due (in the chosen tracks, still in the bank), the
    most overdue first, each with why it was chosen. NothingToReview says when the next one is due."""
    known = {q.id: q for q in bank.questions if q.track in tracks}
    due = [p for p in due_points(points, now) if p.question_id in known]
    plan: dict[str, PlannedQuestion] = {}
    for point in due:
        if point.question_id in plan or len(plan) >= limit:
            continue
        question = known[point.question_id]
        key_point = next((k for k in question.key_points if k.id == point.key_point_id), None)
        if key_point is None:  # the bank was edited since: the point is gone
            continue
        plan[question.id] = PlannedQuestion(question_id=question.id,
                                            reason=f"{_WHY[point.outcome]}: {key_point.text}")  # fmt: skip
    if plan:
        return list(plan.values())
    if not points:
        raise NothingToReview("no history yet: finish an interview first, then review your weak spots")
    upcoming = sorted((p for p in points if p.weak and p.question_id in known), key=lambda p: _aware(p.due))
    when = f"; the next one is due {_aware(upcoming[0].due):%Y-%m-%d %H:%M} UTC" if upcoming else ""
    more = "" if set(tracks) >= set(bank.tracks) else " (choose more tracks to look there too)"
    raise NothingToReview(f"nothing is due for review in the chosen tracks{when}{more}")


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for what was stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
