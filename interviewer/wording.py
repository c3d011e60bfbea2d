"""Small rules of wording every spoken or written line follows (one place for each)."""

from __future__ import annotations

import hashlib


def pick(options: tuple[str, ...], salt: str) -> str:
    """One of the phrasings, fixed by `salt` (the same turn always reads the same)."""
    return options[int(hashlib.sha256(salt.encode()).hexdigest(), 16) % len(options)]


def as_sentence(text: str) -> str:
    """A key point or correction as a sentence of its own: a capital first letter, one closing stop."""
    text = " ".join(text.split()).rstrip(" .;,")
    return (text[0].upper() + text[1:] + ".") if text else ""


def inside_sentence(text: str) -> str:
    """A key point or belief used inside a sentence: no closing stop, no capital unless it starts an acronym."""
    text = " ".join(text.split()).rstrip(" .;,")
    return text if text[:2].isupper() else text[:1].lower() + text[1:]
