"""The flags a Grade can carry and the score ceiling each sets: one list, and one `apply_caps` that applies them.

Changing what a flag costs is one edit to CAPS; adding a flag is one member here (and, if it caps, one entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Flag(StrEnum):
    EMPTY = "empty"
    DONT_KNOW = "dont_know"
    ASKS_FOR_ANSWER = "asks_for_answer"
    OFF_TOPIC = "off_topic"
    ECHO = "echo"
    KEYWORD_SALAD = "keyword_salad"
    TOO_SHORT = "too_short"
    INJECTION_SUSPECTED = "injection_suspected"
    NON_ENGLISH = "non_english"
    GARBLED = "garbled"
    TOO_LONG = "too_long"
    MISCONCEPTION = "misconception"
    CONTRADICTION = "contradiction"
    LLM_FALLBACK = "llm_fallback"


# Score ceilings per flag: a fair interviewer gives no more than this, whatever else the answer holds.
CAPS: dict[Flag, float] = {
    Flag.EMPTY: 0.0,
    Flag.DONT_KNOW: 0.0,
    Flag.ASKS_FOR_ANSWER: 0.0,
    Flag.INJECTION_SUSPECTED: 1.0,
    Flag.TOO_SHORT: 1.0,
    Flag.ECHO: 1.0,
    Flag.KEYWORD_SALAD: 1.0,
    Flag.OFF_TOPIC: 0.5,
    Flag.GARBLED: 0.5,
    Flag.NON_ENGLISH: 0.5,
    Flag.TOO_LONG: 1.0,
    Flag.MISCONCEPTION: 3.0,
    Flag.CONTRADICTION: 3.0,
}
# Flags an LLM may report about an answer (the others are the product's own findings).
LLM_REPORTABLE = frozenset({Flag.DONT_KNOW, Flag.OFF_TOPIC, Flag.ECHO, Flag.KEYWORD_SALAD, Flag.INJECTION_SUSPECTED})
# Semantic flags need the offline grader's analysis: asked of it on the LLM path when the score is above their cap.
SEMANTIC = frozenset({Flag.OFF_TOPIC, Flag.ECHO})


def cap_for(flags: Iterable[str]) -> float:
    """The lowest ceiling among the flags (5 when none caps)."""
    return min([CAPS[Flag(f)] for f in flags if f in CAPS], default=5.0)


def apply_caps(score: float, flags: Iterable[str]) -> float:
    """The score no higher than any of its flags allows: the one place a cap is applied."""
    return min(score, cap_for(flags))
