"""Filler words of spoken English: the one list that the speech figures count, the grader drops and WER ignores.

To add a filler, add one line to SOUNDS (never content: "um", "erm") or to PHRASES (content words that are
fillers only as discourse markers, so their pattern says when).
"""

from __future__ import annotations

import re
from functools import lru_cache

# name -> pattern of its spoken forms; never content, so they always count and always go.
SOUNDS: dict[str, str] = {
    "um": r"u+m+",
    "uh": r"u+h+",
    "er": r"er+|erm+",
    "ah": r"a+h+",
    "hmm": r"h+m+|m{2,}",
}
# name -> pattern; "like", "you know" and "i mean" count only when set off by punctuation, because "models
# like SVM" or "do you know" are content, and Whisper writes the discourse-marker use with commas.
PHRASES: dict[str, str] = {
    "like": r"\blike(?=\s*,)",
    "you know": r"(?:^|(?<=[,.;!?] ))you know\b|\byou know(?=\s*[,.;!?]|$)",
    "i mean": r"(?:^|(?<=[,.;!?] ))i mean\b|\bi mean(?=\s*[,.;!?]|$)",
    "basically": r"\bbasically\b",
}
# Hedges that carry no content in an answer wherever they stand: dropped before grading, not counted.
HEDGES = ("you know", "i mean", "sort of", "kind of")

_SOUND = re.compile(r"\b(?:" + "|".join(SOUNDS.values()) + r")\b", re.IGNORECASE)
_COUNTED = {name: re.compile(rf"\b(?:{p})\b") for name, p in SOUNDS.items()} | {
    name: re.compile(p) for name, p in PHRASES.items()
}
_HEDGE = re.compile(r"\b(?:" + "|".join(map(re.escape, HEDGES)) + r")\b,?", re.IGNORECASE)


@lru_cache(maxsize=4096)
def is_sound(word: str) -> bool:
    """A word that is only a filler sound ("umm", "Hmm"); "HMM" the model is one too when lowercased."""
    return _SOUND.fullmatch(word) is not None


def count(text: str) -> dict[str, int]:
    """Filler -> how often it was said in a transcript (only fillers present)."""
    lowered = text.lower()
    counts = {name: len(pattern.findall(lowered)) for name, pattern in _COUNTED.items()}
    return {name: n for name, n in counts.items() if n}


def without_sounds(text: str) -> str:
    """The text with filler sounds (and a comma or full stop right after one) taken out."""
    return re.sub(rf"{_SOUND.pattern}[,.]?", " ", text, flags=re.IGNORECASE)


def without_hedges(text: str) -> str:
    return _HEDGE.sub(" ", text)


def without_counted(text: str) -> str:
    """The (lowercased) text with every counted filler taken out, sounds and discourse markers alike."""
    for pattern in _COUNTED.values():
        text = pattern.sub(" ", text)
    return text
