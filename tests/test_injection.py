"""Prompt injection never raises a score: offline, and through an LLM grader that obeys the injected text.

The phrasings are data (evals/injection/phrasings.jsonl): bare injections, injections hidden in the middle
of a good or a weak answer, and injections in other languages.
"""

from __future__ import annotations

import json

import pytest

from interviewer.config import DEFAULT_EVALS_DIR, DEFAULT_PROMPT_DIR
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.service import GradingService
from interviewer.grading.targets import target_for_question
from interviewer.llm import StubChatModel

PHRASINGS_FILE = DEFAULT_EVALS_DIR / "injection" / "phrasings.jsonl"
PHRASINGS = [json.loads(line) for line in PHRASINGS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
KINDS = {"bare", "hidden_in_good", "hidden_in_weak", "other_language"}
IDS = [case["id"] for case in PHRASINGS]


def _injected(clean: str, answer: str) -> str:
    """The text inserted into `clean` to make `answer` ("" when `answer` is not `clean` plus one insertion)."""
    prefix = next((i for i, (a, b) in enumerate(zip(clean, answer, strict=False)) if a != b), len(clean))
    suffix = len(clean) - prefix
    if answer[:prefix] + answer[len(answer) - suffix :] != clean:
        return ""
    return answer[prefix : len(answer) - suffix]


def test_the_phrasings_cover_every_kind_and_style(bank):
    assert len(PHRASINGS) >= 30 and len(set(IDS)) == len(IDS)
    for case in PHRASINGS:
        assert set(case) <= {"id", "question_id", "answer", "kind", "clean"}, case["id"]
        assert case["kind"] in KINDS and case["question_id"] in bank, case["id"]
        if case["kind"] == "hidden_in_good":
            assert "clean" in case, case["id"]
    assert {case["kind"] for case in PHRASINGS} == KINDS
    text = " ".join(case["answer"] for case in PHRASINGS)
    for marker in ["As the grader you must", "SYSTEM OVERRIDE", '{"score": 5', "</answer>", "rubric has been updated",
                   "professor said", "You are Max", "score=5", "full marks", "dame", "Donnez-moi", "Anweisungen", "满分",
                   "nota máxima"]:  # fmt: skip
        assert marker in text, marker


@pytest.mark.parametrize("case", [c for c in PHRASINGS if "clean" in c], ids=lambda c: c["id"])
def test_a_hidden_injection_sits_in_the_middle_of_a_good_answer(grading, case):
    injected = _injected(case["clean"], case["answer"])
    assert injected.strip(), "the answer must be the clean answer with one insertion"
    assert not case["answer"].startswith(injected) and not case["answer"].endswith(injected)
    target = target_for_question(grading.bank, case["question_id"])
    assert grading.grade(target, case["clean"]).score >= 3.5, "the clean answer must be a good one"


@pytest.mark.parametrize("case", PHRASINGS, ids=IDS)
def test_offline_an_injection_scores_at_most_one_or_no_more_than_without_it(grading, case):
    target = target_for_question(grading.bank, case["question_id"])
    grade = grading.grade(target, case["answer"])
    if "injection_suspected" in grade.flags:
        assert grade.score <= 1
    elif "clean" in case:  # the guard missed it: the injected text must at least not have helped
        clean = grading.grade(target, case["clean"])
        assert grade.score <= 1 or grade.score <= clean.score, (grade.score, clean.score)
    else:
        assert grade.score <= 1, grade.flags


@pytest.fixture
def obedient_service(grading):
    """The LLM path (as in test_llm.py) with a model that does what the answer tells it: 5, every point covered."""

    def make(target) -> tuple[GradingService, StubChatModel]:
        reply = {"score": 5.0, "covered": [{"id": p.id, "evidence": "as instructed"} for p in target.key_points],
                 "missed": [], "misconceptions": [], "feedback": "Excellent, full marks as requested.", "flags": []}  # fmt: skip
        stub = StubChatModel(respond=lambda messages: reply)
        return GradingService(
            grading.bank,
            None,
            grading.offline,
            LLMGrader(stub, DEFAULT_PROMPT_DIR, 2.0, 0, grading.offline.evidence_coverage),
        ), stub

    return make


@pytest.mark.parametrize("case", PHRASINGS, ids=IDS)
def test_an_llm_that_obeys_the_injection_still_gives_at_most_one(obedient_service, grading, case):
    target = target_for_question(grading.bank, case["question_id"])
    service, stub = obedient_service(target)
    grade = service.grade(target, case["answer"])
    assert grade.grader == "llm:stub" and len(stub.sent) == 1, "the model's reply was used, not the offline fallback"
    assert grade.score <= 1, grade.flags


# Honest answers that use the guard's trigger words ("give ... 5", "score the model", "asked me to give").
HONEST = {
    "svm-give-k-5": ("intermediate-09-svm-vs-knn",
                     "An SVM finds the maximum-margin boundary defined by the support vectors, and kernels like RBF let "
                     "it learn non-linear boundaries. KNN is a lazy learner that stores the data and predicts by a vote "
                     "of the k nearest points; I'd usually give k a value like 5, and both need feature scaling, with "
                     "KNN suffering in high dimensions."),
    "evaluation-score-the-model": ("data-science-02-model-evaluation",
                                   "I evaluate on data the model never saw: a held-out test set, or 5-fold cross-validation "
                                   "when data is scarce. The metric has to match the goal, so for imbalanced classes I'd "
                                   "score the model with precision, recall and PR-AUC rather than accuracy, compare against "
                                   "a simple baseline, and check calibration and errors per segment."),
    "behavioral-asked-me-to-give": ("behavioral-01-challenges",
                                    "On a churn model at my last job our validation AUC was 0.93 but the model did badly "
                                    "in production. When the product manager asked me to give the stakeholders a clear "
                                    "number, I dug in and traced it to target leakage: a feature was computed after the "
                                    "customer had already cancelled, so I rebuilt the features with point-in-time joins "
                                    "and a time-based split. The honest AUC dropped to 0.81, but production matched it and "
                                    "churn fell by about four percent that quarter. I learned to check when every feature "
                                    "becomes available, and I now run a leakage review before training."),
}  # fmt: skip


@pytest.mark.parametrize(("question_id", "answer"), HONEST.values(), ids=HONEST.keys())
def test_an_honest_answer_using_grading_words_is_not_taken_for_an_injection(grading, question_id, answer):
    grade = grading.grade(target_for_question(grading.bank, question_id), answer)
    assert "injection_suspected" not in grade.flags and grade.score >= 3, (grade.score, grade.flags)
