"""The LLM grader: grounded on the same reference and key points, structured output, offline fallback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from interviewer.bank import KeyPoint
from interviewer.errors import LLMError
from interviewer.grading.evidence import EvidenceCheck, evidence_cap, locate, shown_points
from interviewer.grading.flags import CAPS, LLM_REPORTABLE, SEMANTIC, Flag, apply_caps
from interviewer.grading.guards import GuardResult
from interviewer.grading.models import (
    ContradictedPoint,
    CoveredPoint,
    Grade,
    GradingTarget,
    HeardMisconception,
    MissedPoint,
    band_for,
)
from interviewer.llm import ChatModel, Message, call_structured, render_prompt


class _Covered(BaseModel):
    id: str
    evidence: str = ""


class LLMGradeOutput(BaseModel):
    """What the model must return (see prompts/grade.md)."""

    score: float = Field(ge=0, le=5)
    covered: list[_Covered] = Field(default_factory=list)
    contradicted: list[_Covered] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list)
    misconceptions: list[str] = Field(default_factory=list)
    feedback: str = Field(min_length=1)
    flags: list[str] = Field(default_factory=list)


class LLMGrader:
    """Builds the prompt, calls the model, keeps only the key points the answer's words show, applies the guards.

    `evidence` is the offline meaning check (`OfflineGrader.evidence_coverage`): how well a passage shows a point.
    """

    def __init__(self, model: ChatModel, prompt_dir: Path, timeout_s: float, max_retries: int, evidence: EvidenceCheck):
        self.model = model
        self._evidence = evidence
        self._prompt_dir = prompt_dir
        self._timeout_s = timeout_s
        self._max_retries = max_retries

    @property
    def name(self) -> str:
        return self.model.name if self.model.name.startswith("llm:") else f"llm:{self.model.name}"

    def messages(self, target: GradingTarget, answer: str) -> list[Message]:
        prompt = render_prompt(
            self._prompt_dir,
            "grade",
            question=target.question_text,
            reference=target.reference_answer,
            key_points="\n".join(f"- {p.id}: {p.text}" for p in target.key_points),
            misconceptions="\n".join(f"- {m.id}: {m.belief}" for m in target.misconceptions) or "- none listed",
            # The answer cannot close the delimiter it sits in.
            answer=answer.replace("<answer>", "(answer)").replace("</answer>", "(/answer)"),
        )
        return [Message("user", prompt)]

    def grade(self, target: GradingTarget, guard: GuardResult, semantic_flags: Callable[[], list[str]]) -> Grade:
        """The model's grade of the checked answer (guard.cleaned: text addressed to the grader already removed),
        bound to the key points the answer's words show. `semantic_flags` gives the offline grader's off-topic and
        echo findings; it is asked only when the score is above what they would cap.

        Raises LLMError when the model's reply cannot be used; the caller falls back to the offline grader."""
        points = {p.id: p for p in target.key_points}

        def names_known_points(reply: LLMGradeOutput) -> None:
            if reply.covered and not any(c.id in points for c in reply.covered):
                raise LLMError("reply names no known key point")

        answer = guard.cleaned
        out = call_structured(
            self.model, self.messages(target, answer), LLMGradeOutput, self._timeout_s, self._max_retries,
            names_known_points,
        )  # fmt: skip
        known = {m.id: m for m in target.misconceptions}
        contradicted = _contradicted(out.contradicted, points, answer)
        wrong = {c.id for c in contradicted}
        claims = [(c.id, c.evidence) for c in out.covered if c.id not in wrong]  # a point said wrongly earns nothing
        shown, unshown = shown_points(target, answer, claims, self._evidence)
        covered = [CoveredPoint(id=s.point_id, text=points[s.point_id].text, evidence=s.passage[:300]) for s in shown]
        said = {c.id for c in covered} | wrong
        missed = [MissedPoint(id=p.id, text=p.text) for p in target.key_points if p.id not in said]
        heard = [HeardMisconception(id=m, belief=known[m].belief, correction=known[m].correction)
                 for m in dict.fromkeys(out.misconceptions) if m in known]  # fmt: skip
        flags = guard.flags + [f for f in out.flags if f in LLM_REPORTABLE] + ([Flag.MISCONCEPTION] if heard else [])
        flags += [Flag.CONTRADICTION] if contradicted else []
        notes = list(guard.notes)
        if unshown:
            notes.append(f"the model credited {len(unshown)} key point(s) that the answer's own words do not show "
                         f"({', '.join(unshown)}); they were not counted")  # fmt: skip
        score = apply_caps(min(out.score, evidence_cap(target, shown)), flags)
        if score > min(CAPS[f] for f in SEMANTIC):
            flags += [f for f in semantic_flags() if f in SEMANTIC]
            score = apply_caps(score, flags)
        return Grade(
            question_id=target.question_id,
            question_text=target.question_text,
            score=score,
            band=band_for(round(score * 2) / 2),
            covered=covered,
            missed=missed,
            contradicted=contradicted,
            misconceptions=heard,
            feedback=out.feedback.strip()[:600],
            model_answer=target.reference_answer,
            grader=self.name,
            flags=list(dict.fromkeys(str(f) for f in flags)),
            notes=notes,
        )


def _contradicted(claims: list[_Covered], points: dict[str, KeyPoint], answer: str) -> list[ContradictedPoint]:
    """The key points the model says the answer states wrongly, each with the answer's own words for it (a claim
    whose quote is not in the answer is dropped: the candidate must have said it)."""
    out: list[ContradictedPoint] = []
    for claim in claims:
        passage = locate(claim.evidence, answer) if claim.id in points else None
        if passage and claim.id not in {c.id for c in out}:
            text = points[claim.id].text
            out.append(ContradictedPoint(id=claim.id, text=text, evidence=passage[:300], correction=text))
    return out
