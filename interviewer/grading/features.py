"""Evidence that an answer says what a reference says: meaning (embeddings) and words (lexical)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from interviewer.bank import KeyPoint, Misconception
from interviewer.embeddings import LocalEmbedder, TokenVectors
from interviewer.grading.cleaning import normalise
from interviewer.grading.models import TrueStatement, WrongVersion
from interviewer.grading.text import (
    STOPWORDS,
    clauses,
    content_stems,
    content_words,
    rarity,
    statements,
    stem,
    words,
)
from interviewer.grading.truth import CALLED_FALSE, CALLED_FALSE_WORDS, Contradiction, TruthJudge
from interviewer.grading.truth import FEATURES as TRUTH_FEATURES

FEATURE_NAMES = (
    "kp_coverage", "kp_best", "align_recall", "align_precision", "cosine", "demoted_cosine",
    "overlap_recall", "overlap_precision", "question_share", "log_words", "log_ref_words", "length_ratio",
    "align_recall_plain", "clause_best", "align_hits", *TRUTH_FEATURES,
)  # fmt: skip


HINT_DISCOUNT = 0.9
MEANINGFUL_HINT_WORDS = 2  # a hint using the question's words adds this many of its own, or the answer says them


@dataclass
class PointEvidence:
    point: KeyPoint
    coverage: float  # 0..1, soft
    evidence: str


@dataclass
class AnswerAnalysis:
    features: dict[str, float]
    points: list[PointEvidence]
    misconceptions: list[tuple[Misconception, str]]
    contradicted: list[Contradiction]


def _ramp(value: float, low: float, high: float) -> float:
    return float(min(1.0, max(0.0, (value - low) / (high - low))))


class FeatureExtractor:
    """Computes grading features for one answer against one reference, alone (no other answers used)."""

    def __init__(self, embedder: LocalEmbedder):
        self._embedder = embedder
        self._truth = TruthJudge(embedder)

    @lru_cache(maxsize=2048)  # noqa: B019 - references repeat across answers; the extractor lives as long as the app
    def _tokens(self, text: str) -> TokenVectors:
        return self._embedder.token_vectors(text)

    def analyse(
        self,
        answer: str,
        question: str,
        reference: str,
        key_points: list[KeyPoint],
        misconceptions: Sequence[Misconception] = (),
        truths: Sequence[TrueStatement] = (),
        wrong_versions: Sequence[WrongVersion] = (),
    ) -> AnswerAnalysis:
        answer_norm = normalise(answer)
        answer_clauses = clauses(answer) or [answer_norm or "."]
        # Ideas often span two short clauses ("great on training | but bad on new data").
        spans = answer_clauses + [_joined(a, b) for a, b in zip(answer_clauses, answer_clauses[1:], strict=False)]
        question_stems = content_stems(question)
        answer_stems = content_stems(answer_norm)
        point_hints = [_hints_in_meaning(p, question_stems, answer_stems) for p in key_points]
        hints = [h for each in point_hints for h in each]
        # First: the pass that gives the answer's word vectors also gives its sentence vector to the batch below.
        answer_tokens = (
            self._embedder.token_vectors(answer_norm) if answer_norm else TokenVectors([], np.zeros((0, 384)))
        )
        vectors = self._embedder.embed(
            spans
            + [
                answer_norm or ".",
                reference,
                _demote(answer_norm, question_stems),
                _demote(reference.lower(), question_stems),
            ]
            + [_demote(p.text.lower(), question_stems) for p in key_points]
            + hints
        )
        n, k = len(spans), len(key_points)
        clause_vecs, answer_vec, ref_vec, ans_demoted, ref_demoted = (
            vectors[:n],
            vectors[n],
            vectors[n + 1],
            vectors[n + 2],
            vectors[n + 3],
        )
        point_vecs = vectors[n + 4 : n + 4 + k]
        hint_vecs = iter(vectors[n + 4 + k :])

        points = [
            self._point(p, vec, [next(hint_vecs) for _ in each], spans, clause_vecs, answer_tokens,
                        answer_stems, question_stems)
            for p, vec, each in zip(key_points, point_vecs, point_hints, strict=True)
        ]  # fmt: skip
        # A point the answer states wrongly earns nothing, however many of its words it uses; nor does a point whose
        # best evidence is a statement heard as wrong ("an svm is a lazy learner: there's no training step, it just
        # stores the data" is no evidence of "an SVM learns its decision boundary at training time").
        truth = self._truth.judge(answer_norm, question, key_points, list(truths), list(wrong_versions))
        contradicted = truth.contradictions
        heard = self._misconceptions(misconceptions, answer_norm, question_stems)
        wrong = {c.point.id for c in contradicted}
        said_wrongly = [c.evidence for c in contradicted] + [_statement_with(w, answer_norm) for _, w in heard]
        points = [PointEvidence(p.point, 0.0, p.evidence) if p.point.id in wrong or _within(p.evidence, said_wrongly)
                  else p for p in points]  # fmt: skip
        weights = np.array([p.weight for p in key_points])
        coverage = np.array([p.coverage for p in points])
        recall, precision = self._alignment(reference, answer_tokens, question_stems)
        ref_stems = content_stems(reference) - question_stems
        ans_only = answer_stems - question_stems
        overlap = len(ref_stems & ans_only)
        features = {
            "kp_coverage": float((weights * coverage).sum() / weights.sum()) if len(points) else 0.0,
            "kp_best": float(coverage.max()) if len(points) else 0.0,
            "align_recall": recall,
            "align_precision": precision,
            "cosine": float(answer_vec @ ref_vec),
            "demoted_cosine": float(ans_demoted @ ref_demoted),
            "overlap_recall": overlap / max(1, len(ref_stems)),
            "overlap_precision": overlap / max(1, len(ans_only)),
            "question_share": 1.0 - len(ans_only) / max(1, len(answer_stems)),
            "log_words": math.log1p(len(content_words(answer_norm))),
            "log_ref_words": math.log1p(len(content_words(reference))),
            "length_ratio": math.log((1 + len(content_words(answer_norm))) / (1 + len(content_words(reference)))),
            "align_recall_plain": self._alignment(reference, answer_tokens, set())[0],
            "clause_best": float((clause_vecs[: len(answer_clauses)] @ ref_vec).max()),
            "align_hits": self._alignment(reference, answer_tokens, question_stems, hard=0.7)[0],
        } | truth.features
        return AnswerAnalysis(features, points, heard, contradicted)

    def _point(
        self,
        point: KeyPoint,
        vec: np.ndarray,
        hint_vecs: list[np.ndarray],
        answer_clauses: list[str],
        clause_vecs: np.ndarray,
        answer_tokens: TokenVectors,
        answer_stems: set[str],
        question_stems: set[str],
    ) -> PointEvidence:
        sims = clause_vecs @ vec
        if hint_vecs:  # a span close to one of the point's hints counts nearly as much
            sims = np.maximum(sims, HINT_DISCOUNT * (clause_vecs @ np.array(hint_vecs).T).max(1))
        best = int(np.argmax(sims))
        sem = float(sims[best])
        hint_hits = [h for h in point.hints if _phrase_in(h, answer_stems)]
        lexical = 1.0 if hint_hits else _stem_recall(point.text, answer_stems, question_stems)
        align, _ = self._alignment(point.text, answer_tokens, question_stems)
        coverage = 0.55 * _ramp(sem, 0.30, 0.68) + 0.25 * _ramp(align, 0.45, 0.85) + 0.20 * lexical
        evidence = answer_clauses[best]
        if hint_hits and sem < 0.45:
            evidence = _clause_with(hint_hits[0], answer_clauses) or evidence
        return PointEvidence(point, float(min(1.0, coverage)), evidence)

    def _alignment(
        self, reference: str, answer_tokens: TokenVectors, question_stems: set[str], hard: float | None = None
    ) -> tuple[float, float]:
        """Rarity-weighted soft alignment of reference content words to answer words (recall) and back."""
        ref_tokens = self._tokens(reference.lower())
        ref_idx = _content_indices(ref_tokens.words, question_stems)
        ans_idx = _content_indices(answer_tokens.words, question_stems)
        if not ref_idx or not ans_idx:
            return 0.0, 0.0
        sims = ref_tokens.vectors[ref_idx] @ answer_tokens.vectors[ans_idx].T
        if hard is not None:
            sims = (sims >= hard).astype(np.float32)
        ref_w = np.array([rarity(ref_tokens.words[i]) for i in ref_idx])
        ans_w = np.array([rarity(answer_tokens.words[i]) for i in ans_idx])
        recall = float((sims.max(1) * ref_w).sum() / ref_w.sum())
        precision = float((sims.max(0) * ans_w).sum() / ans_w.sum())
        return recall, precision

    def _misconceptions(
        self, items: Sequence[Misconception], answer_norm: str, question_stems: set[str]
    ) -> list[tuple[Misconception, str]]:
        """Misconceptions whose cues one clause of the answer says, unless it says them to reject them.

        A cue matches as a phrase, or, when it carries at least three words of its own beyond the question's,
        as those words in order within a few words of each other (speech reorders little, pads a lot), always
        inside one clause (never across a sentence boundary). A clause nearer in meaning to the correction than
        to the wrong belief states the correct idea and is not heard as the misconception.
        """
        heard: list[tuple[Misconception, str]] = []
        said = statements(answer_norm)
        for item in items:
            for n, clause in enumerate(said):
                window = self._cue_in(item, clause, question_stems)
                # "people think X. That's a myth": a neighbouring statement can reject it too
                around = " ".join(said[max(0, n - 1) : n] + said[n + 1 : n + 2])
                if window and not CALLED_FALSE.search(around) and not self._states_correction(item, clause):
                    heard.append((item, window))
                    break
        return heard

    @staticmethod
    def _cue_in(item: Misconception, clause: str, question_stems: set[str]) -> str | None:
        tokens = clause.split()
        token_stems = [stem(re.sub(r"[^\w-]", "", t)) for t in tokens]
        for cue in item.cues:
            cue_tokens = _normalised_phrase(cue).split()
            start = _phrase_position(cue_tokens, tokens)
            if start is None:
                # every word but articles, in order: "both minimise squared error" needs its "both" (as a content
                # word list it was "minimise squared error", which a correct answer about linear regression says)
                cue_stems = [stem(w) for w in words(cue) if w not in _ARTICLES]
                own = [s for s in (stem(w) for w in content_words(cue)) if s not in question_stems]
                start = _ordered_position(cue_stems, token_stems, 2 * len(cue_tokens)) if len(own) >= 3 else None
            if start is None:
                continue
            window = " ".join(tokens[start : start + len(cue_tokens) + 2])
            if not _REJECTED.search(" ".join(tokens[max(0, start - 10) : start]) + " " + window):
                return window
        return None

    def _states_correction(self, item: Misconception, clause: str) -> bool:
        said, belief, correction = self._embedder.embed([clause, item.belief, item.correction])
        return float(said @ correction) > float(said @ belief)


_ARTICLES = frozenset({"a", "an", "the"})


def _joined(first: str, second: str) -> str:
    """Two neighbouring clauses as the answer says them: overlapping word windows share their overlap once (a
    span is shown as the candidate's own words, and a quote of it must be found in the answer)."""
    a, b = first.split(), second.split()
    overlap = next((k for k in range(min(len(a), len(b)), 0, -1) if a[-k:] == b[:k]), 0)
    return " ".join(a + b[overlap:])


def _phrase_position(phrase: list[str], tokens: list[str]) -> int | None:
    clean = [re.sub(r"[^\w'-]", "", t) for t in tokens]
    for start in range(len(clean) - len(phrase) + 1):
        if clean[start : start + len(phrase)] == phrase:
            return start
    return None


def _ordered_position(stems: list[str], token_stems: list[str], window: int) -> int | None:
    """Start of the first stretch of at most `window` words holding `stems` in order."""
    for start, token in enumerate(token_stems):
        if token != stems[0]:
            continue
        position, found = start, 1
        while found < len(stems) and position + 1 < min(len(token_stems), start + window):
            position += 1
            found += token_stems[position] == stems[found]
        if found == len(stems):
            return start
    return None


# Words just before a cue that show the candidate is rejecting the wrong belief, not holding it.
_REJECTED = re.compile(
    rf"\b(not|n't|never|no|{CALLED_FALSE_WORDS}|it's not that|rather than|"
    r"instead of|contrary|wrong to|doesn't mean|isn't|unlike|opposite|as opposed|whereas|versus|vs)\b"
)


def _content_indices(tokens: list[str], question_stems: set[str]) -> list[int]:
    return [i for i, w in enumerate(tokens) if w.isalnum() and w not in STOPWORDS and stem(w) not in question_stems]


def _demote(text: str, question_stems: set[str]) -> str:
    """Drop the question's own words ("question demoting"): repeating the question earns nothing."""
    kept = [w for w in text.split() if stem(re.sub(r"\W", "", w)) not in question_stems]
    return " ".join(kept) or "."


def _statement_with(window: str, answer_norm: str) -> str:
    """The statement of the answer that holds a misconception's window (the window itself if none does)."""
    return next((s for s in statements(answer_norm) if window in s), window)


def _within(span: str, statements_: list[str]) -> bool:
    """Whether an evidence span is part of one of the statements, or holds one whole."""
    return any(span in s or s in span for s in statements_)


def _hints_in_meaning(point: KeyPoint, question_stems: set[str], answer_stems: set[str]) -> list[str]:
    """The point's hints to compare in meaning. A hint that is mostly the question's words ("bias term", for "what
    is bias?") sits near any answer on the topic: it counts only when the answer says the words it adds."""
    kept = []
    for hint in point.hints:
        stems = content_stems(hint)
        own = stems - question_stems
        if own == stems or len(own) >= MEANINGFUL_HINT_WORDS or own and own <= answer_stems:
            kept.append(hint)
    return kept


def _normalised_phrase(phrase: str) -> str:
    return normalise(phrase).strip(" .")


def _phrase_in(phrase: str, answer_stems: set[str]) -> bool:
    stems = content_stems(phrase)
    return bool(stems) and stems <= answer_stems


def _stem_recall(text: str, answer_stems: set[str], question_stems: set[str]) -> float:
    stems = content_stems(text) - question_stems
    if not stems:
        return 0.0
    weights = {s: rarity(s) for s in stems}
    return sum(w for s, w in weights.items() if s in answer_stems) / sum(weights.values())


def _clause_with(phrase: str, answer_clauses: list[str]) -> str | None:
    stems = content_stems(phrase)
    return next((c for c in answer_clauses if stems <= content_stems(c)), None)


def derive_key_points(reference: str, limit: int = 7) -> list[KeyPoint]:
    """Key points from an external reference: its sentences, or its clauses when it has few sentences."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?;])\s+|\n+", reference) if len(content_words(s)) >= 2]
    if len(sentences) < 3:
        parts = [p.strip() for p in re.split(r"[,;:]\s+|\s+(?:and|but|while|whereas)\s+", reference)]
        parts = [p for p in parts if len(content_words(p)) >= 2]
        sentences = parts if len(parts) > len(sentences) else sentences
    sentences = sentences or [reference.strip()]
    while len(sentences) > limit:  # merge the shortest neighbours
        i = min(range(len(sentences) - 1), key=lambda j: len(sentences[j]) + len(sentences[j + 1]))
        sentences[i : i + 2] = [sentences[i] + " " + sentences[i + 1]]
    return [KeyPoint(id=f"point-{i + 1}", text=s if len(s) >= 5 else s + " .....") for i, s in enumerate(sentences)]
