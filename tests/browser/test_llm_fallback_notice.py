"""An LLM that is configured but fails: every answer still gets its feedback, the notice shows once, no turn is lost."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from interviewer.storage import Storage
from tests import fake_openai
from tests.fake_openai import closed_port_url, not_json, status

from .conftest import App, shot

fake_llm = fake_openai.fake_llm  # the fixture: a started fake server, stopped after the test

NOTICE = "An LLM reply could not be used"
FAILURES = {"server_error": status(500), "not_json": not_json(), "dead_port": None}  # None: nothing listens
REASONS = {"server_error": "HTTP 500", "not_json": "not JSON", "dead_port": "Connection refused"}
ANSWERS = [
    "A feature is an input the model sees, like the size of a house, and the label is what we want to predict.",
    "It learns from labelled examples, pairs of inputs and the right outputs, to predict labels for new inputs.",
    "We keep a test set apart and only measure on it at the very end, so the estimate of the error is honest.",
]
# Each notice #notice shows, in order (the queue timer drawn over it is left out). A notice shown again on a later
# turn adds a line only when its text differs, which none of these faults' does: the once-per-session rule in ui.py
# is checked by tests/test_ui_handlers.py (with a dead LLM, a session's second fallback leaves the notice alone).
WATCH_NOTICE = """(notice) => {
    window.__notices = [];
    const box = document.querySelector('#notice');
    new MutationObserver(() => {
        const line = box.innerText.split('\\n').find((text) => text.includes(notice));
        if (line && line !== window.__notices.at(-1)) window.__notices.push(line);
    }).observe(box, {childList: true, subtree: true, characterData: true});
}"""


@pytest.fixture(params=list(FAILURES))
def failing_llm_url(request, fake_llm) -> str:
    """The base URL of an OpenAI-compatible server on 127.0.0.1 that fails every request (or of a dead port)."""
    behaviour = FAILURES[request.param]
    if behaviour is None:
        return closed_port_url()
    fake_llm.default = behaviour
    return fake_llm.base_url


@pytest.fixture
def llm_app(app_data, failing_llm_url) -> Iterator[App]:
    env = {"INTERVIEWER_LLM_BASE_URL": failing_llm_url, "INTERVIEWER_LLM_API_KEY": "test",
           "INTERVIEWER_LLM_MODEL": "fake-model", "INTERVIEWER_LLM_TIMEOUT_S": "2", "INTERVIEWER_LLM_MAX_RETRIES": "1",
           "INTERVIEWER_DATABASE_URL": f"sqlite:///{app_data / 'interviews.sqlite'}"}  # fmt: skip
    app = App(app_data, env).start()
    yield app
    app.stop()


def test_a_failing_llm_is_noticed_once_and_every_answer_is_graded(llm_app, page, request):
    page.goto(llm_app.url)
    assert "LLM fake-model at http://127.0.0.1:" in page.locator("#model-info").inner_text()
    page.locator("#questions input[type=number]").fill(str(len(ANSWERS)))
    page.locator("#follow-ups input").uncheck()
    page.evaluate(WATCH_NOTICE, NOTICE)
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    cards = []
    for n, text in enumerate(ANSWERS, 1):
        page.locator("#answer textarea").fill(text)
        page.locator("#send").click()
        # The chat, the feedback card and the notice come back together in one response.
        page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=\"user\"]').length >= {n}")
        cards.append(page.locator("#feedback").inner_text())
    page.wait_for_function("document.querySelector('#report').innerText.includes('Mock interview report')")
    shot(page, f"llm-fallback-notice-{request.node.callspec.id}")

    assert all(re.search(r"\d(\.5)?/5", card) for card in cards) and len(set(cards)) == len(ANSWERS), cards
    assert page.locator('#chat [data-testid="user"]').count() == len(ANSWERS)
    notices = page.evaluate("window.__notices")
    assert len(notices) == 1 and NOTICE in notices[0], notices
    assert REASONS[request.node.callspec.id] in notices[0], notices  # the failure itself, even from a skipped call
    assert page.locator("body").inner_text().count(NOTICE) == 1
    assert NOTICE not in page.locator("#chat").inner_text()  # the notice is beside the conversation, not in it

    storage = Storage(llm_app.env["INTERVIEWER_DATABASE_URL"])
    (session,) = storage.sessions()
    turns = storage.turns(session.id)
    assert [t.answer for t in turns] == ANSWERS and session.state.done
    assert all(t.grade is not None and "llm_fallback" in t.grade.flags for t in turns)
