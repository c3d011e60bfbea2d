"""Many requests at once: grading shares nothing mutable across threads, and a double submit is one turn."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from wordfreq import top_n_list

from interviewer.grading.budget import MAX_DISTINCT_WORDS, CostLanes, graded_portion
from interviewer.grading.targets import target_for_question
from interviewer.grading.text import stem
from interviewer.session import SessionConfig

VOCABULARY = top_n_list("en", 30_000)[3_000:]


def distinct_answer(seed: int, n_words: int = 900) -> str:
    return " ".join(random.Random(seed).sample(VOCABULARY, n_words))


def test_stemming_from_many_threads_gives_the_same_stems_as_one_thread():
    vocabulary = VOCABULARY[:4000]
    expected = {w: stem.__wrapped__(w) for w in vocabulary}
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda w: (w, stem.__wrapped__(w)), vocabulary * 4))
    assert all(expected[w] == s for w, s in results)


def test_eight_long_distinct_answers_graded_at_once_all_succeed(grading, bank):
    target = target_for_question(bank, "intermediate-08-decision-tree-vs-random-forest")
    with ThreadPoolExecutor(8) as pool:
        grades = list(pool.map(lambda seed: grading.grade(target, distinct_answer(seed)), range(8)))
    assert len(grades) == 8 and all(g.score <= 1 for g in grades)


def test_the_work_per_answer_is_bounded_by_distinct_words_and_the_rest_is_noted(grading, bank):
    answer = distinct_answer(1, 900)
    portion = graded_portion(answer)
    assert portion.cut and portion.distinct_words <= MAX_DISTINCT_WORDS and portion.heavy
    grade = grading.grade(target_for_question(bank, "intermediate-01-overfitting"), answer)
    assert any(f"only the first {portion.words_read} of 900 words were graded" in n for n in grade.notes)


def test_an_ordinary_answer_is_read_whole_and_is_not_heavy():
    answer = ("overfitting is when the model learns the noise in the training data, so training error is low but "
              "validation error is high. you fix it with regularisation, more data or early stopping.")  # fmt: skip
    portion = graded_portion(answer)
    assert portion.text == answer and not portion.cut and not portion.heavy and portion.note is None


def test_heavy_answers_take_turns_while_ordinary_ones_do_not_wait_for_them():
    lanes = CostLanes(ordinary_slots=2, heavy_slots=1)
    heavy, ordinary = graded_portion(distinct_answer(2, 500)), graded_portion("a short ordinary answer")
    inside, release = threading.Event(), threading.Event()

    def hold_heavy():
        with lanes.lane(heavy):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold_heavy)
    holder.start()
    inside.wait(10)
    second_heavy_got_in = threading.Event()

    def second_heavy():
        with lanes.lane(heavy):
            second_heavy_got_in.set()

    waiter = threading.Thread(target=second_heavy)
    waiter.start()
    with lanes.lane(ordinary):  # enters at once although the heavy lane is taken
        assert not second_heavy_got_in.wait(0.3), "a second heavy answer waits for the first"
    release.set()
    holder.join(10)
    assert second_heavy_got_in.wait(10)
    waiter.join(10)


@pytest.fixture
def fresh(services, tmp_path):
    return services.sharing_models(
        services.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    )


GOOD = ("overfitting is when the model learns the noise in the training data so training error is low but "
        "validation error is high and it doesn't generalise, usually because the model is too complex")  # fmt: skip


def test_a_double_submit_stores_one_turn_and_both_requests_show_its_result(fresh, monkeypatch):
    interview = fresh.interview
    opening = interview.begin(SessionConfig(questions=2, seed=1, follow_ups=0))
    both_grading = threading.Barrier(2)
    real = fresh.grading.grade

    def grade_when_both_are_in(target, answer):  # both requests read the session before either saves
        both_grading.wait(timeout=30)
        return real(target, answer)

    monkeypatch.setattr(fresh.grading, "grade", grade_when_both_are_in)
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: interview.respond(opening.session_id, GOOD), range(2))
    turns = fresh.storage.turns(opening.session_id)
    assert len(turns) == 1 and len(fresh.storage.record(opening.session_id).state.results) == 1
    assert first.grade.score == second.grade.score == turns[0].grade.score
    assert first.lines == second.lines == turns[0].reply


def test_a_different_answer_racing_another_window_is_refused_not_lost_silently(fresh, monkeypatch):
    from interviewer.storage import SessionMoved

    interview = fresh.interview
    opening = interview.begin(SessionConfig(questions=2, seed=1, follow_ups=0))
    both_grading = threading.Barrier(2)
    real = fresh.grading.grade

    def grade_when_both_are_in(target, answer):
        both_grading.wait(timeout=30)
        return real(target, answer)

    monkeypatch.setattr(fresh.grading, "grade", grade_when_both_are_in)
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(interview.respond, opening.session_id, text)
                   for text in (GOOD, GOOD + " and more data helps")]  # fmt: skip
        outcomes = [f.exception() or f.result() for f in futures]
    refused = [o for o in outcomes if isinstance(o, SessionMoved)]
    assert len(refused) == 1 and "was not saved" in str(refused[0])
    assert len(fresh.storage.turns(opening.session_id)) == 1
