"""Spoken-style feedback for the offline grader: what was good, then the most important thing to add."""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.grading.models import ContradictedPoint, CoveredPoint, HeardMisconception, MissedPoint
from interviewer.wording import as_sentence, pick

# Each template ends with a colon and the key point as its own sentence: key points are written as statements
# ("An overfit model learns the noise...") or as advice ("Use held-out validation data..."), and only a whole
# sentence after a colon fits both (tests/test_feedback.py renders every key point of the bank in each).
_PRAISE = (
    "You got this across clearly: {point}",
    "Good, you explained the key idea: {point}",
    "The strongest part was this: {point}",
    "Nice job on this point: {point}",
)
_ADD = (
    "The most important thing to add: {point}",
    "What was missing: {point}",
    "Next time, make sure to cover this: {point}",
    "To round it out, mention this too: {point}",
)
_FLAG_LINES = {
    "empty": "I didn't get an answer there.",
    "dont_know": "That's fine, not knowing happens; here is how a strong answer goes.",
    "asks_for_answer": "Here is what a strong answer would cover.",
    "injection_suspected": "Part of that answer was addressed to the grader rather than the question, so I ignored it.",
    "off_topic": "That answer doesn't address the question.",
    "echo": "That mostly repeated the question back; try to explain the idea itself.",
    "keyword_salad": "You listed the right terms, but an interviewer needs to hear how they connect.",
    "too_short": "That was too short to show what you know; try to explain in a few sentences.",
    "garbled": "I couldn't make sense of that answer; could you say it again more slowly?",
    "non_english": "I can only grade answers in English for now.",
    "too_long": "That is far longer than an interview answer; aim for a minute or two of the key ideas.",
}


def _quoted(words: str, limit: int = 14) -> str:
    """A few of the candidate's own words, quoted (cut at a word boundary)."""
    kept = words.split()
    return "\u201c" + " ".join(kept[:limit]) + ("..." if len(kept) > limit else "") + "\u201d"


def write_feedback(
    score: float,
    covered: list[CoveredPoint],
    missed: list[MissedPoint],
    misconceptions: list[HeardMisconception],
    flags: list[str],
    seed: str,
    contradicted: Sequence[ContradictedPoint] = (),
) -> str:
    """Two or three short sentences, no markdown, safe to read aloud."""
    sentences: list[str] = []
    flag_line = next((_FLAG_LINES[f] for f in flags if f in _FLAG_LINES), None)
    if flag_line:
        sentences.append(flag_line)
    elif covered:
        sentences.append(pick(_PRAISE, seed).format(point=as_sentence(covered[0].text)))
    if contradicted:  # what was said wrongly comes before anything else to add
        sentences.append(f"One part is not right: you said {_quoted(contradicted[0].evidence)}. "
                         f"In fact: {as_sentence(contradicted[0].correction)}")  # fmt: skip
    elif misconceptions:
        sentences.append(f"Careful, though: {as_sentence(misconceptions[0].correction)}")
    if missed and len(sentences) < 3:
        sentences.append(pick(_ADD, seed + "add").format(point=as_sentence(missed[0].text)))
    if not missed and not misconceptions and not contradicted and score >= 4:
        sentences.append("That's a complete answer.")
    return " ".join(sentences[:3])
