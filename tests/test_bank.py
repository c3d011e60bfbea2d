"""The question bank: all 40 seed questions, verbatim, valid, and a clear error for a broken bank."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from interviewer.bank import RUBRIC_CRITERIA, load_bank
from interviewer.config import DEFAULT_BANK_DIR
from interviewer.errors import BankError

from .conftest import SHARED

SEED_QUESTIONS = [
    "What is machine learning?", "What are the different types of machine learning?", "What is supervised learning?",
    "What is unsupervised learning?", "What is reinforcement learning?",
    "What is the difference between a feature and a label?", "What is a training set?", "What is a test set?",
    "What is a validation set?", "What is a machine learning model?", "What is overfitting?",
    "How can you avoid overfitting?", "What is underfitting?", "How can you avoid underfitting?", "What is bias?",
    "What is variance?", "What is the difference between a linear regression model and a logistic regression model?",
    "What is the difference between a decision tree model and a random forest model?",
    "What is the difference between a support vector machine (SVM) model and a k-nearest neighbors (KNN) model?",
    "What is the difference between a Naive Bayes classifier and a hidden Markov model (HMM)?",
    "What is deep learning?", "What are the different types of deep learning neural networks?",
    "What is a convolutional neural network (CNN)?", "What is a recurrent neural network (RNN)?",
    "What is a transformer model?", "What is natural language processing (NLP)?", "What is computer vision?",
    "What is reinforcement learning?", "What is transfer learning?", "What is responsible AI?",
    "How do you clean and prepare data for machine learning?",
    "How do you evaluate the performance of a machine learning model?",
    "How do you deploy a machine learning model to production?",
    "How do you monitor and maintain a machine learning model in production?",
    "What are some of the best practices for machine learning?",
    "What are some of the challenges you have faced when working with machine learning, and how have you overcome them?",
    "What are some of the things you are most excited about for the future of machine learning?",
    "What are some of your favorite machine learning resources?",
    "What are some of your favorite machine learning tools and frameworks?",
    "What are some of the ethical considerations when using machine learning?",
]  # fmt: skip


def test_every_seed_question_is_in_the_bank_verbatim_in_seed_order(bank):
    by_seed = {q.seed_number: q.text for q in bank.questions}
    assert [by_seed[n] for n in range(1, 41)] == SEED_QUESTIONS


@pytest.mark.skipif(not (SHARED / "seed").exists(), reason="../shared/seed not present")
def test_the_seed_article_lists_exactly_these_questions():
    article = next((SHARED / "seed").glob("*.txt")).read_text()
    listed = re.findall(r"^\s+\d+\.\s+(.+?)\s*$", article, re.MULTILINE)
    assert listed == SEED_QUESTIONS


def test_reference_answers_are_about_a_minute_spoken(bank):
    for question in bank.questions:
        words = len(question.reference_answer.split())
        assert 80 <= words <= 200, f"{question.id}: {words} words"


def test_technical_questions_have_misconceptions_and_follow_ups_on_their_key_points(bank):
    for question in bank.questions:
        assert len(question.follow_ups) >= 2
        assert {f.probes for f in question.follow_ups} <= {p.id for p in question.key_points}
        if question.kind == "technical":
            assert len(question.misconceptions) >= 2, question.id
            assert 3 <= len(question.key_points) <= 7


def test_the_five_additional_questions_are_behavioral_with_the_rubric(bank):
    behavioral = [q for q in bank.questions if q.kind == "behavioral"]
    assert sorted(q.seed_number for q in behavioral) == [36, 37, 38, 39, 40]
    for question in behavioral:
        assert sorted(p.id for p in question.key_points) == sorted(RUBRIC_CRITERIA)


def test_the_duplicated_reinforcement_learning_question_is_one_group(bank):
    entries = [q for q in bank.questions if q.text == "What is reinforcement learning?"]
    assert len(entries) == 2
    assert len({q.group for q in entries}) == 1
    basic, advanced = sorted(entries, key=lambda q: q.seed_number)
    assert len(advanced.key_points) >= len(basic.key_points)
    assert "Markov" in advanced.reference_answer or "MDP" in advanced.reference_answer


def test_no_reference_answer_triggers_its_own_misconception_cues(bank):
    for question in bank.questions:
        answer = question.reference_answer.lower()
        for item in question.misconceptions:
            assert not any(cue.lower() in answer for cue in item.cues), f"{question.id}: {item.id}"


def _write_bank(path: Path, questions: list[dict]) -> Path:
    path.write_text(yaml.safe_dump({"questions": questions}, sort_keys=False))
    return path


@pytest.fixture
def one_question(bank) -> dict:
    return bank.get("intermediate-01-overfitting").model_dump(exclude_defaults=True) | {"related": []}


def test_a_user_bank_file_in_the_same_format_loads(tmp_path, one_question):
    custom = one_question | {"id": "custom-01-overfitting", "track": "custom"}
    loaded = load_bank([_write_bank(tmp_path / "mine.yaml", [custom])])
    assert loaded.get("custom-01-overfitting").track == "custom"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"key_points": []}, "key_points: List should have at least 3 items"),
        ({"follow_ups": [{"probes": "nope", "text": "What about this one?"}] * 2}, "probes 'nope'"),
        ({"misconceptions": []}, "misconceptions: a technical question needs at least 2"),
        ({"id": "Not A Slug"}, "lowercase slug"),
        ({"difficulty": 9}, "difficulty"),
        ({"unknown_field": 1}, "unknown_field: Extra inputs are not permitted"),
        ({"related": ["no-such-question"]}, "related: unknown question id 'no-such-question'"),
    ],
)
def test_a_broken_bank_names_file_question_and_problem(tmp_path, one_question, change, expected):
    _assert_problem(tmp_path, one_question | change, change.get("id", one_question["id"]), expected)


def _with_contrast(question: dict, contrast: str) -> dict:
    first = question["key_points"][0]
    return question | {"key_points": [first | {"contrasts": [contrast]}, *question["key_points"][1:]]}


@pytest.mark.parametrize(
    ("contrast", "expected"),
    [("overfits", "too short to be a statement"), (None, "repeats the point or one of its hints")],
)
def test_a_wrong_version_must_be_a_statement_of_its_own(tmp_path, one_question, contrast, expected):
    contrast = contrast or one_question["key_points"][0]["text"].upper()  # None: the point itself, shouted
    _assert_problem(tmp_path, _with_contrast(one_question, contrast), one_question["id"], expected)


def test_every_shipped_wrong_version_belongs_to_a_technical_question_and_reads_as_a_statement(bank):
    wrong = [(q, c) for q in bank.questions for p in q.key_points for c in p.contrasts]
    assert len(wrong) >= 150 and all(q.kind == "technical" and len(c.split()) >= 4 for q, c in wrong)


def _assert_problem(tmp_path, question: dict, qid: str, expected: str) -> None:
    path = _write_bank(tmp_path / "broken.yaml", [question])
    with pytest.raises(BankError) as caught:
        load_bank([path])
    assert any(p.startswith(f"{path}: {qid}: ") and expected in p for p in caught.value.problems), caught.value.problems


def test_malformed_yaml_reports_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("questions:\n  - id: x\n    text: [unclosed\n")
    with pytest.raises(BankError) as caught:
        load_bank([path])
    assert caught.value.problems[0].startswith(f"{path}: line ")


def test_duplicate_ids_across_files_are_reported(tmp_path, one_question):
    first = _write_bank(tmp_path / "a.yaml", [one_question])
    second = _write_bank(tmp_path / "b.yaml", [one_question])
    with pytest.raises(BankError, match="duplicate id"):
        load_bank([first, second])


def test_the_shipped_bank_directory_validates_as_a_whole(tmp_path):
    copy = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_BANK_DIR, copy)
    loaded = load_bank(sorted(copy.glob("*.yaml")))
    assert len([q for q in loaded.questions if q.seed_number]) == 40  # the seed article's
    assert len([q for q in loaded.questions if q.track == "core-ml"]) >= 10


def test_the_core_ml_track_is_there_to_choose_but_not_in_the_default_interview(bank):
    from interviewer.session import SessionConfig

    core = [q for q in bank.questions if q.track == "core-ml"]
    assert len(core) >= 10 and all(q.seed_number is None for q in core)
    assert "core-ml" not in SessionConfig().tracks and "core-ml" in bank.tracks
