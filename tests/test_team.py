"""Beyond one machine: PostgreSQL and a Chroma server shared by two app processes; the load benchmark runs a
short profile here (the full 20-candidate profile is `benchmarks/bench_load.py`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from interviewer.storage import Storage

from .browser.conftest import App
from .servers import ChromaServer, Postgres

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def postgres():
    directory = Path(tempfile.mkdtemp(prefix="interviewer-pg-"))
    os.chmod(directory, 0o755)
    try:
        server = Postgres(directory / "cluster").start()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chroma(tmp_path_factory):
    server = ChromaServer(tmp_path_factory.mktemp("chroma")).start()
    yield server
    server.stop()


@pytest.fixture
def team_env(postgres, chroma, tmp_path) -> dict[str, str]:
    env = os.environ | {
        "INTERVIEWER_DATA_DIR": str(tmp_path / "data"),
        "INTERVIEWER_DATABASE_URL": postgres.url,
        "INTERVIEWER_CHROMA_HOST": "127.0.0.1",
        "INTERVIEWER_CHROMA_PORT": str(chroma.port),
        "INTERVIEWER_CHROMA_COLLECTION": f"team-{os.getpid()}",
    }
    (tmp_path / "data").mkdir()
    subprocess.run([sys.executable, "-m", "interviewer.cli", "ingest"], env=env, check=True, capture_output=True)
    return env


def test_a_session_started_on_one_process_is_resumed_on_the_other(team_env, tmp_path):
    from gradio_client import Client

    first = App(tmp_path / "data", team_env).start()
    second = App(tmp_path / "data", team_env).start()
    try:
        a = Client(first.url, verbose=False)
        a.predict("team", ["basics"], 3, "practice", False, False, api_name="/on_start")
        a.predict("I think it is when the model learns from labelled examples", False, "practice", api_name="/on_send")
        storage = Storage(team_env["INTERVIEWER_DATABASE_URL"])
        (session,) = [s for s in storage.sessions() if s.state.config.candidate == "team"]
        assert len(storage.turns(session.id)) == 1

        b = Client(second.url, verbose=False)
        b.predict(api_name="/history")
        resumed = b.predict(session.id, False, api_name="/on_resume")
        chat = resumed[0]  # outputs come back without the gr.State ones: chat first
        assert any("labelled examples" in str(message) for message in chat)
        b.predict("skip", False, "practice", api_name="/on_send")
        assert [t.intent for t in storage.turns(session.id)] == ["answer", "skip"]
    finally:
        first.stop()
        second.stop()


def test_load_short_profile_on_postgres_and_two_processes_loses_nothing(team_env):
    from bench_load import run

    (figures,) = run(candidates=4, questions=2, processes=2, env=team_env, timeout=240).values()
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["lost_turns"] == 0 and figures["completed"] == 4


def test_load_short_profile_on_sqlite_loses_nothing(tmp_path, services):
    from bench_load import run

    env = os.environ | {"INTERVIEWER_DATA_DIR": str(services.settings.data_dir),
                        "INTERVIEWER_DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite'}"}  # fmt: skip
    (figures,) = run(candidates=4, questions=2, processes=1, env=env, timeout=240).values()
    assert figures["errors"] == 0, figures["error_samples"]
    assert figures["lost_turns"] == 0 and figures["completed"] == 4


def test_load_with_hostile_candidates_beside_ordinary_ones_has_no_error_and_loses_nothing(tmp_path, services):
    """Long answers of distinct made-up words, 900 distinct words and injections, beside ordinary interviews."""
    from bench_load import run

    env = os.environ | {"INTERVIEWER_DATA_DIR": str(services.settings.data_dir),
                        "INTERVIEWER_DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite'}"}  # fmt: skip
    rounds = run(candidates=3, questions=2, processes=1, env=env, timeout=300, hostile=3)
    for name, figures in rounds.items():
        assert figures["errors"] == 0, (name, figures["error_samples"])
        assert figures["lost_turns"] == 0 and figures["completed"] == 3, (name, figures)
