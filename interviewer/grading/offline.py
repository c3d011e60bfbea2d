"""The offline grader: grounded on the reference and key points, no LLM, one answer at a time."""

from __future__ import annotations

from collections.abc import Sequence

from interviewer.embeddings import LocalEmbedder
from interviewer.grading.behavioral import rubric_scores
from interviewer.grading.calibration import Calibration
from interviewer.grading.cleaning import normalise
from interviewer.grading.evidence import COVERED_AT
from interviewer.grading.features import FeatureExtractor, PointEvidence
from interviewer.grading.feedback import write_feedback
from interviewer.grading.flags import Flag, apply_caps
from interviewer.grading.guards import GuardResult
from interviewer.grading.injection import InjectionDetector
from interviewer.grading.models import (
    ContradictedPoint,
    CoveredPoint,
    Grade,
    GradingTarget,
    HeardMisconception,
    MissedPoint,
    band_for,
    round_half,
)
from interviewer.grading.text import content_stems, content_words, words

# Per misconception heard or key point contradicted (at most two in all); the flags' caps are in flags.py.
WRONG_STATEMENT_PENALTY = 1.0
# Semantic guards (cosines of MiniLM vectors): below OFF_TOPIC the answer is about something else;
# above ECHO with little new content it only repeats the question.
OFF_TOPIC = 0.22
ECHO = 0.85
BEHAVIORAL_ATTEMPT_WORDS = 12
EXTERNAL_SHORT_WORDS = 2
EXTERNAL_UNRELATED_ALIGN = 0.1
EXTERNAL_UNRELATED_COSINE = 0.15
ECHO_NEW_WORDS = 4  # fewer content words than this beyond the question's own: nothing was added
# A concise answer (about fifteen seconds of speech) that states the question's central idea, its most important
# key points, and says nothing wrong scores at least this: an interviewer hears a short right answer as sound,
# however much it leaves for follow-ups. Chosen on the contrast dev set (concise answers at 3.5 or more 0.19 ->
# 0.36, wrong answers unchanged) and the grader's dev answers (Spearman 0.925 -> 0.928); without the length bound
# it lifted long wrong answers in the bank's words too (0.38 -> 0.43 at 3.5 or more), so it is not kept for them.
CONCISE_WORDS = 40
CONCISE_FLOOR = 3.5


class OfflineGrader:
    """Meaning (sentence and token embeddings) plus lexical evidence, mapped to 0-5 by a fitted calibration."""

    name = "offline"

    def __init__(self, embedder: LocalEmbedder, calibration: Calibration | None = None):
        self._embedder = embedder
        self._features = FeatureExtractor(embedder)
        self._calibration = calibration or Calibration.load()
        self.injections = InjectionDetector(embedder)

    def grade(self, target: GradingTarget, guard: GuardResult) -> Grade:
        """The grade of an answer the guards have checked (GradingService runs them, once per answer)."""
        flags, notes = list(guard.flags), list(guard.notes)
        if guard.decided:
            return self._grade(target, 0.0, [], [], flags, notes)
        # The work per answer is bounded: what it covers is read from its beginning, within the budget.
        answer = guard.portion.text
        if guard.portion.note:
            notes.append(guard.portion.note)
        if target.kind == "behavioral":
            return self._grade_behavioral(target, answer, flags, notes)

        analysis = self._features.analyse(
            answer, target.question_text, target.reference_answer, target.key_points, target.misconceptions,
            target.truths, target.wrong_versions,
        )  # fmt: skip
        features = analysis.features
        if not target.external:  # quiz-style references: short lists and restatements can be right
            flags += self._semantic_flags(target, answer, features, flags)
        elif len(words(answer)) <= EXTERNAL_SHORT_WORDS and _unrelated(features):
            flags.append(Flag.OFF_TOPIC)
        model = self._calibration.external if target.external else self._calibration.bank
        score = model.predict(features)
        heard = [
            HeardMisconception(id=m.id, belief=m.belief, correction=m.correction, evidence=evidence)
            for m, evidence in analysis.misconceptions
        ]
        contradicted = [
            ContradictedPoint(id=c.point.id, text=c.point.text, evidence=c.evidence, correction=c.correction)
            for c in analysis.contradicted
        ]
        if heard:
            flags.append(Flag.MISCONCEPTION)
        if contradicted:
            flags.append(Flag.CONTRADICTION)
        score -= WRONG_STATEMENT_PENALTY * min(2, len(heard) + len(contradicted))
        if not (flags or target.external) and _concise_and_central(target, analysis.points, answer):
            score = max(score, CONCISE_FLOOR)
        return self._grade(target, score, analysis.points, heard, flags, notes, contradicted)

    def evidence_coverage(self, target: GradingTarget, passage: str, point_id: str) -> float:
        """How well a passage of an answer shows one key point (0-1), by the meaning check grading uses.

        A technical point is judged on the passage alone; a behavioral criterion on the passage as a story."""
        point = next(p for p in target.key_points if p.id == point_id)
        if target.kind == "behavioral":
            return rubric_scores(passage, [point], self._embedder)[point.id][0]
        analysis = self._features.analyse(passage, target.question_text, target.reference_answer, [point])
        return analysis.points[0].coverage

    def _semantic_flags(self, target: GradingTarget, answer: str, features: dict[str, float], flags: list[str]
                        ) -> list[str]:  # fmt: skip
        extra: list[str] = []
        relevance = max(features["cosine"], features["clause_best"], features["kp_best"] * 0.6)
        if relevance < OFF_TOPIC and Flag.NON_ENGLISH not in flags and Flag.GARBLED not in flags:
            extra.append(Flag.OFF_TOPIC)
        question_sim = self._features_similarity(answer, target.question_text)
        new_words = content_stems(answer) - content_stems(target.question_text)
        # Very close to the question is an echo only if little is added: a crisp definition ("supervised learning is
        # when the algorithm learns from labelled examples ...") sits at 0.87 from its question and adds nine words.
        if (
            len(new_words) < ECHO_NEW_WORDS
            and question_sim > 0.6
            or question_sim >= ECHO
            and len(new_words) < 2 * ECHO_NEW_WORDS
        ):
            extra.append(Flag.ECHO)
        return extra

    def _features_similarity(self, a: str, b: str) -> float:
        va, vb = self._embedder.embed([normalise(a) or ".", b])
        return float(va @ vb)

    def _grade_behavioral(self, target: GradingTarget, answer: str, flags: list[str], notes: list[str]) -> Grade:
        scores = rubric_scores(answer, target.key_points, self._embedder)
        points = [PointEvidence(p, scores[p.id][0], scores[p.id][1]) for p in target.key_points]
        weights = sum(p.weight for p in target.key_points)
        coverage = sum(p.point.weight * p.coverage for p in points) / weights
        relevance = self._features_similarity(answer, target.question_text + " " + target.reference_answer)
        if relevance < OFF_TOPIC:
            flags.append(Flag.OFF_TOPIC)
        # A relevant, real attempt earns a point before the rubric: a vague but honest answer is a 1-1.5.
        real_attempt = not flags and len(content_words(answer)) >= BEHAVIORAL_ATTEMPT_WORDS
        raw = 1.0 + 4.0 * coverage if real_attempt else 5.0 * coverage
        return self._grade(target, raw, points, [], flags, notes)

    def _grade(
        self,
        target: GradingTarget,
        score: float,
        points: list[PointEvidence],
        heard: list[HeardMisconception],
        flags: list[str],
        notes: list[str],
        contradicted: Sequence[ContradictedPoint] = (),
    ) -> Grade:
        score = round_half(apply_caps(score, flags))
        covered = [
            CoveredPoint(id=p.point.id, text=p.point.text, evidence=p.evidence)
            for p in points
            if p.coverage >= COVERED_AT and score > 0
        ]
        said = {c.id for c in covered} | {c.id for c in contradicted}
        by_importance = sorted(target.key_points, key=lambda p: -p.weight)
        missed = [MissedPoint(id=p.id, text=p.text) for p in by_importance if p.id not in said]
        flags = list(dict.fromkeys(flags))
        return Grade(
            question_id=target.question_id,
            question_text=target.question_text,
            score=score,
            band=band_for(score),
            covered=covered,
            missed=missed,
            contradicted=list(contradicted),
            misconceptions=heard,
            feedback=write_feedback(
                score,
                covered,
                missed,
                heard,
                flags,
                seed=target.question_text + str(score),
                contradicted=list(contradicted),
            ),  # fmt: skip
            model_answer=target.reference_answer,
            grader=self.name,
            flags=flags,
            notes=notes,
        )


def _concise_and_central(target: GradingTarget, points: list[PointEvidence], answer: str) -> bool:
    """A short answer that covers every one of the question's most important key points (flags, a misconception
    or a contradicted point are checked by the caller: each adds a flag)."""
    top = max(p.weight for p in target.key_points)
    central = [p for p in points if p.point.weight == top]
    return len(words(answer)) <= CONCISE_WORDS and all(p.coverage >= COVERED_AT for p in central)


def _unrelated(features: dict[str, float]) -> bool:
    """Nothing in common with the reference, in words or in meaning (e.g. "age" for a prototype question).

    Only for one- or two-word answers: longer quiz answers often share neither words nor much similarity
    with a terse reference and are still right (on the public data set, flagging every length cost r 0.02)."""
    return (features["overlap_recall"] == 0 and features["align_recall"] < EXTERNAL_UNRELATED_ALIGN
            and max(features["cosine"], features["clause_best"]) < EXTERNAL_UNRELATED_COSINE)  # fmt: skip
