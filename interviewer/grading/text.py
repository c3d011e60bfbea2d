"""Words of an answer: tokens, stems, content words, clauses and statements, word rarity."""

from __future__ import annotations

import re
import threading
from collections.abc import Set
from functools import lru_cache
from typing import Protocol

from interviewer.fillers import is_sound
from interviewer.grading.cleaning import normalise
from interviewer.grading.language import zipf

STOPWORDS = frozenset(
    """a an the and or but if then so because as of in on at to for from by with without about into onto over
    under between through during before after above below up down out off again further once here there when
    where why how all any both each few more most other some such no nor not only own same than too very can
    will just don should now is are was were be been being have has had having do does did doing would could
    i me my we our you your he him his she her it its they them their what which who whom this that these those
    am also like yeah okay ok well really actually basically sort kind thing things stuff lot lots get got
    gets let us one way make makes made use used uses using want wants say said know mean think guess pretty
    maybe probably something anything everything much many even still just like might may must shall etc""".split()
)

_SELF_CORRECTION = re.compile(
    r"\b(?:no wait|wait no|sorry|i mean|or rather|no no|scratch that|let me rephrase)\b[,.]?\s*", re.IGNORECASE
)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CLAUSE_SPLIT = re.compile(
    r"[.;:!?\n]+|,\s+|\s+(?:and then|and so|but|so|because|which|whereas|while|although|however)\s+", re.IGNORECASE
)


def words(text: str) -> list[str]:
    """Word tokens; hyphenated terms split into their parts ('cross-validation' -> cross, validation)."""
    return [part for token in _WORD.findall(text.lower()) for part in token.split("-") if part]


_BRITISH = ((r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"ys(e|ed|es|ing)$", r"yz\1"), (r"our$", "or"),
            (r"ll(ed|ing)$", r"l\1"), (r"tre$", "ter"))  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem after mapping British to American spelling: 'generalise' ~ 'generalizing'."""
    word = word.lower()
    for pattern, replacement in _BRITISH:
        word = re.sub(pattern, replacement, word)
    return _thread_stemmer().stemWord(word)


class _Stemmer(Protocol):
    """What is used of a snowballstemmer stemmer (the package has no type hints)."""

    def stemWord(self, word: str) -> str: ...


class _PerThread(threading.local):
    stemmer: _Stemmer | None = None


_PER_THREAD = _PerThread()


def _thread_stemmer() -> _Stemmer:
    """A stemmer of this thread's own: a snowballstemmer instance keeps its word in fields while it works, so
    two threads sharing one corrupt each other's words (IndexError under concurrent grading)."""
    if _PER_THREAD.stemmer is None:
        import snowballstemmer

        _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return _PER_THREAD.stemmer


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1 and not is_sound(w)]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def clauses(text: str, window: int = 14, stride: int = 7) -> list[str]:
    """Clauses of an answer; long unpunctuated runs are cut into overlapping word windows."""
    text = _SELF_CORRECTION.sub(" ", normalise(text))
    out: list[str] = []
    for part in _CLAUSE_SPLIT.split(text):
        tokens = part.split()
        if len(tokens) < 2:
            continue
        if len(tokens) <= window + 4:
            out.append(" ".join(tokens))
            continue
        for start in range(0, len(tokens) - stride, stride):
            out.append(" ".join(tokens[start : start + window]))
    return out or ([text] if text else [])


# Where one statement ends: sentence marks, semicolons, and the connectives that turn to another claim.
_STATEMENT_END = re.compile(r"[.;!?\n]+\s*|\s+(but|whereas|while|however|although)\s+")
# A half this short after a connective is no claim of its own ("the forest keeps the low bias but lowers variance").
FRAGMENT_WORDS = 4


def statements(text: str) -> list[str]:
    """The claims of a (normalised) answer, one per sentence or contrasting half: what is judged true or false."""
    parts = _STATEMENT_END.split(text)  # piece, connective (None after a sentence mark), piece, ...
    out: list[str] = []
    for k in range(0, len(parts), 2):
        piece, joined_by = (parts[k] or "").strip(), parts[k - 1] if k else None
        if piece and joined_by and out and len(piece.split()) < FRAGMENT_WORDS:
            out[-1] = f"{out[-1]} {joined_by} {piece}"
        elif piece:
            out.append(piece)
    return out


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """Information weight of a word from a fixed corpus (wordfreq), not from the answers graded: 0.5-3."""
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "en")
    return float(min(3.0, max(0.5, (7.0 - zipf) / 2.0)))


def rare_ratio(text: str, known: Set[str] = frozenset(), written: str = "") -> float:
    """Share of words rare or unknown in English, not among `known` stems and not spelled out in `written` with its
    spaces and symbols dropped ("logn" for "O(log n)"): recogniser noise is full of such words, terse answers not."""
    tokens = [t for t in words(text) if not t.isdigit()]
    compact = re.sub(r"[\W_]+", "", written.lower())
    rare = sum(zipf(t, "en") < 2.5 and stem(t) not in known and not (len(t) > 2 and t in compact) for t in tokens)
    return rare / len(tokens) if tokens else 0.0
