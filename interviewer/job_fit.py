"""Questions aimed at a job: the bank questions nearest in meaning to the parts of a job description.

The description is cut into its parts (lines, bullets, sentences); each part is matched against what every
question is about (its text, key points and reference answer, in the question store). A question's relevance is
its best match over the parts, and that part is the reason given for asking it.
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
    # Each part's questions, best first; parts whose best match is strongest lead.
    ranked = []
    for part in parts:
        matches = [m for m in nearest(part, 12) if m.question_id in questions]
        if matches:
            ranked.append((part, sorted(matches, key=lambda m: -m.similarity)))
    ranked.sort(key=lambda item: -item[1][0].similarity)
    plan: list[PlannedQuestion] = []
    groups: set[str] = set()
    # Round robin over the parts, so that every part of the role gets its question before any gets a second.
    while len(plan) < limit:
        taken = len(plan)
        for part, matches in ranked:
            pick = next((m for m in matches if questions[m.question_id].group not in groups), None)
            if pick is not None and len(plan) < limit:
                groups.add(questions[pick.question_id].group)
                plan.append(PlannedQuestion(question_id=pick.question_id, reason=f"the role asks for “{_short(part)}”"))
        if len(plan) == taken:
            break
    return plan


def _short(part: str, words: int = 12) -> str:
    kept = part.split()
    return " ".join(kept[:words]) + ("..." if len(kept) > words else "")
