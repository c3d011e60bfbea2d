"""UI handlers without a browser: ownership checks, feedback card escaping, plot data, LLM notices, auth parsing."""

from __future__ import annotations

import re
from types import SimpleNamespace

import gradio as gr
import pytest

from interviewer.config import Settings
from interviewer.errors import SetupError
from interviewer.llm import StubChatModel, model_from_settings
from interviewer.ui import Handlers, warm_up
from interviewer.ui.views import feedback_html, score_frame
from tests.fake_openai import closed_port_url


@pytest.fixture
def handlers(services, tmp_path):
    made = services.sharing_models(
        services.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    )
    return Handlers(made, auth_enabled=True)


@pytest.fixture
def dead_llm_services(services, tmp_path):
    """Services whose configured LLM is the real client pointed at a port where nothing listens."""
    settings = services.settings.model_copy(update={
        "llm_base_url": closed_port_url(), "llm_api_key": "test", "llm_model": "fake-model", "llm_timeout_s": 2.0,
        "llm_max_retries": 1, "database_url": f"sqlite:///{tmp_path / 'db.sqlite'}",
    })  # fmt: skip
    return services.sharing_models(settings, model_from_settings(settings))


def as_user(name: str):
    return SimpleNamespace(username=name)


SHORT_ANSWER = "a feature is an input the model sees, the label is what it predicts"


def test_a_user_cannot_resume_or_answer_in_another_users_session(handlers):
    sid = handlers.start("Alice", ["basics"], 2, "practice", True, None, as_user("alice")).session_id
    with pytest.raises(SetupError, match="no session"):
        handlers.resume(sid, as_user("bob"))
    with pytest.raises(SetupError, match="no session"):
        handlers.send(sid, "my answer", None, as_user("bob"))
    assert handlers.services.storage.turns(sid) == []
    assert handlers.send(sid, "skip", None, as_user("alice")).turn is not None


def test_history_lists_only_the_users_own_sessions(handlers):
    handlers.start("A", ["basics"], 1, "practice", True, None, as_user("alice"))
    table, _, _ = handlers.history(as_user("bob"))
    assert table.empty
    table, _, unfinished = handlers.history(as_user("alice"))
    assert len(table) == 1 and unfinished["choices"]


def test_the_history_plot_gets_numeric_scores_even_before_there_are_any(handlers):
    plot = gr.LinePlot(x="when", y="overall")
    _, empty, _ = handlers.history(as_user("alice"))
    sid = handlers.start("", ["basics"], 1, "practice", False, None, as_user("alice")).session_id
    handlers.send(sid, "a feature is an input the model sees, the label is what it predicts", None, as_user("alice"))
    _, scored, _ = handlers.history(as_user("alice"))
    before, after = plot.postprocess(empty), plot.postprocess(scored)
    assert before.datatypes == after.datatypes == {"when": "nominal", "overall": "quantitative"}
    assert before.data == [] and len(after.data) == 1


def test_the_feedback_card_escapes_the_answers_words(handlers):
    sid = handlers.start("", ["intermediate"], 1, "practice", True, None, as_user("alice")).session_id
    outcome = handlers.send(sid, "<img src=x onerror=alert(1)> overfitting memorises the noise in training data",
                            None, as_user("alice"))  # fmt: skip
    card = feedback_html(outcome, show=True)
    assert "<img" not in card and "/5" in card


def test_the_score_plot_gets_text_questions_and_numeric_scores_from_the_start(handlers):
    # The browser fixes the plot's axis types from its first value (on Start, no rows) and only swaps data later.
    plot = gr.BarPlot(x="question", y="score")
    started = handlers.start("", ["basics"], 2, "practice", False, None, as_user("alice"))
    sid = started.session_id
    answered = handlers.send(sid, "a feature is an input the model sees, the label is what it predicts", None,
                             as_user("alice"))  # fmt: skip
    before, after = (plot.postprocess(score_frame(o.record.state)) for o in (started, answered))
    assert before.datatypes == after.datatypes == {"question": "nominal", "score": "quantitative"}
    assert before.data == [] and after.data == [["Q1", answered.grade.score]]


def test_the_warm_up_loads_the_local_models_without_calling_the_llm(services):
    stub = StubChatModel()  # no script: any call would fail (and count in stub.sent)
    warm_up(services.sharing_models(services.settings, stub))
    assert stub.sent == []


def test_with_a_dead_llm_each_sessions_notice_says_the_connection_error(dead_llm_services):
    # The notice shows once per session, and a session's first LLM call may be skipped by the circuit breaker
    # (opened by another session, or by this one's opening line): the notice still names the real failure.
    handlers = Handlers(dead_llm_services)
    warm_up(dead_llm_services)
    notices = []
    for _ in range(2):
        sid = handlers.on_start("", ["basics"], 2, "practice", False, False).session_id
        notices.append(handlers.on_send(sid, SHORT_ANSWER, None, False).notice)
        again = handlers.on_send(sid, SHORT_ANSWER, None, False).notice
        assert again == gr.update(), "a session's second fallback leaves the notice as it is"
    for notice in notices:
        assert "An LLM reply could not be used" in notice and "recently" not in notice, notice
        assert re.search(r"Connection refused( \(since \d\d:\d\d:\d\d; retrying after \d\d:\d\d:\d\d\))?\)$",
                         notice), notice  # fmt: skip


def test_sending_before_starting_says_what_to_do(handlers):
    with pytest.raises(gr.Error, match="Start an interview first"):
        handlers.send("", "hello", None, as_user("alice"))


def test_auth_pairs_from_a_string_or_a_file(tmp_path, monkeypatch):
    assert Settings.load(auth="alice:pw1, bob:pw:2").auth == [("alice", "pw1"), ("bob", "pw:2")]
    users = tmp_path / "users.txt"
    users.write_text("carol:secret\n")
    monkeypatch.setenv("INTERVIEWER_AUTH", str(users))
    assert Settings.load().auth == [("carol", "secret")]
    with pytest.raises(SetupError, match="INTERVIEWER_AUTH") as failed:
        Settings.load(auth="no-password-here")
    assert "no-password-here" not in str(failed.value), "a password is never echoed"


def test_the_history_shows_each_users_own_mastery_by_topic_key_point_and_due(handlers):
    sid = handlers.start("", ["basics"], 1, "practice", False, None, as_user("alice")).session_id
    handlers.send(sid, "I don't know", None, as_user("alice"))
    topics, points, due, plot = handlers.progress(as_user("alice"))
    assert list(topics["topic"]) == ["basics"] and topics["due now"][0] == len(points) == len(due) > 0
    assert set(points["last time"]) == {"missed"} and list(plot["topic"]) == ["basics"]
    assert all(len(frame) == 0 for frame in handlers.progress(as_user("bob")))


def test_review_with_nothing_due_is_a_message_not_a_failure(handlers):
    with pytest.raises(gr.Error, match="no history yet"):
        handlers.on_review("", ["basics"], 2, "practice", False, False, as_user("carol"))
