"""The interview state machine: pure transitions, no I/O."""

from __future__ import annotations

import pytest

from interviewer.grading.models import CoveredPoint, Grade, MissedPoint
from interviewer.session import SessionConfig, new_session, on_answer, on_intent, plan_questions, start


def fake_grade(question, score: float, covered: int = 0, flags: list[str] | None = None) -> Grade:
    points = question.key_points
    return Grade(
        question_id=question.id, question_text=question.text, score=score, band="partial",
        covered=[CoveredPoint(id=p.id, text=p.text, evidence="...") for p in points[:covered]],
        missed=[MissedPoint(id=p.id, text=p.text) for p in points[covered:]],
        feedback="ok.", model_answer=question.reference_answer, grader="offline", flags=flags or [],
    )  # fmt: skip


@pytest.fixture
def session(bank):
    def make(**config):
        state, events = start(new_session(bank.questions, SessionConfig(seed=7, **config)))
        assert [e.kind for e in events] == ["greet", "ask"]
        return state

    return make


def kinds(events) -> list[str]:
    return [e.kind for e in events]


def test_the_plan_respects_tracks_count_and_seed(bank):
    config = SessionConfig(tracks=["basics", "advanced"], questions=6, seed=3)
    plan = plan_questions(bank.questions, config)
    assert len(plan) == 6 and all(bank.get(q).track in {"basics", "advanced"} for q in plan)
    assert plan == plan_questions(bank.questions, config)
    assert plan != plan_questions(bank.questions, config.model_copy(update={"seed": 4}))


@pytest.mark.parametrize("seed", range(30))
def test_the_two_reinforcement_learning_entries_are_never_both_asked(bank, seed):
    plan = plan_questions(bank.questions, SessionConfig(questions=40, seed=seed))
    rl = [q for q in plan if bank.get(q).text == "What is reinforcement learning?"]
    groups = {q.group for q in bank.questions if q.track in SessionConfig().tracks}  # one question per group
    assert len(rl) == 1 and len(plan) == len(set(plan)) == len(groups) < 40


def test_a_partial_answer_gets_a_follow_up_on_the_most_important_missed_point(bank, session):
    state = session()
    question = bank.get(state.current_id)
    state, events = on_answer(state, question, fake_grade(question, 2.5, covered=1))
    assert kinds(events) == ["acknowledge", "feedback", "follow_up"]
    follow = events[-1]
    probed = question.key_point(follow.key_point_id)
    assert probed.id not in {question.key_points[0].id}
    assert probed.weight == max(
        p.weight for p in question.key_points[1:] if any(f.probes == p.id for f in question.follow_ups)
    )
    assert state.phase == "follow_up"


def test_the_follow_up_answer_merges_into_the_questions_result(bank, session):
    state = session()
    question = bank.get(state.current_id)
    state, events = on_answer(state, question, fake_grade(question, 2.0, covered=1))
    probed = events[-1].key_point_id
    follow_grade = fake_grade(question, 1.0).model_copy(update={
        "covered": [CoveredPoint(id=probed, text="t", evidence="e")]})  # fmt: skip
    state, events = on_answer(state, question, follow_grade)
    result = state.results[0]
    assert probed in result.covered and probed not in result.missed
    assert result.score > 2.0 and len(result.follow_up_grades) == 1
    assert kinds(events)[-1] == "ask" and state.index == 1


@pytest.mark.parametrize(("score", "flags"), [(4.5, []), (0.0, ["dont_know"]), (2.0, ["injection_suspected"])])
def test_no_follow_up_after_strong_dont_know_or_injection(bank, session, score, flags):
    state = session()
    question = bank.get(state.current_id)
    state, events = on_answer(state, question, fake_grade(question, score, covered=5 if score > 4 else 0, flags=flags))
    assert "follow_up" not in kinds(events) and kinds(events)[-1] == "ask"


def test_follow_ups_off_means_none(bank, session):
    state = session(follow_ups=0)
    question = bank.get(state.current_id)
    _, events = on_answer(state, question, fake_grade(question, 2.0, covered=1))
    assert "follow_up" not in kinds(events)


def test_two_follow_ups_probe_different_points(bank, session):
    state = session(follow_ups=2)
    question = bank.get(state.current_id)
    state, first = on_answer(state, question, fake_grade(question, 2.0, covered=1))
    state, second = on_answer(state, question, fake_grade(question, 1.5, covered=0))
    assert kinds(first)[-1] == kinds(second)[-1] == "follow_up"
    assert second[-1].key_point_id != first[-1].key_point_id


def test_repeat_and_rephrase_re_ask_without_grading(bank, session):
    state = session()
    question = bank.get(state.current_id)
    for intent in ("repeat", "rephrase"):
        new, events = on_intent(state, question, intent)
        assert kinds(events) == [intent] and new.results == [] and new.index == 0


def test_hints_only_in_practice_mode(bank, session):
    question_state = session()
    question = bank.get(question_state.current_id)
    _, events = on_intent(question_state, question, "hint")
    assert kinds(events) == ["hint"] and events[0].key_point_id
    mock = session(mode="mock")
    _, events = on_intent(mock, bank.get(mock.current_id), "hint")
    assert kinds(events) == ["no_hint"]


def test_mock_mode_holds_feedback_until_the_end(bank, session):
    state = session(mode="mock")
    question = bank.get(state.current_id)
    _, events = on_answer(state, question, fake_grade(question, 1.0, flags=["dont_know"]))
    assert "feedback" not in kinds(events) and "model_answer" not in kinds(events)


def test_skip_moves_on_and_records_zero(bank, session):
    state = session()
    question = bank.get(state.current_id)
    state, events = on_intent(state, question, "skip")
    assert kinds(events) == ["skip", "ask"] and state.results[0].skipped and state.results[0].score == 0


def test_pause_then_anything_resumes_the_same_question(bank, session):
    state = session()
    question = bank.get(state.current_id)
    state, events = on_intent(state, question, "pause")
    assert state.phase == "paused" and kinds(events) == ["pause"]
    state, events = on_intent(state, question, "resume")
    assert state.phase == "asking" and kinds(events) == ["resume", "ask"] and events[-1].question_id == question.id


def test_end_closes_at_once(bank, session):
    state = session()
    state, events = on_intent(state, bank.get(state.current_id), "end")
    assert state.done and kinds(events) == ["close"]


def test_the_last_answer_closes_the_interview(bank, session):
    state = session(questions=1, follow_ups=0)
    question = bank.get(state.current_id)
    state, events = on_answer(state, question, fake_grade(question, 3.0, covered=2))
    assert state.done and kinds(events)[-1] == "close"


def test_adaptive_order_goes_harder_after_a_strong_answer(bank, session):
    state = session(adaptive=True, questions=8, tracks=["basics", "intermediate", "advanced"])
    question = bank.get(state.current_id)
    state, _ = on_answer(state, question, fake_grade(question, 5.0, covered=6))
    remaining = [state.difficulty[q] for q in state.plan[state.index :]]
    assert state.difficulty[state.current_id] == max(remaining)


@pytest.mark.parametrize(
    ("score", "flags"),
    [(0.0, ["too_short", "off_topic"]), (0.5, ["echo"]), (1.0, ["keyword_salad"]), (0.5, [])],
    ids=["too short and off topic", "an echo", "a list of terms", "weak"],
)
def test_a_vague_or_weak_attempt_gets_one_probe_asking_for_something_concrete(bank, session, score, flags):
    state = session(question_ids=["intermediate-09-svm-vs-knn"], follow_ups=1)
    question = bank.get(state.current_id)
    state, events = on_answer(state, question, fake_grade(question, score, flags=flags))
    [probe] = [e for e in events if e.kind == "follow_up"]
    assert (
        probe.vague
        and probe.key_point_id
        == max(
            (p for p in question.key_points if any(f.probes == p.id for f in question.follow_ups)),
            key=lambda p: p.weight,
        ).id
    )
    state, events = on_answer(state, question, fake_grade(question, score, flags=flags))
    assert "follow_up" not in kinds(events), "one probe only"


@pytest.mark.parametrize(
    ("score", "flags"),
    [(0.0, ["dont_know"]), (0.0, ["asks_for_answer"]), (1.0, ["injection_suspected"]), (0.5, ["non_english"]),
     (0.5, ["garbled"]), (4.5, [])],
    ids=["don't know", "asks for the answer", "injection", "another language", "garbled", "strong"],
)  # fmt: skip
def test_no_probe_after_what_is_not_an_attempt_or_a_strong_answer(bank, session, score, flags):
    state = session(question_ids=["intermediate-09-svm-vs-knn"], follow_ups=1)
    question = bank.get(state.current_id)
    _, events = on_answer(state, question, fake_grade(question, score, flags=flags))
    assert "follow_up" not in kinds(events)
