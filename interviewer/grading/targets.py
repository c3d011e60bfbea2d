"""What an answer is graded against: a bank question, or an external reference."""

from __future__ import annotations

from interviewer.bank import Question
from interviewer.grading.features import derive_key_points
from interviewer.grading.models import GradingTarget


def target_for_question(question: Question) -> GradingTarget:
    return GradingTarget(
        question_id=question.id,
        question_text=question.text,
        kind=question.kind,
        reference_answer=question.reference_answer,
        key_points=question.key_points,
        misconceptions=question.misconceptions,
    )


def target_for_reference(question_text: str, reference: str, question_id: str | None = None) -> GradingTarget:
    """An item that brings its own reference answer: grade against it, key points derived from it."""
    return GradingTarget(
        question_id=question_id,
        question_text=question_text,
        reference_answer=reference,
        key_points=derive_key_points(reference),
        external=True,
    )
