"""The command line, through typer's runner: contracts of DESIGN.md."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app

from .conftest import SHARED

runner = CliRunner()


def test_ingest_twice_reports_no_changes_the_second_time(bank):
    first = runner.invoke(app, ["ingest"])
    assert first.exit_code == 0, first.output
    assert f"Embedded {len(bank.questions)} question(s)" in first.output
    second = runner.invoke(app, ["ingest"])
    assert second.exit_code == 0 and "No changes" in second.output


def test_ingest_of_a_broken_user_bank_names_the_problem_and_ingests_nothing(tmp_path):
    broken = tmp_path / "mine.yaml"
    broken.write_text("questions:\n  - id: my-question\n    track: custom\n    text: What is a tensor?\n")
    result = runner.invoke(app, ["ingest", "--bank", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: my-question: reference_answer: Field required" in result.output
    assert "nothing was ingested" in result.output
    kept = Path(os.environ["INTERVIEWER_DATA_DIR"]) / "banks"
    assert not kept.exists() or not any(kept.iterdir()), "an invalid bank is not kept for later runs"
    graded = runner.invoke(app, ["grade", "-q", "What is a tensor?", "--question-id", "my-question", "-a", "an array"])
    assert graded.exit_code != 0 and "my-question" in graded.output


def test_a_user_bank_is_validated_ingested_and_kept(tmp_path, bank):
    mine = bank.get("advanced-03-cnn").model_dump(exclude_defaults=True) | {"id": "custom-01-tensor", "track": "custom",
                                                                           "text": "What is a tensor?", "related": []}  # fmt: skip
    import yaml

    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({"questions": [mine]}))
    result = runner.invoke(app, ["ingest", "--bank", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Embedded {len(bank.questions) + 1} question(s)" in result.output
    again = runner.invoke(app, ["ingest"])
    assert "No changes" in again.output, "the user bank is remembered in the data dir"


def test_grade_json_names_the_matched_bank_question(shared_store):
    result = runner.invoke(app, ["grade", "--question", "so what's overfitting", "--answer",
                                 "the model memorises the training data and fails on new data", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    grade = json.loads(result.stdout)
    assert grade["question_id"] == "intermediate-01-overfitting"
    assert grade["question_text"] == "What is overfitting?"
    assert set(grade) >= {"score", "band", "covered", "missed", "misconceptions", "feedback", "model_answer",
                          "grader", "flags"}  # fmt: skip


def test_grade_with_a_reference_grades_against_it(shared_store):
    result = runner.invoke(app, ["grade", "-q", "What is a stack?", "-a", "last in first out, push and pop at the top",
                                 "-r", "A stack is a LIFO structure where push and pop happen at the top.", "--json"])  # fmt: skip
    assert result.exit_code == 0 and json.loads(result.stdout)["score"] >= 3


def test_grade_of_an_unknown_question_without_reference_says_what_to_do(shared_store):
    result = runner.invoke(app, ["grade", "-q", "What's the capital of France?", "-a", "Paris"])
    assert result.exit_code == 1
    assert "--reference" in result.output


def test_eval_grader_dataset_matches_grading_each_item_alone(shared_store, tmp_path):
    items = [
        {"id": "a", "question": "What is overfitting?", "answer": "it memorises noise and fails on new data", "score": 4},
        {"id": "b", "question": "What is a stack?", "student_answer": "LIFO: push and pop at the top",
         "reference_answer": "A stack is last-in first-out; push and pop at the top.", "score": 10, "max_score": 10},
        {"id": "c", "question": "What is overfitting?", "answer": "I don't know", "score": 0},
    ]  # fmt: skip
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items))
    result = runner.invoke(app, ["eval", "grader", "--dataset", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"n", "pearson", "spearman", "rmse", "mae", "qwk", "items"} and report["n"] == 3
    assert [i["id"] for i in report["items"]] == ["a", "b", "c"]
    assert report["items"][1]["score_true"] == 5.0
    for item, row in zip(items, report["items"], strict=True):
        args = ["grade", "-q", item["question"], "-a", item.get("answer") or item["student_answer"], "--json"]
        if "reference_answer" in item:
            args += ["-r", item["reference_answer"]]
        alone = json.loads(runner.invoke(app, args).stdout)
        assert alone["score"] == row["score_pred"]
        # why, without running grade again: the same flags, key points and misconceptions
        assert row["flags"] == alone["flags"] and row["question_id"] == alone["question_id"]
        assert row["covered"] == [c["id"] for c in alone["covered"]]
        assert row["missed"] == [m["id"] for m in alone["missed"]]
        assert row["misconceptions"] == [m["id"] for m in alone["misconceptions"]]
    assert "dont_know" in report["items"][2]["flags"]


def test_eval_dataset_with_a_malformed_line_names_the_line(shared_store, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "q", "answer": "a", "score": 1}\n{"question": "q", "score": 1}\n')
    result = runner.invoke(app, ["eval", "grader", "--dataset", str(path)])
    assert result.exit_code == 1 and f"{path}:2:" in result.output


@pytest.mark.skipif(not (SHARED / "asag" / "mohler_dev.jsonl").exists(), reason="../shared/asag not present")
def test_eval_on_the_public_data_set_agrees_with_human_graders(shared_store, tmp_path):
    rows = (SHARED / "asag" / "mohler_dev.jsonl").read_text().splitlines()[::6]  # 150 items, every question
    path = tmp_path / "mohler.jsonl"
    path.write_text("\n".join(rows))
    report = json.loads(runner.invoke(app, ["eval", "grader", "--dataset", str(path), "--json"]).stdout)
    assert report["n"] == len(rows)
    assert report["pearson"] >= 0.55 and report["rmse"] <= 0.95


def test_report_of_an_unknown_session_says_how_to_find_yours():
    result = runner.invoke(app, ["report", "no-such-session"])
    assert result.exit_code == 1 and "interviewer sessions" in result.output


def test_bad_usage_exits_2():
    assert runner.invoke(app, ["grade"]).exit_code == 2
    assert runner.invoke(app, ["eval", "retrieval", "--dataset", "x.jsonl"]).exit_code == 2


def test_a_bad_setting_stops_with_one_line_naming_the_variable(monkeypatch):
    monkeypatch.setenv("INTERVIEWER_CHROMA_PORT", "not-a-port")
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1
    assert "INTERVIEWER_CHROMA_PORT" in result.output and len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["ingest", "--bank"], ["transcribe"], ["eval", "grader", "--dataset"]])
def test_a_directory_where_a_file_is_expected_is_named_as_a_directory(tmp_path, command):
    result = runner.invoke(app, [*command, str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "is a directory, not a file" in result.output and "does not exist" not in result.output


def test_a_huge_question_that_matches_nothing_is_not_echoed_whole(shared_store):
    question = "what is the airspeed velocity of an unladen swallow " * 2000
    result = runner.invoke(app, ["grade", "-q", question, "-a", "about eleven metres per second"])
    assert result.exit_code == 1 and "is not a question in the bank" in result.output
    assert len(result.output) < 600


def test_both_reinforcement_learning_entries_can_be_graded_against(shared_store):
    question = "What is reinforcement learning?"
    answer = "an agent learns by trial and error from rewards, to maximise the long-term return"
    default = runner.invoke(app, ["grade", "-q", question, "-a", answer, "--json"])
    assert default.exit_code == 0, default.output
    assert json.loads(default.stdout)["question_id"] == "basics-05-reinforcement-learning"
    assert "--question-id advanced-08-reinforcement-learning" in default.stderr
    advanced = runner.invoke(app, ["grade", "-q", question, "-a", answer, "--json",
                                   "--question-id", "advanced-08-reinforcement-learning"])  # fmt: skip
    assert json.loads(advanced.stdout)["question_id"] == "advanced-08-reinforcement-learning"


def test_serve_without_the_ui_extra_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "gradio", None)  # as if gradio were not installed
    for name in [m for m in sys.modules if m == "interviewer.ui" or m.startswith("interviewer.ui.")]:
        monkeypatch.delitem(sys.modules, name)
    result = runner.invoke(app, ["serve", "--port", "7999"])
    assert result.exit_code == 1 and "pip install 'interviewer[ui]'" in result.output
