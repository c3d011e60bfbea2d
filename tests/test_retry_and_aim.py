"""Try again and compare; interviews aimed at a job description."""

from __future__ import annotations

import pytest

from interviewer.errors import SetupError
from interviewer.job_fit import job_plan, parts_of
from interviewer.report import build_report, to_markdown
from interviewer.services import Services
from interviewer.session import TRACKS, SessionConfig

WEAK_SVM = "an SVM draws a line between the classes I think"
STRONG_SVM = (
    "an SVM learns at training time the decision boundary with the largest margin between the classes, and the "
    "solution depends only on the support vectors; with a kernel it can draw non-linear boundaries. KNN is a lazy "
    "learner: it stores the training data and predicts by a majority vote of the k nearest points, so it pays at "
    "prediction time, and it needs scaled features and suffers in high dimensions"
)
SVM, TEST_SET = "intermediate-09-svm-vs-knn", "basics-08-test-set"


def _begin(fresh: Services, mode: str = "practice", ids: tuple[str, ...] = (SVM, TEST_SET)):
    config = SessionConfig(question_ids=list(ids), follow_ups=0, mode=mode)  # type: ignore[arg-type]
    return fresh.interview.begin(config)


def test_trying_again_re_asks_the_last_question_and_sets_the_new_attempt_beside_the_old(fresh, bank):
    interview = _begin(fresh).session_id
    first = fresh.interview.respond(interview, WEAK_SVM)
    assert first.state.current_id == TEST_SET
    again = fresh.interview.respond(interview, "let me try again")
    assert again.grade is None and again.state.current_id == SVM and bank.get(SVM).text in " ".join(again.lines)
    second = fresh.interview.respond(interview, STRONG_SVM)
    comparison = second.comparison
    assert comparison is not None and comparison.score_then == first.grade.score
    assert comparison.score_now == second.grade.score > first.grade.score
    assert comparison.newly_covered and f"Last time {first.grade.score:g} out of 5" in " ".join(second.lines)
    assert second.state.current_id == TEST_SET, "the plan goes on where it was"
    report = build_report(interview, second.state, fresh.storage.turns(interview), bank)
    line = next(q for q in report.questions if q.question_id == SVM)
    assert line.score == second.grade.score and line.attempts == [first.grade.score, second.grade.score]
    assert f"(attempts: {first.grade.score:g} → {second.grade.score:g})" in to_markdown(report)


def test_the_better_attempt_counts_even_when_the_retry_is_worse(fresh):
    interview = _begin(fresh).session_id
    first = fresh.interview.respond(interview, STRONG_SVM)
    fresh.interview.respond(interview, "can I try that again?")
    worse = fresh.interview.respond(interview, WEAK_SVM)
    result = next(r for r in worse.state.results if r.question_id == SVM)
    assert result.score == worse.grade.score < first.grade.score == result.best_score
    assert worse.comparison is not None and worse.comparison.no_longer_covered


def test_the_last_question_can_be_tried_again_after_the_interview_ended(fresh):
    interview = _begin(fresh, ids=(SVM,)).session_id
    assert fresh.interview.respond(interview, WEAK_SVM).done
    reopened = fresh.interview.respond(interview, "try again")
    assert not reopened.done and reopened.state.current_id == SVM
    final = fresh.interview.respond(interview, STRONG_SVM)
    assert final.done and final.comparison is not None
    assert fresh.interview.respond(interview, "one more answer").lines == [
        "This interview is finished; your report is ready."]  # fmt: skip


def test_a_mock_interview_does_not_retry_and_loses_nothing(fresh):
    interview = _begin(fresh, mode="mock").session_id
    fresh.interview.respond(interview, WEAK_SVM)
    refused = fresh.interview.respond(interview, "let me try again")
    assert refused.grade is None and refused.state.current_id == TEST_SET
    assert "practice mode" in " ".join(refused.lines)
    assert len(refused.state.results) == 1 and refused.state.results[0].attempts == []


RETRY_REQUESTS = [
    "let me try again", "could I have another go?", "retry please", "can I have another go at that?",
    "hang on, I want to redo my answer", "sorry, can I start that one over?", "could I retry that question?",
    "actually I'd like to give that another try", "let me take another crack at it", "do over please",
    "I can do better than that, let me answer again", "wait, let me rephrase",
]  # fmt: skip
ANSWERS_THAT_SOUND_LIKE_IT = [
    "I would try again with more data since the model overfits", "you redo the split at every node of the tree",
    "we retry the request with backoff when the server fails", "boosting fits another tree to the residuals",
]  # fmt: skip


@pytest.mark.parametrize("said", RETRY_REQUESTS)
def test_asking_to_try_again_is_recognised_however_it_is_said(said):
    from interviewer.intents import classify

    assert classify(said) == "retry"


@pytest.mark.parametrize("said", ANSWERS_THAT_SOUND_LIKE_IT)
def test_an_answer_that_mentions_trying_again_is_an_answer(said):
    from interviewer.intents import classify

    assert classify(said) == "answer"


@pytest.mark.parametrize(("said", "intent"), [("no clue, sorry", "dont_know"), ("next", "skip"),
                                              ("could we do a different question?", "skip"),
                                              ("I can't recall", "dont_know"),
                                              ("I'm not totally sure, sorry", "dont_know")])  # fmt: skip
def test_other_requests_are_not_graded_as_answers(said, intent):
    from interviewer.intents import classify

    assert classify(said) == intent


def test_the_retry_turn_is_about_the_question_asked_again(fresh, bank):
    interview = _begin(fresh).session_id
    fresh.interview.respond(interview, WEAK_SVM)
    asked = fresh.interview.respond(interview, "let me try again")
    answered = fresh.interview.respond(interview, STRONG_SVM)
    assert asked.turn.question_id == answered.turn.question_id == SVM
    assert bank.get(SVM).text in answered.turn.prompt


def test_a_job_description_chooses_the_questions_it_needs_and_says_which_part(services, bank):
    description = (
        "Computer Vision Engineer\n"
        "- Build image classification and object detection models with convolutional networks\n"
        "- Fine-tune pretrained backbones on our small labelled datasets\n"
        "- Monitor the deployed models for drift in production\n"
    )
    plan = job_plan(description, services.store.about, bank, list(TRACKS), 5)
    chosen = [p.question_id for p in plan]
    assert {"advanced-07-computer-vision", "data-science-04-monitoring"} <= set(chosen)
    assert not {"behavioral-03-favorite-resources", "intermediate-10-naive-bayes-vs-hmm"} & set(chosen)
    assert all("“" in p.reason and p.reason.split("“")[1].split()[0] in description for p in plan)


def test_a_job_plan_keeps_to_the_tracks_and_one_question_per_group(services, bank):
    plan = job_plan("We need deep learning: transformers, CNNs and RNNs for text and images.", services.store.about,
                    bank, ["basics"], 5)  # fmt: skip
    assert plan and all(bank.get(p.question_id).track == "basics" for p in plan)
    groups = [bank.get(p.question_id).group for p in plan]
    assert len(groups) == len(set(groups))


@pytest.mark.parametrize("description", ["", "   ", "ML", "\x00\x01", "- \n- \n"])
def test_a_description_too_short_to_aim_at_says_what_to_paste(services, bank, description):
    with pytest.raises(SetupError, match="paste the role's description"):
        job_plan(description, services.store.about, bank, list(TRACKS), 5)


def test_a_huge_description_is_read_in_part_not_refused():
    parts = parts_of("We build recommender systems at scale. " * 5000)
    assert parts == ["We build recommender systems at scale"]


def test_the_report_says_why_each_chosen_question_was_asked(fresh, bank):
    from interviewer import planning

    config = planning.for_job(SessionConfig(questions=2, follow_ups=0), "We need an engineer to build CNN models "
                              "for image classification and object detection.", fresh.store.about, bank)  # fmt: skip
    started = fresh.interview.begin(config)
    first = started.state.current_id
    assert config.reasons[first].split("“")[1] in " ".join(started.lines), "the interviewer says why it asks"
    fresh.interview.respond(started.session_id, "I don't know")
    ended = fresh.interview.respond(started.session_id, "let's end here")
    markdown = to_markdown(build_report(started.session_id, ended.state, fresh.storage.turns(started.session_id), bank))
    why = markdown.split("## Why these questions")[1].split("##")[0]
    assert bank.get(first).text in why and config.reasons[first].split("“")[1] in why


def test_trying_again_before_any_answer_says_there_is_nothing_to_retry(fresh):
    started = _begin(fresh)
    refused = fresh.interview.respond(started.session_id, "let me try again")
    assert "no answer to try again yet" in " ".join(refused.lines) and refused.state.current_id == SVM
