"""Feedback sentences read as a person would say them, for every key point and correction in the bank."""

from __future__ import annotations

import re

import pytest

from interviewer.grading import feedback
from interviewer.grading.feedback import write_feedback
from interviewer.grading.models import CoveredPoint, HeardMisconception, MissedPoint
from interviewer.wording import as_sentence


def _points(bank):
    return [(q.id, p) for q in bank.questions for p in q.key_points]


def _well_formed(line: str, inserted: str) -> None:
    head, _, tail = line.partition(": ")
    assert tail, f"the key point follows a colon: {line!r}"
    assert tail[0].isupper() or tail[0].isdigit() or not tail[0].isalpha(), f"a sentence of its own: {line!r}"
    assert tail.endswith(".") and not tail.endswith(".."), line
    assert " ".join(inserted.split()).rstrip(" .;,")[1:] in tail, "the key point is kept whole"


@pytest.mark.parametrize("templates", [feedback._PRAISE, feedback._ADD], ids=["praise", "add"])
def test_every_key_point_fits_every_template(bank, templates):
    for _, point in _points(bank):
        for template in templates:
            _well_formed(template.format(point=as_sentence(point.text)), point.text)


def test_every_correction_fits_its_sentence(bank):
    for question in bank.questions:
        for item in question.misconceptions:
            text = write_feedback(2.0, [], [], [HeardMisconception(id=item.id, belief=item.belief,
                                                                    correction=item.correction)], [], "s")  # fmt: skip
            _well_formed(text, item.correction)


def test_feedback_names_what_was_good_and_what_to_add_in_whole_sentences(bank):
    question = bank.get("intermediate-02-avoid-overfitting")
    first, second = question.key_points[:2]
    text = write_feedback(3.0, [CoveredPoint(id=first.id, text=first.text, evidence="x")],
                          [MissedPoint(id=second.id, text=second.text)], [], [], seed="q")  # fmt: skip
    sentences = re.split(r"(?<=\.)\s+(?=[A-Z])", text)
    assert len(sentences) == 2 and all(": " in s for s in sentences)
    assert "that use" not in text.lower()
