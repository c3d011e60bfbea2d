"""Cleaning an answer: what is kept and graded, and the normal form the grader reads."""

from __future__ import annotations

import re

from interviewer import fillers

MAX_ANSWER_CHARS = 20_000  # about 3,000 words: far beyond a spoken answer; the rest is neither kept nor graded


def prepare_answer(text: str | None) -> str:
    """An answer as it is kept and graded: cut to MAX_ANSWER_CHARS, then cleaned (see clean_text)."""
    return clean_text((text or "")[:MAX_ANSWER_CHARS])


def clean_text(text: str) -> str:
    """Text safe to embed, store and show: undecodable bytes (surrogates) replaced, control characters dropped."""
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " if ch.isspace() else "" for ch in text)


def normalise(text: str) -> str:
    """Lowercase, drop control characters, filler sounds and hedges, and words repeated in a restart."""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text).lower()
    text = fillers.without_hedges(fillers.without_sounds(text))
    text = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text)  # "the the" from restarts
    return re.sub(r"\s+", " ", text).strip()
