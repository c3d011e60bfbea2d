"""The interview runtime with a real SQLite database: every turn persisted, resumable, ending in a report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.llm import StubChatModel
from interviewer.report import build_report, to_markdown
from interviewer.session import SessionConfig
from interviewer.storage import Storage

from .servers import free_port

runner = CliRunner()


def test_services_sharing_models_reuse_the_loaded_models_but_not_the_database(services, fresh):
    assert fresh.bank is services.bank and fresh.store is services.store and fresh.grading is services.grading
    assert fresh.settings.db_url != services.settings.db_url and fresh.model is None


def test_services_sharing_models_with_a_chat_model_grade_with_it(services, fresh):
    stub = StubChatModel()
    with_llm = fresh.sharing_models(fresh.settings, stub)
    assert with_llm.store is services.store and with_llm.model is stub
    assert with_llm.grading is not services.grading and with_llm.grading.llm is not None


GOOD = ("overfitting is when the model learns the noise in the training data so training error is low but "
        "validation error is high and it doesn't generalise, usually because the model is too complex")  # fmt: skip


def test_each_turn_is_in_the_database_before_the_reply_returns(fresh):
    interview = fresh.interview
    opening = interview.begin(SessionConfig(questions=2, seed=1, follow_ups=0))
    outcome = interview.respond(opening.session_id, "can you repeat that?")
    turns = fresh.storage.turns(opening.session_id)
    assert [t.intent for t in turns] == ["repeat"] and turns[0].grade is None
    assert turns[0].reply == outcome.lines and turns[0].prompt == opening.lines[-1]


def test_state_is_read_from_the_database_so_another_process_can_continue(fresh, tmp_path):
    first = fresh.interview
    opening = first.begin(SessionConfig(questions=2, seed=1, follow_ups=0))
    first.respond(opening.session_id, "skip")
    other = fresh.sharing_models(fresh.settings)
    outcome = other.interview.respond(opening.session_id, "skip")
    assert outcome.done and len(other.storage.turns(opening.session_id)) == 2


def test_empty_input_is_not_a_turn_and_loses_nothing(fresh):
    interview = fresh.interview
    opening = interview.begin(SessionConfig(questions=1, seed=1))
    outcome = interview.respond(opening.session_id, "   ")
    assert "didn't catch" in outcome.lines[0] and fresh.storage.turns(opening.session_id) == []


def test_report_gathers_scores_gaps_and_a_study_list(fresh, bank):
    interview = fresh.interview
    opening = interview.begin(SessionConfig(tracks=["intermediate"], questions=2, seed=2, follow_ups=0))
    interview.respond(opening.session_id, "I don't know")
    interview.respond(opening.session_id, GOOD)
    info = fresh.storage.session(opening.session_id)
    report = build_report(opening.session_id, info.state, fresh.storage.turns(opening.session_id), bank)
    assert report.completed and len(report.questions) == 2
    assert report.questions[0].status == "dont_know" and report.questions[0].score == 0
    assert report.study_list and report.study_list[0].question_id == report.questions[0].question_id
    assert report.overall == pytest.approx(sum(q.score for q in report.questions) / 2, abs=0.01)
    assert "intermediate" in report.per_track and report.gaps


def test_markdown_report_shows_html_as_text(fresh, bank):
    interview = fresh.interview
    opening = interview.begin(SessionConfig(candidate="<script>alert(1)</script>", questions=1, seed=1))
    interview.respond(opening.session_id, "end")
    info = fresh.storage.session(opening.session_id)
    markdown = to_markdown(build_report(opening.session_id, info.state, [], bank))
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


@pytest.mark.parametrize("name", ["[click me](javascript:alert(1))", "![x](http://evil.example/p.png)",
                                  "<a href='javascript:x'>me</a>"])  # fmt: skip
def test_markdown_report_never_turns_a_name_into_a_link_or_an_image(fresh, bank, name):
    from markdown_it import MarkdownIt

    interview = fresh.interview
    opening = interview.begin(SessionConfig(candidate=name, questions=1, seed=1))
    interview.respond(opening.session_id, "end")
    info = fresh.storage.session(opening.session_id)
    rendered = MarkdownIt().render(to_markdown(build_report(opening.session_id, info.state, [], bank)))
    assert "<a " not in rendered and "<img" not in rendered, rendered
    assert "javascript:" in rendered or "evil.example" in rendered, "the name is shown as typed"


def test_practice_script_json_follows_the_contract(monkeypatch, services, tmp_path):
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    script = tmp_path / "answers.txt"
    script.write_text("could you repeat the question?\nI don't know\nskip\n")
    result = runner.invoke(app, ["practice", "--questions", "2", "--seed", "5", "--script", str(script), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"session_id", "turns", "report"} and "overall" in data["report"]
    first, second, third = data["turns"]
    assert first["intent"] == "repeat" and first["grade"] is None and first["kind"] == "question"
    assert second["question_id"] == first["question_id"] and second["grade"]["score"] == 0
    assert third["intent"] == "skip" and third["question_id"] != first["question_id"]
    report = runner.invoke(app, ["report", data["session_id"], "--format", "json"])
    assert json.loads(report.stdout)["overall"] == data["report"]["overall"]


def test_practice_with_a_dead_llm_says_so_once_and_loses_nothing(monkeypatch, services, tmp_path):
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    monkeypatch.setenv("INTERVIEWER_LLM_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")  # nothing listens there
    script = tmp_path / "answers.txt"
    script.write_text("it learns patterns from labelled examples\nit fits the noise of the training data\n")
    result = runner.invoke(app, ["practice", "--questions", "2", "--seed", "3", "--script", str(script)])
    assert result.exit_code == 0, result.output
    assert result.output.count("The LLM could not be used") == 1, result.output
    assert "Connection refused" in result.output
    (session,) = Storage(f"sqlite:///{tmp_path / 'p.sqlite'}").sessions()
    assert len(Storage(f"sqlite:///{tmp_path / 'p.sqlite'}").turns(session.id)) == 2


def test_practice_rejects_an_unknown_track(monkeypatch, services):
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))
    result = runner.invoke(app, ["practice", "--track", "cooking", "--script", __file__])
    assert result.exit_code == 2 and "unknown track" in result.output


def _wait_for_turns(storage: Storage, count: int, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sessions = storage.sessions()
        if sessions and len(storage.turns(sessions[0].id)) >= count:
            return sessions[0].id
        time.sleep(0.2)
    raise AssertionError(f"{count} turns never reached the database")


def test_sigkill_mid_interview_then_resume_loses_no_turn(services, tmp_path):
    env = os.environ | {"INTERVIEWER_DATA_DIR": str(services.settings.data_dir),
                        "INTERVIEWER_DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite'}"}  # fmt: skip
    cli = str(Path(sys.executable).with_name("interviewer"))
    process = subprocess.Popen([cli, "practice", "--questions", "4", "--seed", "9", "--follow-ups", "0"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=env, text=True)  # fmt: skip
    process.stdin.write("skip\n" + GOOD + "\n")
    process.stdin.flush()
    storage = Storage(env["INTERVIEWER_DATABASE_URL"])
    session_id = _wait_for_turns(storage, 2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    before = storage.turns(session_id)
    assert [t.intent for t in before] == ["skip", "answer"] and before[1].grade is not None
    script = tmp_path / "rest.txt"
    script.write_text("skip\nskip\n")
    result = subprocess.run([cli, "practice", "--resume", session_id, "--script", str(script), "--json"],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    turns = json.loads(result.stdout)["turns"]
    assert [t["answer"] for t in turns[:2]] == ["skip", GOOD] and len(turns) == 4
    assert len({t["question_id"] for t in turns}) == 4, "no question asked twice after the restart"
    assert json.loads(result.stdout)["report"]["completed"]


def test_forget_deletes_a_user_with_their_sessions_and_turns(monkeypatch, services, tmp_path):
    url = f"sqlite:///{tmp_path / 'forget.sqlite'}"
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_DATABASE_URL", url)
    script = tmp_path / "a.txt"
    script.write_text("skip\n")
    runner.invoke(app, ["practice", "--questions", "1", "--script", str(script)])
    storage = Storage(url)
    (session,) = storage.sessions("guest")
    result = runner.invoke(app, ["forget", "guest", "--yes"])
    assert result.exit_code == 0 and "Deleted 1 session" in result.output
    assert storage.sessions("guest") == [] and storage.turns(session.id) == []
