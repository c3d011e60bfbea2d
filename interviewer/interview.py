"""The interview runtime: grades, phrases and persists; the state machine in session.py decides."""

from __future__ import annotations

from dataclasses import dataclass, field

from interviewer.attempts import Comparison
from interviewer.bank import Bank, Question
from interviewer.errors import LLMError, SetupError
from interviewer.grading.cleaning import prepare_answer  # what is kept of an answer is what is graded
from interviewer.grading.models import Grade
from interviewer.grading.service import GradingService
from interviewer.intents import classify
from interviewer.llm_interviewer import LLMInterviewer
from interviewer.mastery import PointOutcome, outcomes_of
from interviewer.phrasing import OfflinePhraser
from interviewer.session import Event, SessionConfig, SessionState, new_session, on_answer, on_intent, start
from interviewer.speech.transcript import SpeechFigures
from interviewer.storage import SessionMoved, SessionRecord, Storage, Turn, TurnKind

EMPTY_REPLY = "I didn't catch an answer there. Could you say it again?"


@dataclass
class TurnOutcome:
    record: SessionRecord  # the session as it stands after this turn: render from it, no need to read it again
    lines: list[str]
    turn: Turn | None = None
    grade: Grade | None = None
    notices: list[str] = field(default_factory=list)  # every LLM failure of this turn
    notice: str | None = None  # what to tell the candidate: the first failure, once per session
    comparison: Comparison | None = None  # a new attempt at a question tried again, beside the one before

    @property
    def session_id(self) -> str:
        return self.record.session_id

    @property
    def state(self) -> SessionState:
        return self.record.state

    @property
    def done(self) -> bool:
        return self.state.done


class Interview:
    """Drives sessions with what it is given (the composition root builds it); state is read from the database."""

    def __init__(self, bank: Bank, grading: GradingService, storage: Storage, llm: LLMInterviewer | None = None):
        self.bank = bank
        self._grading = grading
        self._storage = storage
        self._phraser = OfflinePhraser(bank)
        self._llm = llm

    def begin(self, config: SessionConfig, user: str = "guest") -> TurnOutcome:
        state, events = start(new_session(self.bank.questions, config))
        lines, _ = self._say(state, events, "open", "")
        session_id = self._storage.create_session(user, state, lines)
        return TurnOutcome(SessionRecord(session_id=session_id, user=user, state=state, opening=lines), lines)

    def resume(self, session_id: str, user: str | None = None) -> TurnOutcome:
        """Where a session stands: the question to answer now (asked again), or the closing line."""
        record = self._storage.record(session_id, user)
        state = record.state
        if state.done:
            return TurnOutcome(record, ["This interview is finished; your report is ready."])
        if state.phase == "paused":
            return TurnOutcome(record, ["We're paused. Say continue when you're ready."])
        lines = ["Welcome back. Here's where we were."] + ([state.asked] if state.asked else [])
        return TurnOutcome(record, lines)

    def respond(
        self, session_id: str, text: str, user: str | None = None, speech: SpeechFigures | None = None
    ) -> TurnOutcome:
        """One candidate utterance: classify, grade if it is an answer, decide, persist, then reply.

        The session is read once (state and transcript) and written once (turn and new state in one transaction).
        """
        record = self._storage.record(session_id, user)
        state = record.state
        text = prepare_answer(text)
        answered = [r.question_id for r in state.results if r.grade is not None]
        if state.done and not (classify(text) == "retry" and state.config.mode == "practice" and answered):
            return TurnOutcome(record, ["This interview is finished; your report is ready."])
        if not text.strip():
            return TurnOutcome(record, [EMPTY_REPLY])
        # After the end, only a retry gets here: it is about the last question answered.
        question = self.bank.get(state.current_id or answered[-1])
        kind: TurnKind = "follow_up" if state.phase == "follow_up" else "question"
        notices: list[str] = []
        intent = classify(text)
        if self._llm is not None and intent == "answer":
            try:
                intent = self._llm.intent(text, state.asked or question.text)
            except (LLMError, SetupError) as exc:
                notices.append(f"LLM not used: {exc}")
        grade = None
        if intent in ("answer", "dont_know", "tell_answer") and state.phase != "paused":
            grade = self._grade(question, text)
            new_state, events = on_answer(state, question, grade)
        else:
            new_state, events = on_intent(state, question, intent)
        lines, said = self._say(new_state, events, f"{session_id}:{len(new_state.results)}:{new_state.index}", text)
        notices += said + ([f"LLM not used: {grade.fallback_reason}"] if grade and grade.fallback_reason else [])
        notices = list(dict.fromkeys(notices))
        # The candidate hears about a failing LLM once per session, whichever process serves the next turn:
        # that it was said is part of the state, saved with the turn.
        notice = notices[0] if notices and not state.llm_notice_given else None
        if notice:
            new_state = new_state.model_copy(update={"llm_notice_given": True})
        # A request to try again is about the question it re-asks, not the one that was pending.
        about = new_state.retrying if intent == "retry" and new_state.retrying else question.id
        turn = Turn(question_id=about, kind=kind, prompt=state.asked, answer=text, intent=intent, grade=grade,
                    reply=lines, speech=speech)  # fmt: skip
        try:
            turn = self._storage.record_turn(session_id, turn, new_state, after=len(record.turns),
                                             outcomes=_finished(state, new_state))  # fmt: skip
        except SessionMoved:
            return self._moved_on(session_id, user, text)
        record = record.model_copy(update={"state": new_state, "turns": [*record.turns, turn]})
        comparison = None
        if grade is not None and state.retrying is not None:
            retried = next(r for r in new_state.results if r.question_id == question.id)
            comparison = retried.comparison(question)
        return TurnOutcome(record, lines, turn, grade, notices, notice, comparison)

    def retry(self, session_id: str, user: str | None = None) -> TurnOutcome:
        """The "try again" button: the same as saying it."""
        return self.respond(session_id, "let me try again", user)

    def _moved_on(self, session_id: str, user: str | None, text: str) -> TurnOutcome:
        """Another request saved a turn while this one was graded: a repeat of that answer (a double submit) gets
        that answer's result; a different answer is not saved, and the candidate is told so."""
        record = self._storage.record(session_id, user)
        last = record.turns[-1]
        if last.answer == text:
            return TurnOutcome(record, last.reply, last, last.grade)
        raise SessionMoved("this interview moved on in another window while you answered, so this answer was not "
                           "saved: reload the page to continue where it stands")  # fmt: skip

    def _grade(self, question: Question, text: str) -> Grade:
        return self._grading.grade(self._grading.resolve(question_id=question.id), text)

    def _say(self, state: SessionState, events: list[Event], salt: str, candidate: str) -> tuple[list[str], list[str]]:
        """Phrase the events (LLM-rewritten when configured); remember the line that asked, as the next prompt."""
        pairs = [(e, self._phraser.line(state, e, f"{salt}:{n}")) for n, e in enumerate(events)]
        pairs = [(e, line) for e, line in pairs if line]
        notices = []
        if self._llm is not None and pairs:
            try:
                rewritten = self._llm.rephrase([line for _, line in pairs], [e for e, _ in pairs], candidate)
                pairs = [(e, line) for (e, _), line in zip(pairs, rewritten, strict=True)]
            except (LLMError, SetupError) as exc:
                notices.append(f"LLM not used: {exc}")
        for event, line in pairs:
            if event.kind in ("ask", "follow_up", "repeat", "rephrase", "retry"):
                state.asked = line
        return [line for _, line in pairs], notices


def _finished(before: SessionState, after: SessionState) -> list[PointOutcome]:
    """The key-point outcomes of the question this turn left (answered, followed up, tried again), if any."""
    left = before.current_id
    if left is None or (after.current_id == left and not (after.done and not before.done)):
        return []
    result = next((r for r in after.results if r.question_id == left), None)
    return outcomes_of(result) if result else []
