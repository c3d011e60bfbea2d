"""Installed as a user installs a release (not editable), the package carries its question bank and prompts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_non_editable_install_ingests_and_grades_from_another_directory(tmp_path, bank):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())  # fmt: skip
    # The dependencies come from this environment (a .pth line adds its site-packages without running its .pth
    # files, so the editable install of this checkout stays out); the project itself is installed from source.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(ROOT)], check=True, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = os.environ | {"INTERVIEWER_DATA_DIR": str(elsewhere / "data")}
    where = subprocess.run([python, "-c", "import interviewer; print(interviewer.__file__)"], cwd=elsewhere, env=env,
                           check=True, capture_output=True, text=True).stdout  # fmt: skip
    assert str(site) in where and str(ROOT) not in where, where
    run = [venv / "bin" / "interviewer"]  # the command a user runs
    ingest = subprocess.run([*run, "ingest"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert ingest.returncode == 0 and f"Embedded {len(bank.questions)} question(s)" in ingest.stdout, ingest.stderr
    grade = subprocess.run([*run, "grade", "-q", "What is overfitting?", "-a", "the model memorises noise in the "
                            "training data and does badly on new data", "--json"], cwd=elsewhere, env=env,
                           capture_output=True, text=True)  # fmt: skip
    assert grade.returncode == 0, grade.stderr
    assert json.loads(grade.stdout)["question_id"] == "intermediate-01-overfitting"
