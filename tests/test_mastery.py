"""Practice that remembers: key-point mastery, its schedule, the review it builds, and who sees it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.grading.models import ContradictedPoint, CoveredPoint, Grade, MissedPoint
from interviewer.mastery import NothingToReview, PointOutcome, due_points, outcomes_of, review_plan, reviewed
from interviewer.session import QuestionResult
from interviewer.storage import Storage

runner = CliRunner()
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
STRONG_SUPERVISED = (
    "supervised learning is learning from labelled examples: each example pairs the input features with the correct "
    "output, the label, from annotation or recorded outcomes. the model learns a mapping from inputs to outputs by "
    "measuring its error against the labels with a loss and adjusting its parameters. a category label makes it "
    "classification, a number makes it regression. then it predicts labels for new unseen inputs, and we judge it on "
    "held-out labelled data. the cost is the labels: enough accurate labels are slow and expensive to collect, and "
    "noisy or biased labels limit the model"
)
WEAK_VARIANCE = "variance is how spread out the values of a feature are"


def _grade(question_id: str, covered: list[str], missed: list[str], score: float) -> Grade:
    return Grade(question_id=question_id, question_text="q", score=score, band="partial",
                 covered=[CoveredPoint(id=p, text=p, evidence="...") for p in covered],
                 missed=[MissedPoint(id=p, text=p) for p in missed], feedback="", model_answer="",
                 grader="offline")  # fmt: skip


def _outcome(point: str, outcome: str, question: str = "basics-03-supervised-learning") -> PointOutcome:
    return PointOutcome(question_id=question, key_point_id=point, outcome=outcome)  # type: ignore[arg-type]


def test_each_key_point_gets_the_outcome_it_earned_in_the_question():
    first = _grade("q", ["a"], ["b", "c", "d"], 2.0)
    follow = _grade("q", ["b"], ["c", "d"], 1.0)
    follow.contradicted = [ContradictedPoint(id="c", text="c", evidence="...", correction="...")]
    result = QuestionResult(question_id="q", track="basics", grade=first, follow_up_grades=[follow], score=3.0,
                            covered=["a", "b"], missed=["c", "d"])  # fmt: skip
    assert {o.key_point_id: o.outcome for o in outcomes_of(result)} == {
        "a": "covered", "b": "prompted", "c": "contradicted", "d": "missed"}  # fmt: skip


def test_a_skipped_question_teaches_the_schedule_nothing():
    assert outcomes_of(QuestionResult(question_id="q", track="basics", skipped=True, missed=["a"])) == []


def test_a_missed_point_is_due_at_once_and_a_covered_one_days_later():
    missed = reviewed(None, _outcome("labelled-examples", "missed"), NOW)
    covered = reviewed(None, _outcome("learn-mapping", "covered"), NOW)
    assert missed.due <= NOW and covered.due >= NOW + timedelta(days=1)
    assert due_points([missed, covered], NOW) == [missed]


def test_covering_a_point_again_pushes_it_further_out_each_time():
    first = reviewed(None, _outcome("learn-mapping", "covered"), NOW)
    second = reviewed(first, _outcome("learn-mapping", "covered"), first.due)
    third = reviewed(second, _outcome("learn-mapping", "covered"), second.due)
    assert (second.due - first.due) < (third.due - second.due) and third.reviews == 3


def test_the_review_asks_the_most_overdue_first_and_says_why(bank):
    old = reviewed(None, _outcome("sensitivity", "missed", "intermediate-06-variance"), NOW - timedelta(days=3))
    new = reviewed(None, _outcome("labelled-examples", "contradicted"), NOW - timedelta(hours=1))
    plan = review_plan([new, old], bank, ["basics", "intermediate"], 5, NOW)
    assert [p.question_id for p in plan] == ["intermediate-06-variance", "basics-03-supervised-learning"]
    sensitivity = bank.get("intermediate-06-variance").key_point("sensitivity").text
    assert plan[0].reason == f"last time you missed this: {sensitivity}"
    assert plan[1].reason.startswith("last time you said the opposite of this: ")


def test_the_review_keeps_to_the_chosen_tracks_and_says_when_the_next_one_is_due(bank):
    missed = reviewed(None, _outcome("sensitivity", "missed", "intermediate-06-variance"), NOW)
    with pytest.raises(NothingToReview, match="nothing is due"):
        review_plan([missed], bank, ["basics"], 5, NOW)
    with pytest.raises(NothingToReview, match="no history yet"):
        review_plan([], bank, ["basics"], 5, NOW)


def test_a_key_point_gone_from_the_bank_is_not_reviewed(bank):
    gone = reviewed(None, _outcome("a-point-since-removed", "missed"), NOW)
    with pytest.raises(NothingToReview):
        review_plan([gone], bank, ["basics"], 5, NOW)


def test_mastery_is_kept_per_user_and_forgotten_with_them(tmp_path, bank):
    from interviewer.session import SessionConfig, new_session

    storage = Storage(f"sqlite:///{tmp_path}/m.db")
    state = new_session(bank.questions, SessionConfig(question_ids=["basics-03-supervised-learning"]))
    for user in ("ann", "bob"):
        sid = storage.create_session(user, state, [])
        from interviewer.storage import Turn

        turn = Turn(question_id=state.current_id, prompt="", answer="x", intent="answer")
        storage.record_turn(sid, turn, state, outcomes=[_outcome("labelled-examples", "missed")])
    storage.record_turn(storage.sessions("ann")[0].id, Turn(question_id=None, prompt="", answer="y", intent="answer"),
                        state, outcomes=[_outcome("labelled-examples", "covered")])  # fmt: skip
    ann, bob = storage.mastery("ann"), storage.mastery("bob")
    assert [(m.outcome, m.reviews) for m in ann] == [("covered", 2)] and [(m.outcome, m.reviews) for m in bob] == [
        ("missed", 1)]  # fmt: skip
    assert [e.outcome for e in storage.mastery_history("ann")] == ["missed", "covered"]
    storage.forget_user("ann")
    assert storage.mastery("ann") == [] and storage.mastery_history("ann") == [] and len(storage.mastery("bob")) == 1


def _practice(*args: str, script: list[str] | None = None, tmp_path=None):
    extra = []
    if script is not None:
        path = tmp_path / f"{uuid.uuid4().hex}.json"
        path.write_text(json.dumps(script))
        extra = ["--script", str(path)]
    return runner.invoke(app, ["practice", *args, *extra, "--json"])


def test_a_review_asks_what_the_same_user_missed_and_nothing_they_answered_strongly(shared_store, tmp_path):
    user, other = f"u-{uuid.uuid4().hex[:8]}", f"v-{uuid.uuid4().hex[:8]}"
    first = _practice("--user", user, "--question", "basics-03-supervised-learning", "--question",
                      "intermediate-06-variance", "--follow-ups", "0", script=[STRONG_SUPERVISED, WEAK_VARIANCE],
                      tmp_path=tmp_path)  # fmt: skip
    assert first.exit_code == 0, first.output
    scores = [t["grade"]["score"] for t in json.loads(first.output)["turns"]]
    assert scores[0] >= 4 and scores[1] <= 2
    review = _practice("--user", user, "--review", script=["skip"], tmp_path=tmp_path)
    assert review.exit_code == 0, review.output
    asked = json.loads(review.output)
    assert asked["turns"][0]["question_id"] == "intermediate-06-variance"
    assert "basics-03-supervised-learning" not in [t["question_id"] for t in asked["turns"]]
    assert "last time you missed this" in asked["turns"][0]["prompt"].lower()
    nothing = _practice("--user", other, "--review", script=["skip"], tmp_path=tmp_path)
    assert nothing.exit_code == 1 and "no history yet" in nothing.output


def test_progress_shows_mastery_per_topic_and_the_due_list(shared_store, tmp_path):
    user = f"p-{uuid.uuid4().hex[:8]}"
    _practice("--user", user, "--question", "intermediate-06-variance", "--follow-ups", "0", script=[WEAK_VARIANCE],
              tmp_path=tmp_path)  # fmt: skip
    shown = runner.invoke(app, ["progress", "--user", user, "--json"])
    assert shown.exit_code == 0, shown.output
    progress = json.loads(shown.output)
    assert [t["track"] for t in progress["topics"]] == ["intermediate"]
    assert progress["topics"][0]["due"] >= 1 and progress["due"][0]["question_id"] == "intermediate-06-variance"
    assert progress["over_time"][0]["track"] == "intermediate"
    table = runner.invoke(app, ["progress", "--user", user])
    assert "Due for review" in table.output and "intermediate" in table.output


def test_a_review_without_tracks_looks_in_every_track(shared_store, tmp_path):
    user = f"c-{uuid.uuid4().hex[:8]}"
    _practice("--user", user, "--question", "core-ml-03-l1-vs-l2", "--follow-ups", "0",
              script=["they are both regularisation I think"], tmp_path=tmp_path)  # fmt: skip
    review = _practice("--user", user, "--review", script=["skip"], tmp_path=tmp_path)
    assert review.exit_code == 0, review.output
    assert json.loads(review.output)["turns"][0]["question_id"] == "core-ml-03-l1-vs-l2"
    seed_only = _practice("--user", user, "--review", "--track", "basics", script=["skip"], tmp_path=tmp_path)
    assert seed_only.exit_code == 1 and "choose more tracks" in seed_only.output
