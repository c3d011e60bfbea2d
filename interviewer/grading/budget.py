"""How much of an answer is read, and which answers take turns: the grading work per answer is bounded.

The cost of grading grows with the clauses embedded and the distinct words aligned, not with characters: a
10 KB answer of distinct made-up words took 11 s of embedding. An answer is read up to the first of three
limits below; beyond them nothing is graded, and the Grade's notes say how much was left out. Answers past
`HEAVY_DISTINCT_WORDS` or `HEAVY_CLAUSES` are graded one at a time in their own lane, so a few long answers
delay each other, never everyone else's ordinary answers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from interviewer.grading.text import STOPWORDS, words

# About seven minutes of speech: far beyond any interview answer (pasted text, or a recogniser loop).
MAX_ANSWER_WORDS = 1000
# A long, thorough spoken answer (three minutes) has about 25 clauses and 150 distinct content words.
MAX_CLAUSES = 40
MAX_DISTINCT_WORDS = 240
HEAVY_CLAUSES = 28
HEAVY_DISTINCT_WORDS = 160
# Unpunctuated speech is read in windows of this many words (see text.clauses): one clause per stride.
_WINDOW_STRIDE = 7
_CLAUSE_END = re.compile(r"[.;:!?,\n]$")


@dataclass(frozen=True)
class Portion:
    """The part of an answer that is graded, and how much of the answer that is."""

    text: str
    words_read: int
    words_total: int
    clauses: int
    distinct_words: int

    @property
    def cut(self) -> bool:
        return self.words_read < self.words_total

    @property
    def heavy(self) -> bool:
        return self.clauses > HEAVY_CLAUSES or self.distinct_words > HEAVY_DISTINCT_WORDS

    @property
    def note(self) -> str | None:
        if not self.cut:
            return None
        return (f"only the first {self.words_read} of {self.words_total} words were graded (at most {MAX_CLAUSES} "
                f"clauses, {MAX_DISTINCT_WORDS} distinct words and {MAX_ANSWER_WORDS} words are read)")  # fmt: skip


def graded_portion(answer: str) -> Portion:
    """The longest beginning of the answer within every limit, cut between whitespace-separated tokens."""
    tokens = answer.split()
    distinct: set[str] = set()
    clauses, run, read = 0, 0, 0
    for token in tokens:
        new = {w for w in words(token) if w not in STOPWORDS and len(w) > 1} - distinct
        ends = bool(_CLAUSE_END.search(token))
        run += 1
        adds_clause = ends or run >= _WINDOW_STRIDE
        if (read >= MAX_ANSWER_WORDS or len(distinct) + len(new) > MAX_DISTINCT_WORDS
                or clauses + adds_clause > MAX_CLAUSES):  # fmt: skip
            break
        distinct |= new
        read += 1
        if adds_clause:
            clauses, run = clauses + 1, 0
    clauses += run > 0
    text = answer if read == len(tokens) else " ".join(tokens[:read])
    return Portion(text, read, len(tokens), clauses, len(distinct))


class CostLanes:
    """Two lanes for grading work: heavy answers take turns in one slot of their own, ordinary answers share a few
    slots (about the cores' worth, so that 30 requests at once queue here instead of thrashing onnxruntime's
    threads). An ordinary answer thus waits for other ordinary answers only, and shares the CPU with at most one
    heavy one."""

    def __init__(self, ordinary_slots: int = 4, heavy_slots: int = 1):
        self._ordinary = threading.BoundedSemaphore(ordinary_slots)
        self._heavy = threading.BoundedSemaphore(heavy_slots)

    @contextmanager
    def lane(self, portion: Portion) -> Iterator[None]:
        with self._heavy if portion.heavy else self._ordinary:
            yield
