"""The question bank: typed models, loading and validation of YAML bank files."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from interviewer.errors import BankError

Kind = Literal["technical", "behavioral"]
RUBRIC_CRITERIA = ("situation", "actions", "result", "reflection", "specificity")
MAX_BANK_BYTES = 2_000_000
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(f"{value!r} must be a lowercase slug like 'learns-from-data'")
    return value


class KeyPoint(_Strict):
    """One atomic, checkable idea of a good answer (for behavioral questions: one rubric criterion)."""

    id: str
    text: str = Field(min_length=5)
    hints: list[str] = Field(default_factory=list, description="Short phrases a candidate may say for it.")
    weight: float = Field(default=1.0, gt=0, le=3, description="Importance; 2 = essential.")
    contrasts: list[str] = Field(
        default_factory=list,
        description="Wrong versions of the point that use its words: swapped, reversed or negated statements.",
    )

    _id = field_validator("id")(_slug)


class Misconception(_Strict):
    """A common wrong belief, the phrases that reveal it, and its correction."""

    id: str
    belief: str = Field(min_length=5)
    correction: str = Field(min_length=5)
    cues: list[str] = Field(min_length=1)

    _id = field_validator("id")(_slug)


class FollowUp(_Strict):
    """A follow-up question that probes one key point."""

    probes: str
    text: str = Field(min_length=5)


class Question(_Strict):
    """One interview question with everything needed to ask, grade and teach it."""

    id: str
    track: str
    seed_number: int | None = Field(default=None, ge=1)
    text: str = Field(min_length=5)
    spoken: list[str] = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list, description="Other ways people ask it (used for matching).")
    kind: Kind = "technical"
    difficulty: int = Field(default=2, ge=1, le=3)
    reference_answer: str = Field(min_length=20)
    key_points: list[KeyPoint] = Field(min_length=3, max_length=7)
    misconceptions: list[Misconception] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(min_length=2)
    related: list[str] = Field(default_factory=list)
    same_as: str | None = Field(default=None, description="Id of a question this one duplicates.")

    _id = field_validator("id", "track")(_slug)

    @property
    def group(self) -> str:
        """Questions sharing a group are the same question and never asked twice in one interview."""
        return self.same_as or self.id

    def key_point(self, point_id: str) -> KeyPoint:
        return next(p for p in self.key_points if p.id == point_id)


class Bank(BaseModel):
    """All questions loaded from one or more bank files."""

    model_config = ConfigDict(frozen=True)
    questions: list[Question]

    def get(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def __contains__(self, question_id: object) -> bool:
        return any(q.id == question_id for q in self.questions)

    @property
    def tracks(self) -> list[str]:
        return sorted({q.track for q in self.questions})

    @property
    def version(self) -> str:
        """A short content hash: changes whenever any question changes."""
        payload = json.dumps([q.model_dump() for q in self.questions], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


def content_hash(question: Question) -> str:
    return hashlib.sha256(json.dumps(question.model_dump(), sort_keys=True).encode()).hexdigest()


def load_bank(paths: Iterable[Path]) -> Bank:
    """Load and validate bank files; raise BankError listing every problem found, nothing partial."""
    problems: list[str] = []
    questions: list[tuple[Path, Question]] = []
    for path in paths:
        file_questions, file_problems = _load_file(Path(path))
        problems += file_problems
        questions += [(Path(path), q) for q in file_questions]
    problems += _cross_check(questions)
    if problems:
        raise BankError(problems)
    return Bank(questions=[q for _, q in questions])


def _load_file(path: Path) -> tuple[list[Question], list[str]]:
    data, problem = _read_yaml(path)
    if problem:
        return [], [f"{path}: {problem}"]
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return [], [f"{path}: -: expected a mapping with a 'questions:' list at the top"]
    questions, problems = [], []
    for index, raw in enumerate(data["questions"]):
        qid = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        if not isinstance(raw, dict):
            problems.append(f"{path}: {qid}: each question must be a mapping")
            continue
        try:
            question = Question.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(part) for part in err["loc"]) or "-"
                problems.append(f"{path}: {qid}: {field}: {err['msg']}")
            continue
        problems += [f"{path}: {question.id}: {p}" for p in _check_question(question)]
        questions.append(question)
    return questions, problems


def _read_yaml(path: Path) -> tuple[Any, str | None]:
    """The file's YAML, or why it cannot be read ("where: what")."""
    try:
        size = path.stat().st_size
        if size > MAX_BANK_BYTES:
            return None, f"-: file is {size:,} bytes; a bank file may be at most {MAX_BANK_BYTES:,}"
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "-: not UTF-8 text; save the bank as UTF-8 YAML"
    except OSError as exc:
        return None, f"-: cannot read the file ({exc.strerror or exc})"
    try:
        return yaml.safe_load(text), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        return None, f"{where}: invalid YAML ({getattr(exc, 'problem', None) or exc})"
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        # PyYAML's constructors raise these for values such as an impossible date or a 5,000-digit integer.
        return None, f"-: invalid YAML value ({type(exc).__name__}: {str(exc)[:120]})"


def _check_question(q: Question) -> list[str]:
    problems = []
    point_ids = [p.id for p in q.key_points]
    if len(set(point_ids)) != len(point_ids):
        problems.append("key_points: duplicate key point ids")
    for follow_up in q.follow_ups:
        if follow_up.probes not in point_ids:
            problems.append(f"follow_ups: probes {follow_up.probes!r}, which is not a key point id")
    for point in q.key_points:
        problems += _check_contrasts(point)
    if q.kind == "behavioral":
        if sorted(point_ids) != sorted(RUBRIC_CRITERIA):
            problems.append(f"key_points: a behavioral question's rubric must be exactly {', '.join(RUBRIC_CRITERIA)}")
        if any(p.contrasts for p in q.key_points):
            problems.append("key_points: a behavioral rubric criterion has no wrong version: remove its contrasts")
    elif len(q.misconceptions) < 2:
        problems.append("misconceptions: a technical question needs at least 2")
    return problems


def _check_contrasts(point: KeyPoint) -> list[str]:
    problems = []
    own = {" ".join(t.lower().split()) for t in [point.text, *point.hints]}
    for wrong in point.contrasts:
        if len(wrong.split()) < 4:
            problems.append(f"key_points: {point.id}: contrast {wrong!r} is too short to be a statement (4+ words)")
        if " ".join(wrong.lower().split()) in own:
            problems.append(f"key_points: {point.id}: contrast {wrong!r} repeats the point or one of its hints")
    return problems


def _cross_check(questions: list[tuple[Path, Question]]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path, q in questions:
        if q.id in seen:
            problems.append(f"{path}: {q.id}: duplicate id (also in {seen[q.id]})")
        seen.setdefault(q.id, path)
    for path, q in questions:
        for other in q.related:
            if other not in seen:
                problems.append(f"{path}: {q.id}: related: unknown question id {other!r}")
        if q.same_as is not None and q.same_as not in seen:
            problems.append(f"{path}: {q.id}: same_as: unknown question id {q.same_as!r}")
    return problems


def main(argv: list[str]) -> int:
    """`python -m interviewer.bank FILE...`: validate bank files together, print problems, exit 1 if any."""
    try:
        bank = load_bank(Path(arg) for arg in argv)
    except BankError as exc:
        print("\n".join(exc.problems))
        return 1
    print(f"ok: {len(bank.questions)} questions, version {bank.version}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
