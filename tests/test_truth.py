"""Grades follow what is true, not only the topic: a swapped or reversed key point is contradicted, not credited."""

from __future__ import annotations

import pytest

from interviewer.grading.targets import target_for_question

BIAS = "intermediate-05-bias"
LINEAR_VS_LOGISTIC = "intermediate-07-linear-vs-logistic-regression"

SWAPPED_BIAS = (
    "Bias is how much the predictions change when you retrain on a different sample. High bias means overfitting."
)
RIGHT_BIAS = (
    "Bias is the error from a model's overly simple assumptions, so it systematically misses the true relationship. "
    "High bias means underfitting: the model does poorly even on the training data. Variance, by contrast, is how "
    "much the predictions change when you retrain on a different sample."
)
SWAPPED_REGRESSIONS = (
    "Logistic regression predicts a continuous number and is fit by minimising squared error. Linear regression is "
    "for classification: it puts the output through a sigmoid."
)
RIGHT_REGRESSIONS = (
    "Linear regression predicts a continuous number by fitting a line that minimizes squared error. Logistic "
    "regression is for classification: it passes a linear score through a sigmoid to get a probability, and it is "
    "trained by maximizing the likelihood, so minimizing log loss."
)

L1_VS_L2 = "core-ml-03-l1-vs-l2"
RIGHT_PENALTIES = (
    "L1 adds the sum of absolute weights to the loss and drives many weights to exactly zero, so it selects "
    "features. L2 adds the sum of squared weights and shrinks them smoothly without making them zero."
)
SWAPPED_PENALTIES = RIGHT_PENALTIES.replace("L1", "L-one").replace("L2", "L1").replace("L-one", "L2")


def grade(grading, question_id: str, answer: str):
    return grading.grade(target_for_question(grading.bank, question_id), answer)


@pytest.mark.parametrize(("question_id", "wrong", "right"), [
    (BIAS, SWAPPED_BIAS, RIGHT_BIAS),
    (LINEAR_VS_LOGISTIC, SWAPPED_REGRESSIONS, RIGHT_REGRESSIONS),
    (L1_VS_L2, SWAPPED_PENALTIES, RIGHT_PENALTIES),
])  # fmt: skip
def test_a_swapped_answer_is_told_apart_from_the_right_one_in_the_same_words(grading, question_id, wrong, right):
    said_wrongly, said_rightly = grade(grading, question_id, wrong), grade(grading, question_id, right)
    assert said_wrongly.contradicted or said_wrongly.misconceptions, "the wrong one is told what is wrong"
    assert not said_rightly.contradicted and not said_rightly.misconceptions and said_rightly.score >= 3.5
    assert said_rightly.score - said_wrongly.score >= 1.5


def test_a_contradicted_point_is_never_credited_and_the_feedback_says_what_is_right(grading):
    graded = grade(grading, BIAS, SWAPPED_BIAS)
    wrong = {c.id for c in graded.contradicted}
    assert wrong and not wrong & {c.id for c in graded.covered} and not wrong & {m.id for m in graded.missed}
    assert "contradiction" in graded.flags
    assert all(c.evidence in SWAPPED_BIAS.lower() for c in graded.contradicted)
    assert len({c.evidence for c in graded.contradicted}) == len(graded.contradicted), "one statement, one report"
    assert "In fact:" in graded.feedback


def test_a_statement_told_as_wrong_is_no_evidence_of_any_key_point(grading):
    # a decision tree does not have high bias: the statement is wrong, and its first words are no credit either
    answer = ("A decision tree is one model that splits the data recursively, easy to read but with high bias. A random "
              "forest grows its trees sequentially, each one fitting the errors of the previous ones.")  # fmt: skip
    graded = grade(grading, "intermediate-08-decision-tree-vs-random-forest", answer)
    wrong = [m.evidence for m in graded.misconceptions] + [c.evidence for c in graded.contradicted]
    assert wrong
    assert not [c.id for c in graded.covered if any(c.evidence in w or w in c.evidence for w in wrong)]


def test_the_correction_states_the_fact_the_candidate_gave_the_wrong_term(grading):
    """Variance's definition given for bias is answered with variance's definition, "high bias means overfitting"
    with what high variance leads to: the bank's key points (of the question or a related one), said whole."""
    variance = grading.bank.get("intermediate-06-variance")
    corrections = {c.evidence: c.correction for c in grade(grading, BIAS, SWAPPED_BIAS).contradicted}
    defined_wrongly = "bias is how much the predictions change when you retrain on a different sample"
    assert corrections == {
        defined_wrongly: variance.key_point("sensitivity").text,
        "high bias means overfitting": variance.key_point("overfitting").text,
    }


@pytest.mark.parametrize("answer", [
    "High bias does not mean overfitting; it means underfitting, poor even on the training data.",
    "People think high bias means overfitting, but that's a myth: high bias is underfitting.",
])  # fmt: skip
def test_a_statement_that_rejects_the_wrong_version_is_not_heard_as_it(grading, answer):
    assert not grade(grading, BIAS, answer).contradicted


def test_two_terms_swapped_inside_one_sentence_are_both_contradicted(grading):
    svm_vs_knn = "intermediate-09-svm-vs-knn"
    swapped = grade(grading, svm_vs_knn, "SVM is a lazy learner that stores the data and KNN learns a boundary "
                                         "with the largest margin")  # fmt: skip
    right = grade(grading, svm_vs_knn, "An SVM learns the largest margin boundary at training time, while KNN is a "
                                       "lazy learner that stores the data and votes among the k nearest neighbours")  # fmt: skip
    assert {"lazy-learner", "max-margin"} <= {c.id for c in swapped.contradicted} and not swapped.covered
    assert not right.contradicted and right.score - swapped.score >= 2


def test_two_terms_named_in_a_list_are_not_read_as_a_swap(grading):
    listed = grade(grading, "data-science-02-model-evaluation", "Evaluate on held-out data or cross-validation with "
                   "task-appropriate metrics, like precision, recall, F1 and ROC-AUC for classification or MAE and "
                   "RMSE for regression, against a baseline.")  # fmt: skip
    assert not listed.contradicted


def test_the_eval_dataset_output_lists_contradicted_key_points(tmp_path, grading):
    import json

    from interviewer.evaluation.dataset import evaluate_dataset

    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps({"id": "swap", "question": "What is bias?", "answer": SWAPPED_BIAS, "score": 0}) + "\n")
    item = evaluate_dataset(path, grading).to_json()["items"][0]
    assert item["question_id"] == BIAS and item["contradicted"] and not set(item["contradicted"]) & set(item["covered"])


def test_a_short_half_after_but_is_read_with_its_subject(grading):
    """A half such as "lowers variance" after "but" is no claim alone: it would read as either term."""
    forest = grade(grading, "intermediate-08-decision-tree-vs-random-forest", "A single deep tree has low bias and "
                   "high variance. A random forest keeps the low bias but lowers variance.")  # fmt: skip
    assert not forest.contradicted and not forest.misconceptions


@pytest.mark.parametrize(("question_id", "answer"), [
    ("intermediate-09-svm-vs-knn", "An SVM learns a decision boundary that maximizes the margin between classes, and "
     "kernels let it handle non-linear problems. KNN doesn't learn an explicit boundary; it classifies a new point by "
     "the majority label of its k nearest neighbors in the training data."),
    ("basics-02-types-of-machine-learning", "The main two are supervised and unsupervised learning. Supervised "
     "learning is when you have labels for your data, and unsupervised is when you don't."),
    ("intermediate-03-underfitting", "Underfitting happens when a model is not complex enough to learn the structure "
     "in the data. The sign is poor performance even on the training set, which indicates high bias."),
])  # fmt: skip
def test_a_statement_that_negates_what_the_other_term_does_is_not_heard_saying_it(grading, question_id, answer):
    assert not grade(grading, question_id, answer).contradicted


def test_a_vague_statement_is_not_heard_as_a_wrong_version_it_shares_no_word_of(grading):
    vague = ("There are several types of machine learning, and they're used for different problems depending on the "
             "data you have.")  # fmt: skip
    assert not grade(grading, "basics-02-types-of-machine-learning", vague).contradicted
