"""Grading as the product does it: find what to grade against, use the LLM when configured, fall back offline."""

from __future__ import annotations

from interviewer.bank import Bank
from interviewer.errors import LLMError, SetupError
from interviewer.grading.budget import CostLanes, graded_portion
from interviewer.grading.guards import CAPS
from interviewer.grading.llm_grader import LLMGrader
from interviewer.grading.models import Grade, GradingTarget, band_for
from interviewer.grading.offline import OfflineGrader
from interviewer.grading.targets import target_for_question, target_for_reference
from interviewer.grading.text import clean_text
from interviewer.session import TRACKS
from interviewer.store import QuestionStore

MAX_ANSWER_CHARS = 20_000  # about 3,000 words: far beyond a spoken answer; the rest is not graded


class GradingService:
    def __init__(self, bank: Bank, store: QuestionStore | None, offline: OfflineGrader, llm: LLMGrader | None = None,
                 lanes: CostLanes | None = None):  # fmt: skip
        self.bank = bank
        self._store = store
        self.offline = offline
        self.llm = llm
        self._lanes = lanes or CostLanes()

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
            return target_for_question(self.bank.get(question_id))
        matched = self._match(question or "")
        if matched is None:
            shown = question if len(question) <= 120 else question[:117] + "..."
            raise SetupError(
                f"no bank question matches {shown!r}: pass --reference with a reference answer, "
                "or ask one of the bank's questions"
            )
        return target_for_question(self.bank.get(matched))

    def same_text(self, question: str, but: str | None = None) -> list[str]:
        """Ids of the bank questions worded exactly as `question`, in track order (the seed asks one twice)."""
        wanted = " ".join(question.lower().split())
        found = [q for q in self.bank.questions if " ".join(q.text.lower().split()) == wanted and q.id != but]
        return [q.id for q in sorted(found, key=lambda q: TRACKS.index(q.track) if q.track in TRACKS else len(TRACKS))]

    def _match(self, question: str) -> str | None:
        exact = self.same_text(question)
        if exact:
            return exact[0]
        if self._store is None:
            return None
        found = self._store.match(question)
        return found.question_id if found and found.question_id in self.bank else None

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        """Never fails because of the LLM: any failure gives the offline grade, flagged `llm_fallback`.

        Long answers are graded one at a time in their own lane (see budget.py), whoever sends them."""
        answer = clean_text(answer[:MAX_ANSWER_CHARS])
        with self._lanes.lane(graded_portion(answer)):
            return self._grade(target, answer)

    def _grade(self, target: GradingTarget, answer: str) -> Grade:
        if self.llm is None:
            return self.offline.grade(target, answer)
        try:
            graded = self.llm.grade(target, answer)
        except (LLMError, SetupError) as exc:
            grade = self.offline.grade(target, answer)
            return grade.model_copy(
                update={"flags": grade.flags + ["llm_fallback"], "notes": grade.notes + [f"LLM not used: {exc}"]}
            )
        # The offline guards still bind: an LLM that is talked into a score for an off-topic or empty answer
        # is capped exactly as the offline grader would be (one offline grade, ~50 ms, per LLM grade).
        offline_flags = [f for f in self.offline.grade(target, answer).flags if f in CAPS]
        cap = min([CAPS[f] for f in offline_flags], default=5.0)
        if cap < graded.score:
            flags = list(dict.fromkeys(graded.flags + offline_flags))
            return graded.model_copy(update={"score": cap, "band": band_for(cap), "flags": flags})
        return graded
