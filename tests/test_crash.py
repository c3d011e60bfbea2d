"""Crashes: a kill during a burst of writes leaves a sound database; a killed app resumes in the browser."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from interviewer.storage import Storage

WRITER = """
import sys
from interviewer.session import SessionConfig, SessionState
from interviewer.storage import Storage, Turn
storage = Storage(sys.argv[1])
state = SessionState(config=SessionConfig(), plan=["basics-01-machine-learning"])
sid = storage.create_session("writer", state, ["hello"])
print(sid, flush=True)
n = 0
while True:
    n += 1
    state = state.model_copy(update={"asked": f"turn {n}"})
    storage.record_turn(sid, Turn(question_id="basics-01-machine-learning", prompt=f"p{n}", answer="x" * 2000,
                                  intent="answer", reply=[f"r{n}"]), state)
"""


def test_a_kill_during_a_burst_of_writes_leaves_every_committed_turn_intact(tmp_path):
    url = f"sqlite:///{tmp_path / 'burst.sqlite'}"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, url], stdout=subprocess.PIPE, text=True)
    session_id = writer.stdout.readline().strip()
    time.sleep(1.5)  # hundreds of commits in flight
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)

    with sqlite3.connect(tmp_path / "burst.sqlite") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    storage = Storage(url)
    turns = storage.turns(session_id)
    assert len(turns) > 10
    assert [t.seq for t in turns] == list(range(1, len(turns) + 1)), "no gap, no half-written turn"
    state = storage.session(session_id).state
    # The state was saved in the same transaction as the last turn: they agree.
    assert state.asked == f"turn {len(turns)}"
    assert all(t.answer == "x" * 2000 for t in turns)


def test_a_killed_app_is_restarted_and_the_browser_resumes_with_no_turn_lost(app_data, browser, tmp_path):
    from .browser.conftest import App, shot

    app = App(app_data).start()
    page = browser.new_context().new_page()
    page.set_default_timeout(60_000)
    page.goto(app.url)
    page.locator("#questions input[type=number]").fill("3")
    page.locator("#follow-ups input").uncheck()
    page.locator("#start").click()
    page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"bot\"]').length >= 2")
    for text in ("it learns patterns from labelled data to predict labels for new inputs", "skip"):
        page.locator("#answer textarea").fill(text)
        page.locator("#send").click()
        page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=\"user\"]').length >= "
                               f"{1 if text != 'skip' else 2}")  # fmt: skip
    page.wait_for_function("document.querySelector('#progress').innerText.includes('Question 3')")
    os.kill(app.process.pid, signal.SIGKILL)
    app.process.wait(timeout=10)

    restarted = App(app_data).start()
    try:
        page = browser.new_context().new_page()
        page.set_default_timeout(60_000)
        page.goto(restarted.url)
        # The history loads after the page: wait until the dropdown holds the unfinished session.
        page.wait_for_function("(document.querySelector('#unfinished input') || {}).value")
        page.locator("#resume").click()
        page.wait_for_function("document.querySelectorAll('#chat [data-testid=\"user\"]').length >= 2")
        shot(page, "crash-resumed")
        text = page.locator("#chat").inner_text()
        assert "labelled data" in text and "skip" in text
        assert "Question 3 of 3" in page.locator("#progress").inner_text()
        page.locator("#answer textarea").fill("I don't know")
        page.locator("#send").click()
        page.wait_for_function("document.querySelector('#report').innerText.includes('Mock interview report')")
        storage = Storage(f"sqlite:///{(Path(app_data) / 'interviewer.db').resolve()}")
        (session,) = storage.sessions()
        assert [t.answer for t in storage.turns(session.id)][:2] == [
            "it learns patterns from labelled data to predict labels for new inputs", "skip"]  # fmt: skip
        assert len(storage.turns(session.id)) == 3
    finally:
        restarted.stop()
