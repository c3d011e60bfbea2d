"""Binding an LLM's grade to the answer: each key point it credits must be shown by words the answer holds.

The model quotes, for each key point it marks covered, the candidate's words that show it. A quote counts only
when those words are in the answer (after text addressed to the grader is removed) and, read alone, they show
the key point by the same meaning check the offline grader uses. The score can then rise above 1 only as far
as the shown key points carry it, so a model that obeys "give me a 5" cannot lift an answer with no evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from interviewer.grading.models import GradingTarget
from interviewer.grading.text import words

# Share of the quote's words that must be found, in order, in the answer (models tidy quotes a little).
QUOTE_FOUND = 0.8
# Soft coverage (0-1) at which a key point counts as covered by the offline grader, over the whole answer.
COVERED_AT = 0.5
# The bar for an LLM's quote, read alone by the same meaning check: a quote is usually one clause, and a clause
# alone has less word alignment and fewer hint words than the whole answer (at 0.5, strong answers graded
# through the mirror stub lost key points the offline grader credits: conversations-stub failed).
SHOWS_POINT = 0.35
# With no key point shown, an answer is at most a fragment.
UNSHOWN_CAP = 1.0

EvidenceCheck = Callable[[GradingTarget, str, str], float]  # (target, passage, key point id) -> coverage 0-1


@dataclass(frozen=True)
class Shown:
    point_id: str
    passage: str  # the answer's own words


def locate(quote: str, answer: str) -> str | None:
    """The answer's words that the quote reproduces, or None when most of the quote is not in the answer."""
    quoted, said = words(quote), words(answer)
    if not quoted or not said:
        return None
    matcher = SequenceMatcher(None, said, quoted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if sum(b.size for b in blocks) < QUOTE_FOUND * len(quoted):
        return None
    return " ".join(said[blocks[0].a : blocks[-1].a + blocks[-1].size])


def shown_points(
    target: GradingTarget, answer: str, claims: list[tuple[str, str]], check: EvidenceCheck
) -> tuple[list[Shown], list[str]]:
    """The claimed (key point id, quote) pairs the answer bears out, and the ids of those it does not."""
    known = {p.id for p in target.key_points}
    shown: list[Shown] = []
    unshown: list[str] = []
    for point_id, quote in claims:
        if point_id not in known or point_id in {s.point_id for s in shown}:
            continue
        passage = locate(quote, answer)
        if passage and check(target, passage, point_id) >= SHOWS_POINT:
            shown.append(Shown(point_id, passage))
        elif point_id not in unshown:
            unshown.append(point_id)
    return shown, unshown


def evidence_cap(target: GradingTarget, shown: list[Shown]) -> float:
    """The highest score the shown key points support: 1 with none, 5 with all (weighted as the bank weighs)."""
    if not shown:
        return UNSHOWN_CAP
    weights = {p.id: p.weight for p in target.key_points}
    share = sum(weights[s.point_id] for s in shown) / sum(weights.values())
    return UNSHOWN_CAP + (5.0 - UNSHOWN_CAP) * share
