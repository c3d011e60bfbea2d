"""Grading as the product does it: find what to grade against, use the LLM when configured, fall back offline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from interviewer.bank import Bank
from interviewer.errors import LLMError, SetupError
from interviewer.grading.budget import CostLanes
from interviewer.grading.cleaning import prepare_answer
from interviewer.grading.flags import Flag
from interviewer.grading.guards import GuardResult, check_answer
from interviewer.grading.injection import InjectionDetector
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.models import Grade, GradingTarget
from interviewer.grading.targets import target_for_question, target_for_reference
from interviewer.session import TRACKS

# A free-text question -> the id of the bank question it means, or None (the store's match, injected)
QuestionMatcher = Callable[[str], str | None]


class OfflineGrading(Protocol):
    """What the service (and an LLM grader's evidence check) needs of the offline grader: an `OfflineGrader`, or a
    wrapper of one (the injection suite's memo of grades)."""

    name: str
    injections: InjectionDetector

    def grade(self, target: GradingTarget, guard: GuardResult) -> Grade: ...

    def evidence_coverage(self, target: GradingTarget, passage: str, point_id: str) -> float: ...


class GradingService:
    def __init__(self, bank: Bank, match: QuestionMatcher | None, offline: OfflineGrading, llm: LLMGrader | None = None,
                 lanes: CostLanes | None = None):  # fmt: skip
        self.bank = bank
        self._match_free_text = match
        self.offline = offline
        self.llm = llm
        self._lanes = lanes or CostLanes()

    def offline_only(self) -> GradingService:
        """The same pipeline without the LLM (for the offline figures an LLM's grade is compared with)."""
        return GradingService(self.bank, self._match_free_text, self.offline, None, self._lanes)

    def resolve(
        self, question: str | None = None, reference: str | None = None, question_id: str | None = None
    ) -> GradingTarget:
        """A bank question by id or by meaning; an item's own reference when it brings one."""
        if reference and reference.strip():
            matched = self._match(question) if question else None
            return target_for_reference(question or "", reference.strip(), matched)
        if question_id:
            if question_id not in self.bank:
                raise SetupError(f"unknown question id {question_id!r}: see `interviewer ingest` for the bank")
            return target_for_question(self.bank, question_id)
        asked = question or ""
        matched = self._match(asked)
        if matched is None:
            shown = asked if len(asked) <= 120 else asked[:117] + "..."
            raise SetupError(
                f"{shown!r} is not a question in the bank (none is close enough to grade against): pass --reference "
                "with a reference answer, or add the question to a bank (interviewer ingest --bank)"
            )
        return target_for_question(self.bank, matched)

    def grade_best(self, question: str, references: list[str], answer: str) -> Grade:
        """Graded against each reference answer alone, keeping the best: a right answer needs to match only one of
        the ways it can be put (SemEval items list several). No reference: against the bank question."""
        if not references:
            return self.grade(self.resolve(question=question), answer)
        grades = [self.grade(self.resolve(question=question, reference=r), answer) for r in references]
        return max(grades, key=lambda g: g.score)

    def same_text(self, question: str, but: str | None = None) -> list[str]:
        """Ids of the bank questions worded exactly as `question`, in track order (the seed asks one twice)."""
        wanted = " ".join(question.lower().split())
        found = [q for q in self.bank.questions if " ".join(q.text.lower().split()) == wanted and q.id != but]
        return [q.id for q in sorted(found, key=lambda q: TRACKS.index(q.track) if q.track in TRACKS else len(TRACKS))]

    def _match(self, question: str) -> str | None:
        exact = self.same_text(question)
        if exact:
            return exact[0]
        if self._match_free_text is None:
            return None
        found = self._match_free_text(question)
        return found if found in self.bank else None

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        """The one grading pipeline: the answer is cleaned and cut, checked by the guards once, graded by one grader
        (the LLM when configured, else or on any LLM failure the offline grader, flagged `llm_fallback`), and
        capped by its flags (flags.apply_caps). Long answers wait for their own lane (budget.py)."""
        answer = prepare_answer(answer)
        guard = check_answer(answer, target.question_text, short_answers=target.external,
                             reference=target.reference_answer, injections=self.offline.injections)  # fmt: skip
        with self._lanes.lane(guard.portion):
            if self.llm is None or guard.decided:  # nothing for a model to judge in a blank or "I don't know"
                return self.offline.grade(target, guard)
            try:
                return self.llm.grade(target, guard, lambda: self.offline.grade(target, guard).flags)
            except (LLMError, SetupError) as exc:
                grade = self.offline.grade(target, guard)
                reason = str(exc)
                return grade.model_copy(update={"flags": [*grade.flags, Flag.LLM_FALLBACK.value],
                                                "notes": [*grade.notes, f"LLM not used: {reason}"],
                                                "fallback_reason": reason})  # fmt: skip
