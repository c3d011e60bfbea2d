"""The eval runner: thresholds decide the exit code, bad case files get precise errors, runs are saved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interviewer.cli import app
from interviewer.config import DEFAULT_EVALS_DIR
from interviewer.grading.offline import OfflineGrader

runner = CliRunner()


@pytest.fixture
def small_evals(tmp_path, monkeypatch, services) -> Path:
    """A copy of evals/ cut to a few cases per suite, so the runner itself is tested quickly."""
    target = tmp_path / "evals"
    shutil.copytree(DEFAULT_EVALS_DIR, target)
    for path in list(target.rglob("*.jsonl")):
        lines = path.read_text().splitlines()
        keep = [line for line in lines if '"adversarial"' in line][:3] + [line for line in lines if '"strong"' in line][
            :3
        ]
        keep += [line for line in lines if '"wrong"' in line][:3]
        path.write_text("\n".join(keep or lines[:8] + lines[-4:]) + "\n")
    monkeypatch.setenv("INTERVIEWER_EVALS_DIR", str(target))
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(services.settings.data_dir))
    return target


def test_eval_json_is_one_object_with_every_suite(small_evals):
    result = runner.invoke(app, ["eval", "grader", "--json"])
    data = json.loads(result.stdout)
    # nine cases cannot be held to the suite's Spearman bar; the exit code must say what the JSON says
    assert result.exit_code == (0 if data["ok"] else 1), result.output
    suite = data["suites"]["grader"]
    assert set(suite) >= {"cases", "passed", "metrics", "failures"} and suite["cases"] == 9
    assert data["model"] == "offline" and data["prompts_version"] and data["bank_version"]


def test_a_broken_grader_fails_naming_the_thresholds(small_evals, monkeypatch):
    real = OfflineGrader.grade
    monkeypatch.setattr(OfflineGrader, "grade", lambda self, t, a: real(self, t, a).model_copy(update={"score": 5.0}))
    result = runner.invoke(app, ["eval", "grader", "--json"])
    assert result.exit_code == 1
    failed = json.loads(result.stdout)["suites"]["grader"]["thresholds_failed"]
    assert any(f.startswith("grader.adversarial_max = 5 > 1") for f in failed)


def test_the_grader_suite_says_per_kind_how_far_from_people_it_scores(small_evals, monkeypatch):
    real = OfflineGrader.grade
    monkeypatch.setattr(OfflineGrader, "grade", lambda self, t, a: real(self, t, a).model_copy(update={"score": 5.0}))
    cases = [json.loads(line) for line in (small_evals / "grader" / "answers.jsonl").read_text().splitlines()]
    wrong = [c["expected"] for c in cases if c["kind"] == "wrong"]
    result = runner.invoke(app, ["eval", "grader", "--json"])
    metrics = json.loads(result.stdout)["suites"]["grader"]["metrics"]
    assert metrics["error_wrong"] == pytest.approx(5.0 - sum(wrong) / len(wrong), abs=1e-3)
    assert metrics["error_strong"] <= 0.5  # people gave these 4.5-5: every answer at 5 is at most that far above


def test_a_malformed_case_file_names_file_line_and_field(small_evals):
    path = small_evals / "grader" / "answers.jsonl"
    path.write_text(path.read_text() + '{"id": "x", "question_id": "basics-01-machine-learning", "answer": "a"}\n')
    result = runner.invoke(app, ["eval", "grader"])
    assert result.exit_code == 1
    assert f"{path}:10: kind: Field required" in result.output


def test_an_unknown_suite_is_bad_usage(small_evals):
    result = runner.invoke(app, ["eval", "no-such-suite"])
    assert result.exit_code == 2 and "choose from" in result.output


def test_filter_selects_cases_and_is_not_held_to_thresholds(small_evals):
    result = runner.invoke(app, ["eval", "grader", "--filter", "adv", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["suites"]["grader"]["cases"] == 3


def test_runs_are_saved_and_compared_side_by_side(small_evals, services, tmp_path):
    assert runner.invoke(app, ["eval", "retrieval"]).exit_code == 0
    assert runner.invoke(app, ["eval", "retrieval", "--model", "stub"]).exit_code == 0
    saved = sorted((services.settings.data_dir / "runs").glob("*.json"), reverse=True)  # the two just made first
    offline = next(p for p in saved if "-offline-" in p.name)
    stub = next(p for p in saved if "-stub-" in p.name)
    result = runner.invoke(app, ["eval", "retrieval", "--compare", str(offline), str(stub)])
    assert result.exit_code == 0 and "top1_accuracy" in result.output and "offline vs stub" in result.output


def test_the_stub_model_runs_the_grader_suite_through_the_llm_path(small_evals):
    result = runner.invoke(app, ["eval", "grader", "--model", "stub", "--json"])
    data = json.loads(result.stdout)
    assert data["model"] == "stub" and data["suites"]["grader"]["cases"] == 9
    assert data["suites"]["grader"]["metrics"]["range_hit_rate"] == 1.0, result.output  # every case in its range


def test_an_openai_run_without_a_key_is_skipped_with_a_reason(small_evals):
    result = runner.invoke(app, ["eval", "grader", "--model", "openai"])
    assert result.exit_code == 0 and "no API key" in result.output


def test_report_writes_tables_and_worst_cases(small_evals, tmp_path, monkeypatch):
    real = OfflineGrader.grade
    monkeypatch.setattr(OfflineGrader, "grade", lambda self, t, a: real(self, t, a).model_copy(update={"score": 5.0}))
    report = tmp_path / "report.md"
    runner.invoke(app, ["eval", "grader", "--report", str(report)])
    text = report.read_text()
    assert "| grader |" in text and "## Worst cases: grader" in text and "| expected | predicted |" in text


def test_single_statements_are_scored_for_what_they_say(small_evals):
    bias = "intermediate-05-bias"
    rows = [
        {"question_id": bias, "kp": "underfitting", "label": "contradicts",
         "text": "Bias is how much the predictions change when you retrain on a different sample."},
        {"question_id": bias, "kp": "underfitting", "label": "asserts",
         "text": "High bias means the model is too simple and underfits, missing the pattern even on training data."},
    ]  # fmt: skip
    (small_evals / "truth" / "statements.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(app, ["eval", "truth-statements", "--json"])
    metrics = json.loads(result.stdout)["suites"]["truth-statements"]["metrics"]
    assert metrics["contradiction_heard"] == 1.0 and metrics["heard_on_asserting"] == 0.0
    assert metrics["heard_on_other_true"] is None  # no such statement in the file: nothing to report


def test_a_statement_about_a_key_point_the_question_lacks_is_a_setup_error(small_evals):
    row = {"question_id": "intermediate-05-bias", "kp": "no-such-point", "label": "asserts", "text": "Bias is error."}
    (small_evals / "truth" / "statements.jsonl").write_text(json.dumps(row) + "\n")
    result = runner.invoke(app, ["eval", "truth-statements", "--json"])
    assert result.exit_code != 0 and "no key point 'no-such-point'" in result.output
