"""The review a bank must pass beyond its format (`interviewer bank check`): what a grader and an interviewer need.

Each rule is one function over the bank that returns its problems as "question id: what is wrong: what to do".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path

import numpy as np
import yaml

from interviewer.bank import Bank, Question
from interviewer.embeddings import Embedder
from interviewer.grading.cleaning import normalise
from interviewer.grading.language import zipf
from interviewer.grading.text import stem, words

# Two misconceptions of different questions whose beliefs are this close in meaning are one idea told twice:
# a belief reworded ("ROC-AUC is fine when positives are one in a thousand" / "... very rare") measures 0.83-0.85,
# while the bank's distinct misconceptions of different questions are at most 0.77 apart (December 2026).
SAME_BELIEF = 0.8
# A follow-up that opens with a connective, or is one sentence ending on a bare "that" ("how would the newer
# cells deal with that?"), leans on what was said before it; "Your classes overlap. How would you cope with that?"
# says what "that" is.
_LEANS_BACK = re.compile(r"^(?:and|so|but|then|also|what about)\b|^[^.!?]*\b(?:that|this|those|these)\W*$", re.I)
# Word endings spelled two ways, British then American, and how common (wordfreq Zipf) both forms of a pair must
# be for it to be real ("telling" is not "teling"); None: always two ways, as technical words ("tokenisation") are.
_SPELLINGS = (("isations", "izations", None), ("isation", "ization", None), ("ising", "izing", None),
              ("ised", "ized", None), ("ises", "izes", None), ("ise", "ize", None), ("ysing", "yzing", None),
              ("ysed", "yzed", None), ("yse", "yze", None), ("our", "or", 1.5), ("elled", "eled", 1.5),
              ("elling", "eling", 1.5), ("tre", "ter", 3.0))  # fmt: skip
# Words spelled -ise (or -ize) on both sides of the Atlantic, though their ending looks like one of the pairs:
# by their last letters, or as whole words (as -rise, -mise, -cise, -tise and -dise also end words that vary).
_ONE_SPELLING_ENDS = ("wise", "size", "vise", "guise", "oise", "uise", "raise", "prize", "seize")
_ONE_SPELLING = frozenset(
    """rise arise sunrise surprise comprise enterprise exercise precise concise excise incise
    promise premise compromise expertise advertise chastise franchise merchandise paradise despise
    unsupervise""".split()
)


def review(bank: Bank, files: Iterable[Path], embedder: Embedder) -> list[str]:
    """Every problem the rules find, in bank order."""
    problems = difficulty_given(files)
    for question in bank.questions:
        problems += [f"{question.id}: {p}" for rule in _PER_QUESTION for p in rule(question)]
    return problems + misconceptions_told_once(bank, embedder)


def hints_in_reference(q: Question) -> list[str]:
    """A grader checks a key point by its hints: one of them must be in the question's own reference answer."""
    if q.kind == "behavioral":  # its reference is an example story, never graded against
        return []
    reference = _stems(q.reference_answer)
    return [f"key point {p.id}: none of its hints is in the reference answer: add one the reference says"
            for p in q.key_points if not any(_contains(reference, _stems(h)) for h in p.hints)]  # fmt: skip


def cues_not_in_own_text(q: Question) -> list[str]:
    """A cue the reference answer or a key point says would hear the misconception in a correct answer."""
    own = [normalise(t) for t in (q.reference_answer, *(p.text for p in q.key_points))]
    return [f"misconception {m.id}: cue {cue!r} is in the question's own correct text: make it the wrong claim"
            for m in q.misconceptions for cue in m.cues if any(normalise(cue) in text for text in own)]  # fmt: skip


def follow_ups_stand_alone(q: Question) -> list[str]:
    return [f"follow-up {f.text!r} leans on what came before it: say what it asks about"
            for f in q.follow_ups if _LEANS_BACK.search(f.text.strip())]  # fmt: skip


def both_spellings(q: Question) -> list[str]:
    """A hint spelled one way ('regularisation') also in the other ('regularization')."""
    problems = []
    for point in q.key_points:
        given = {h.lower() for h in point.hints}
        for hint in point.hints:
            other = _other_spelling(hint.lower())
            if other and other not in given:
                problems.append(f"key point {point.id}: hint {hint!r} also needs its other spelling {other!r}")
    return problems


def difficulty_given(files: Iterable[Path]) -> list[str]:
    """Every question says how hard it is (the default of 2 is for users' own banks)."""
    problems = []
    for path in files:
        for raw in (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("questions", []):
            if isinstance(raw, dict) and "difficulty" not in raw:
                problems.append(f"{raw.get('id', '?')}: no difficulty: rate it 1 (easy) to 3 (hard)")
    return problems


def misconceptions_told_once(bank: Bank, embedder: Embedder) -> list[str]:
    """One wrong idea belongs to one question (two questions that are one, linked by same_as, excepted)."""
    items = [(q, m) for q in bank.questions for m in q.misconceptions]
    vectors = embedder.embed([m.belief for _, m in items]) if items else np.zeros((0, 0))
    problems = []
    for (i, (qa, a)), (j, (qb, b)) in combinations(enumerate(items), 2):
        if qa.id == qb.id or qa.same_as == qb.id or qb.same_as == qa.id:
            continue
        similarity = float(vectors[i] @ vectors[j])
        if a.id == b.id or similarity >= SAME_BELIEF:
            problems.append(f"{qb.id}: misconception {b.id} repeats {qa.id}'s {a.id} (similarity {similarity:.2f}): "
                            "keep it in the question it fits best")  # fmt: skip
    return problems


_PER_QUESTION: list[Callable[[Question], list[str]]] = [
    hints_in_reference, cues_not_in_own_text, follow_ups_stand_alone, both_spellings,
]  # fmt: skip


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(normalise(text))]


def _contains(text: list[str], phrase: list[str]) -> bool:
    return bool(phrase) and any(text[i : i + len(phrase)] == phrase for i in range(len(text) - len(phrase) + 1))


def _other_spelling(phrase: str) -> str | None:
    """The phrase in the other spelling (British <-> American) when one of its words has a real other spelling."""
    other = re.sub(r"[a-z]+", lambda m: _word_variant(m.group()) or m.group(), phrase)
    return other if other != phrase else None


def _word_variant(word: str) -> str | None:
    """The word in its other spelling, or None: British -isation / -our / -elled / -tre and their American forms."""
    if len(word) < 5:
        return None
    for british, american, common in _SPELLINGS:
        for mine, theirs in ((british, american), (american, british)):
            if not word.endswith(mine):
                continue
            variant = word[: -len(mine)] + theirs
            if common is None:
                base = word[: -len(mine)] + mine[:2] + "e"  # the word as -ise, -ize or -yse
                return None if base in _ONE_SPELLING or base.endswith(_ONE_SPELLING_ENDS) else variant
            return variant if min(zipf(word, "en"), zipf(variant, "en")) >= common else None
    return None
