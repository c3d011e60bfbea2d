"""Questions aimed at a job: the bank questions nearest in meaning to the parts of a job description.

The description is cut into its parts (lines, bullets, sentences); each part is matched against what every
question is about (its text, key points and reference answer, in the question store). A question's relevance is
its best match over the parts, less half its match to what every ML job ad says, and that part is the reason
given for asking it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from interviewer.bank import Bank
from interviewer.errors import SetupError
from interviewer.session import PlannedQuestion
from interviewer.store import Match

MAX_DESCRIPTION_CHARS = 8000
MIN_PART_WORDS = 3
_PARTS = re.compile(r"\n+|(?<=[.!?;])\s+|\s+[•·▪*-]\s+")
_BULLET = re.compile(r"^\s*([•·▪*-]|\d+[.)])\s*")

Nearest = Callable[[str, int], list[Match]]
# What any ML job description says; a question near these (what is machine learning, the future of ML) is asked
# for a role only when the role's own words are much nearer to it. Written before measuring, not from the eval set.
GENERIC_ROLE = ("We are hiring a machine learning engineer to build and improve models.",
                "You will work with data and machine learning.",
                "Experience with Python and machine learning frameworks.",
                "Strong communication skills and teamwork.")  # fmt: skip
# Chosen on evals/jobs/dev.jsonl among 0, 0.25, 0.5, 0.75 and 1 (a prototype's precision@5: 0.475, 0.55, 0.575,
# 0.475, 0.45); as shipped, dev precision@5 is 0.60 (`interviewer eval jobs`).
GENERIC_WEIGHT = 0.5


def parts_of(description: str) -> list[str]:
    """The description's parts worth matching: lines, bullets and sentences of at least a few words."""
    parts = (_BULLET.sub("", p).strip(" \t:;,.") for p in _PARTS.split(description[:MAX_DESCRIPTION_CHARS]))
    return list(dict.fromkeys(p for p in parts if len(p.split()) >= MIN_PART_WORDS))


def job_plan(description: str, nearest: Nearest, bank: Bank, tracks: list[str], limit: int) -> list[PlannedQuestion]:
    """Up to `limit` questions (one per question group, in `tracks`), most relevant first, each with the part of
    the description it serves."""
    parts = parts_of(description)
    if not parts:
        raise SetupError("the job description is too short to aim at: paste the role's description, or a few "
                         "lines about what the job involves")  # fmt: skip
    questions = {q.id: q for q in bank.questions if q.track in tracks}
    generic = _genericness(nearest)
    least_generic = min(generic.values(), default=0.0)  # for a question none of the generic lines reached
    best: dict[str, tuple[float, str]] = {}
    for part in parts:
        for match in nearest(part, 12):
            score = match.similarity - GENERIC_WEIGHT * generic.get(match.question_id, least_generic)
            if match.question_id in questions and score > best.get(match.question_id, (-9.0, ""))[0]:
                best[match.question_id] = (score, part)
    plan: list[PlannedQuestion] = []
    groups: set[str] = set()
    for qid, (_, part) in sorted(best.items(), key=lambda item: -item[1][0]):
        if questions[qid].group not in groups and len(plan) < limit:
            groups.add(questions[qid].group)
            plan.append(PlannedQuestion(question_id=qid, reason=f"the role asks for “{_short(part)}”"))
    return plan


def _genericness(nearest: Nearest) -> dict[str, float]:
    """How near each question is to what every ML job ad says: a question that matches any ad matches none."""
    totals: dict[str, float] = {}
    for line in GENERIC_ROLE:
        for match in nearest(line, 64):
            totals[match.question_id] = totals.get(match.question_id, 0.0) + match.similarity / len(GENERIC_ROLE)
    return totals


def _short(part: str, words: int = 12) -> str:
    kept = part.split()
    return " ".join(kept[:words]) + ("..." if len(kept) > words else "")
