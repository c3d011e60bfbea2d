"""What an answer is graded against: a bank question, or an external reference."""

from __future__ import annotations

from interviewer.bank import Bank, Question
from interviewer.grading.features import derive_key_points
from interviewer.grading.models import GradingTarget, TrueStatement, WrongVersion
from interviewer.grading.truth import sentences


def target_for_question(bank: Bank, question_id: str) -> GradingTarget:
    """A bank question; what its related questions hold true or wrong helps judge statements about their ideas
    (an answer on bias that defines variance correctly says nothing false), and their misconceptions are heard
    too (a wrong idea is written once, in the question it fits best, but candidates say it elsewhere)."""
    question = bank.get(question_id)
    related = [bank.get(r) for r in question.related if r in bank]
    return GradingTarget(
        question_id=question.id,
        question_text=question.text,
        kind=question.kind,
        reference_answer=question.reference_answer,
        key_points=question.key_points,
        misconceptions=[m for q in (question, *related) for m in q.misconceptions],
        truths=[t for q in (question, *related) for t in _true_statements(q)],
        wrong_versions=[w for q in (question, *related) for w in _wrong_statements(q)],
    )


def _true_statements(question: Question) -> list[TrueStatement]:
    points = [TrueStatement(text=p.text, key_point=True) for p in question.key_points]
    hints = [
        TrueStatement(text=h, key_point=False) for p in question.key_points for h in p.hints if len(h.split()) >= 3
    ]
    return points + hints + [TrueStatement(text=s, key_point=False) for s in sentences(question.reference_answer)]


def _wrong_statements(question: Question) -> list[WrongVersion]:
    contrasts = [WrongVersion(said=c, right=p.text) for p in question.key_points for c in p.contrasts]
    return contrasts + [WrongVersion(said=m.belief, right=m.correction) for m in question.misconceptions]


def target_for_reference(question_text: str, reference: str, question_id: str | None = None) -> GradingTarget:
    """An item that brings its own reference answer: grade against it, key points derived from it."""
    return GradingTarget(
        question_id=question_id,
        question_text=question_text,
        reference_answer=reference,
        key_points=derive_key_points(reference),
        external=True,
    )
