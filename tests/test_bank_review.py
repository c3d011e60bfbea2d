"""The bank review (`interviewer bank check`): each rule catches what it names, and the shipped bank passes all."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.testing import CliRunner

from interviewer.bank import Bank, Misconception
from interviewer.bank_review import (
    both_spellings,
    cues_not_in_own_text,
    difficulty_given,
    follow_ups_stand_alone,
    hints_in_reference,
    misconceptions_told_once,
)
from interviewer.cli import app
from interviewer.config import DEFAULT_BANK_DIR


@pytest.fixture
def overfitting(bank):
    return bank.get("intermediate-01-overfitting")


def _with_point(question, **changes):
    point = question.key_points[0].model_copy(update=changes)
    return question.model_copy(update={"key_points": [point, *question.key_points[1:]]})


def test_a_key_point_whose_hints_the_reference_never_says_is_reported(overfitting):
    assert hints_in_reference(overfitting) == []
    unheard = _with_point(overfitting, hints=["quantum annealing schedule"])
    assert [p.split(":")[0] for p in hints_in_reference(unheard)] == [f"key point {overfitting.key_points[0].id}"]


def test_a_hint_in_a_british_or_american_spelling_of_the_reference_counts(overfitting):
    # the reference says "generalise": a hint spelled "generalize" is still found in it
    spelled = _with_point(overfitting, hints=["doesn't generalize"])
    assert "generalise" in overfitting.reference_answer and hints_in_reference(spelled) == []


def test_a_cue_that_the_correct_text_says_is_reported(overfitting):
    wrong = overfitting.misconceptions[0].model_copy(update={"cues": ["training error is low"]})
    said = overfitting.model_copy(update={"misconceptions": [wrong, *overfitting.misconceptions[1:]]})
    assert cues_not_in_own_text(overfitting) == [] and len(cues_not_in_own_text(said)) == 1


@pytest.mark.parametrize(
    ("text", "leans_back"),
    [
        ("How do the more sophisticated recurrent cells try to deal with that?", True),
        ("And what would you do differently?", True),
        ("Your classes overlap. How would an SVM cope with that?", False),
        ("What does Adam keep a running average of, and why does it need bias correction?", False),
    ],
)
def test_a_follow_up_must_say_what_it_asks_about(overfitting, text, leans_back):
    follow_up = overfitting.follow_ups[0].model_copy(update={"text": text})
    question = overfitting.model_copy(update={"follow_ups": [follow_up]})
    assert bool(follow_ups_stand_alone(question)) is leans_back


@pytest.mark.parametrize(
    ("hints", "missing"),
    [
        (["regularisation"], "regularization"),
        (["labeled data"], "labelled data"),
        (["behaviour policy"], "behavior policy"),
        (["regularisation", "regularization"], None),
        (["add noise to the input", "pairwise distances", "batch size"], None),  # one spelling each
        (["enter the data", "filled the gaps", "error rate"], None),  # look like a pair, are not
    ],
)
def test_a_hint_spelled_one_way_needs_the_other(overfitting, hints, missing):
    problems = both_spellings(_with_point(overfitting, hints=hints))
    assert [re.search(r"other spelling '(.+)'", p).group(1) for p in problems] == ([missing] if missing else [])


def test_a_question_without_a_difficulty_is_reported(tmp_path, overfitting):
    raw = overfitting.model_dump(exclude_defaults=True)
    raw.pop("difficulty", None)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"questions": [raw]}))
    assert difficulty_given([path]) == [f"{overfitting.id}: no difficulty: rate it 1 (easy) to 3 (hard)"]


def test_one_wrong_idea_in_two_questions_is_reported_even_in_other_words(bank, embedder):
    first, second = bank.get("intermediate-05-bias"), bank.get("intermediate-06-variance")
    told = Misconception(id="roc-fine", belief="ROC-AUC is a fine metric when positives are one in a thousand.",
                         correction="At that prevalence precision can be tiny while ROC-AUC looks excellent.",
                         cues=["roc-auc is fine for rare positives"])  # fmt: skip
    again = told.model_copy(update={"id": "auc-ok-rare", "belief": "ROC AUC works fine when positives are 1 in 1000."})
    twice = Bank(questions=[first.model_copy(update={"misconceptions": [*first.misconceptions, told]}),
                            second.model_copy(update={"misconceptions": [*second.misconceptions, again]})])  # fmt: skip
    assert misconceptions_told_once(Bank(questions=[first, second]), embedder) == []
    [problem] = misconceptions_told_once(twice, embedder)
    assert problem.startswith(f"{second.id}: misconception auc-ok-rare repeats {first.id}'s roc-fine")


def test_the_shipped_bank_passes_the_review():
    result = CliRunner().invoke(app, ["bank", "check"])
    assert result.exit_code == 0, result.output
    assert f"ok: {len(list(DEFAULT_BANK_DIR.glob('*.yaml')))} bank file(s) reviewed" in result.output


AUXILIARY = re.compile(r"\b(is|are|was|were|can|does|do|will|has|have|should|must|could|would|need|needs)\b")


def _negated(cue: str) -> str:
    """The cue said the other way: "l2 sets weights to zero" -> "it is a myth that l2 sets weights to zero"."""
    if found := AUXILIARY.search(cue):
        return f"{cue[: found.end()]} not{cue[found.end() :]}."
    return f"it is a myth that {cue}."


def test_no_misconception_is_heard_in_a_sentence_that_negates_its_cue(bank, grading):
    heard, plain = [], 0
    for question in bank.questions:
        target = grading.resolve(question_id=question.id)
        for item in question.misconceptions:
            for cue in item.cues:
                if item.id in {m.id for m in grading.grade(target, _negated(cue)).misconceptions}:
                    heard.append(f"{question.id}: {_negated(cue)}")
                plain += item.id in {m.id for m in grading.grade(target, f"I think {cue}.").misconceptions}
    assert heard == []
    cues = sum(len(m.cues) for q in bank.questions for m in q.misconceptions)
    assert plain >= 0.75 * cues, "the same cues said plainly are heard (the check can fail)"
