"""A SQLite database survives what drops a process's POSIX locks on it: no acknowledged turn is ever lost.

Opening and closing the database file with ordinary file calls inside the server process (as serving it for
download once did) silently drops every lock that process holds on it. In WAL mode the next other process to
open and close the database then believes it is the last user, checkpoints, and deletes the -wal file the
server still writes to: every later turn was acknowledged and lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from interviewer.bank import load_bank
from interviewer.config import Settings
from interviewer.session import SessionConfig, new_session
from interviewer.storage import Storage

SERVER = textwrap.dedent(
    """
    import json, sys
    from interviewer.bank import load_bank
    from interviewer.config import Settings
    from interviewer.session import SessionConfig, new_session
    from interviewer.storage import Storage, Turn

    url, db_file = sys.argv[1], sys.argv[2]
    storage = Storage(url)
    state = new_session(load_bank(Settings().bank_files()).questions, SessionConfig(questions=3))
    session_id = storage.create_session("alice", state, ["hello"])

    def turn(n):
        storage.record_turn(session_id, Turn(question_id=None, prompt="q", answer=f"answer {n}", intent="answer"),
                            state)
        print(json.dumps({"acknowledged": n, "session": session_id}), flush=True)

    turn(1)
    with open(db_file, "rb") as f:  # the lock drop: any open/close of the file in this process
        f.read(100)
    print("dropped", flush=True)
    sys.stdin.readline()  # meanwhile another process opens and closes the database
    for n in range(2, 6):
        turn(n)
    sys.stdin.readline()  # killed here, as a crash or a restart would stop it
    """
)


def test_every_acknowledged_turn_survives_a_lock_drop_and_a_restart(tmp_path: Path):
    db_file = tmp_path / "interviewer.db"
    url = f"sqlite:///{db_file}"
    env = os.environ | {"INTERVIEWER_DATA_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, url, str(db_file)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    acknowledged, session_id = [], None
    try:
        for line in server.stdout:
            if line.strip() == "dropped":
                # another process (the CLI's `sessions`, `report`, a second app) opens and closes the database
                other = Storage(url)
                other.sessions()
                other.engine.dispose()
                server.stdin.write("go\n")
                server.stdin.flush()
                continue
            message = json.loads(line)
            acknowledged.append(message["acknowledged"])
            session_id = message["session"]
            if len(acknowledged) == 5:
                break
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    assert acknowledged == [1, 2, 3, 4, 5]

    after_restart = Storage(url)
    stored = [t.answer for t in after_restart.turns(session_id)]
    assert stored == [f"answer {n}" for n in acknowledged], "an acknowledged turn was lost"


def test_the_database_is_not_left_in_wal_mode(tmp_path: Path):
    """WAL is what makes a lock drop lose turns (its -wal file is deleted by the next last-closer)."""
    storage = Storage(f"sqlite:///{tmp_path / 'x.db'}")
    questions = load_bank(Settings().bank_files()).questions
    storage.create_session("alice", new_session(questions, SessionConfig(questions=1)), [])
    with storage.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode != "wal"
