"""With INTERVIEWER_AUTH, each user sees only their own sessions, in the browser and through the API."""

from __future__ import annotations

import pytest

from .conftest import App, shot


@pytest.fixture
def auth_app(app_data):
    app = App(app_data, {"INTERVIEWER_AUTH": "alice:alice-pw,bob:bob-pw"}).start()
    yield app
    app.stop()


def login(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(user)
    page.locator("input[type=password]").first.fill(password)
    page.get_by_role("button", name="Login").click()
    page.locator("#start").wait_for()


def test_two_users_cannot_see_or_resume_each_others_sessions(auth_app, browser, tmp_path):
    alice = browser.new_context().new_page()
    login(alice, auth_app.url, "alice", "alice-pw")
    alice.locator("#questions input[type=number]").fill("2")
    alice.locator("#start").click()
    alice.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    alice.locator("#answer textarea").fill("skip")
    alice.locator("#send").click()
    alice.wait_for_function("document.querySelector('#progress').innerText.includes('Question 2')")
    shot(alice, "auth-alice")

    from interviewer.storage import Storage

    storage = Storage(f"sqlite:///{(auth_app.data_dir / 'interviewer.db').resolve()}")
    (alice_session,) = storage.sessions("alice")

    bob = browser.new_context().new_page()
    login(bob, auth_app.url, "bob", "bob-pw")
    bob.get_by_role("tab", name="History").click()
    bob.wait_for_timeout(1500)
    shot(bob, "auth-bob-history")
    assert alice_session.id not in bob.content()

    from gradio_client import Client

    client = Client(auth_app.url, auth=("bob", "bob-pw"), verbose=False)
    with pytest.raises(Exception, match="no session|not in the list of choices"):
        client.predict(alice_session.id, False, api_name="/on_resume")
    with pytest.raises(Exception, match="."):  # the session id is server-side state: a client cannot name one
        client.predict(alice_session.id, "my answer", api_name="/on_send")
    assert len(storage.turns(alice_session.id)) == 1, "bob could not add a turn to alice's session"

    wrong = browser.new_context().new_page()
    wrong.goto(auth_app.url)
    wrong.locator("input[type=password]").first.fill("nope")
    assert wrong.locator("#start").count() == 0
