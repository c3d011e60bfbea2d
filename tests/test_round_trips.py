"""Database round trips per UI request: a typed answer reads the session once and writes the turn and state once.

Before the session was read once per request and passed to what renders, one answer cost 15 statements over
7 connections (18 over 9 for the last one, which builds the report); it now costs 5 over 2, on any turn.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event

from interviewer.storage import Turn
from interviewer.ui import Handlers

ANSWER = "it learns from labelled examples, pairs of inputs and the right outputs, to predict labels for new inputs"
ONE_READ_ONE_WRITE = [("reads", "ROLLBACK"), ("writes", "COMMIT")]  # the session and its turns, then the turn saved


@pytest.fixture
def handlers(services, tmp_path) -> Handlers:
    """UI handlers over a database of their own, sharing the test session's store and models."""
    settings = services.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    return Handlers(services.sharing_models(settings))


@pytest.fixture
def transactions(handlers) -> Iterator[list[list[str]]]:
    """The statements the handlers send, grouped by transaction: each list ends in COMMIT or ROLLBACK."""
    seen: list[list[str]] = []
    engine = handlers.services.storage.engine

    def begin(_connection) -> None:
        seen.append([])

    def statement(_connection, _cursor, sql: str, _parameters, _context, _many) -> None:
        seen[-1].append(sql.split()[0].upper())

    def commit(_connection) -> None:
        seen[-1].append("COMMIT")

    def rollback(_connection) -> None:
        seen[-1].append("ROLLBACK")

    listeners = [("begin", begin), ("before_cursor_execute", statement), ("commit", commit), ("rollback", rollback)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    yield seen
    for name, listener in listeners:
        event.remove(engine, name, listener)


def _kinds(transactions: list[list[str]]) -> list[tuple[str, str]]:
    """Each transaction as (whether it writes, how it ended)."""
    writes = {"INSERT", "UPDATE", "DELETE"}
    return [("writes" if writes & set(t) else "reads", t[-1]) for t in transactions]


def _statements(transactions: list[list[str]]) -> int:
    return sum(1 for t in transactions for verb in t if verb not in ("COMMIT", "ROLLBACK"))


def test_a_typed_answer_is_one_read_and_one_write(handlers, transactions):
    sid = handlers.on_start("", ["basics"], 2, "practice", False, False).session_id
    transactions.clear()
    shown = handlers.on_send(sid, ANSWER, None, False)
    assert _kinds(transactions) == ONE_READ_ONE_WRITE
    # 5 (was 15), and 4 more because the answer finishes the question: its key points' mastery is read once and
    # written in batches (the question has more key points than that).
    assert _statements(transactions) <= 9
    assert [m["content"] for m in shown.chat if m["role"] == "user"] == [ANSWER]
    assert "/5" in shown.feedback and shown.progress == "Question 2 of 2" and shown.report == ""
    assert list(shown.plot["question"]) == ["Q1"]


def test_the_last_answer_renders_the_report_without_reading_again(handlers, transactions):
    sid = handlers.on_start("", ["basics"], 2, "practice", False, False).session_id
    handlers.on_send(sid, "skip", None, False)
    transactions.clear()
    shown = handlers.on_send(sid, ANSWER, None, False)
    assert _kinds(transactions) == ONE_READ_ONE_WRITE
    assert _statements(transactions) <= 9  # was 18; 5 and the 4 of the key points' mastery, as above
    assert shown.progress == "Interview complete: 2 of 2 questions" and len(shown.plot) == 2
    assert "Mock interview report" in shown.report


def test_starting_is_one_transaction_and_resuming_one_read(handlers, transactions):
    sid = handlers.on_start("", ["basics"], 2, "practice", False, False).session_id
    assert _kinds(transactions) == [("writes", "COMMIT")] and _statements(transactions) <= 3  # was 13
    handlers.on_send(sid, ANSWER, None, False)
    transactions.clear()
    chat = handlers.on_resume(sid, False).chat
    assert _kinds(transactions) == [("reads", "ROLLBACK")]
    assert [m["content"] for m in chat if m["role"] == "user"] == [ANSWER]
    assert chat[-2]["content"] == "Welcome back. Here&#x27;s where we were."


def test_an_answer_overtaken_by_another_windows_turn_is_refused_with_a_message(handlers, monkeypatch):
    """Saving it would overwrite what the other turn decided (the state it was graded from is stale)."""
    import gradio as gr

    sid = handlers.on_start("", ["basics"], 2, "practice", False, False).session_id
    storage, grading = handlers.services.storage, handlers.services.grading
    grade = grading.grade

    def grade_while_another_request_answers(reference, text):
        state = storage.session(sid).state
        storage.record_turn(sid, Turn(question_id=state.current_id, prompt=state.asked, answer="the other tab",
                                      intent="repeat", reply=["Sure."]), state)  # fmt: skip
        return grade(reference, text)

    monkeypatch.setattr(grading, "grade", grade_while_another_request_answers)
    with pytest.raises(gr.Error, match="moved on in another window .* not saved"):
        handlers.on_send(sid, ANSWER, None, False)
    assert [t.answer for t in storage.turns(sid)] == ["the other tab"]
