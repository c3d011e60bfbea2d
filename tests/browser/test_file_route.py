"""Gradio's file route, as a second logged-in user would try it: nothing but one's own downloads is served.

The app used to hand Gradio the data dir and the whole temp dir as allowed paths, so any logged-in user could
download the database (every user's answers), the Chroma store and the TTS cache.
"""

from __future__ import annotations

import glob
import tempfile
import urllib.parse
from pathlib import Path

import httpx
import pytest

from .conftest import App


@pytest.fixture
def two_users_app(app_data):
    app = App(app_data, {"INTERVIEWER_AUTH": "alice:alice-pw,bob:bob-pw"}).start()
    yield app
    app.stop()


def logged_in(url: str, user: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
    response = client.post("/login", data={"username": user, "password": password})
    assert response.status_code == 200, response.text
    return client


def test_a_second_user_gets_none_of_the_servers_files(two_users_app):
    from gradio_client import Client

    data = two_users_app.data_dir
    alice = Client(two_users_app.url, auth=("alice", "alice-pw"), verbose=False)
    alice.predict("alice", ["basics"], 1, "practice", False, False, api_name="/on_start")
    outputs = alice.predict("let's end here", False, "practice", api_name="/on_send")
    assert any("complete" in str(o) for o in outputs), outputs
    from interviewer.storage import Storage

    (session,) = Storage(f"sqlite:///{data / 'interviewer.db'}").sessions("alice")
    session_id = session.id
    (alice_report,) = glob.glob(f"{tempfile.gettempdir()}/interviewer-downloads-*/*/report-{session_id[:8]}.md")
    tts = data / "tts-cache" / "0123456789abcdef.wav"  # another session's synthesized voice
    tts.parent.mkdir(parents=True, exist_ok=True)
    tts.write_bytes(b"RIFF....WAVEfmt ")

    bob = logged_in(two_users_app.url, "bob", "bob-pw")
    cache = Path(tempfile.gettempdir()) / "gradio"
    wanted = {
        "database": data / "interviewer.db",
        "chroma store": data / "chroma" / "chroma.sqlite3",
        "tts cache": tts,
        "another user's report, where it was written": Path(alice_report),
        "traversal out of gradio's cache": f"{cache}/../../{(data / 'interviewer.db').resolve()}",
        "encoded traversal": f"{cache}/%2e%2e/%2e%2e{(data / 'interviewer.db').resolve()}",
        "system file": "/etc/passwd",
    }
    for what, path in wanted.items():
        assert Path(str(path).replace("%2e", ".")).exists() or "traversal" in what, what
        quoted = str(path) if "%" in str(path) else urllib.parse.quote(str(path))
        response = bob.get(f"/gradio_api/file={quoted}")
        assert response.status_code in (403, 404), f"{what}: {response.status_code}"
        assert b"SQLite format" not in response.content


def test_guessing_a_password_through_the_login_route_locks_the_name(two_users_app):
    client = httpx.Client(base_url=two_users_app.url, timeout=30)
    for _ in range(5):
        assert client.post("/login", data={"username": "alice", "password": "guess"}).status_code == 400
    locked = client.post("/login", data={"username": "alice", "password": "alice-pw"})
    assert locked.status_code == 400, "the right password is refused while the name is locked"
    assert client.post("/login", data={"username": "bob", "password": "bob-pw"}).status_code == 200
