"""The interview as a state machine: pure transitions, no I/O. The runtime grades and phrases; this decides.

Phases: greeting -> asking <-> follow_up -> ... -> closed (paused from asking/follow_up and back).
Each transition returns the new state and the `Event`s the interviewer should voice, in order.
"""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.attempts import Attempt, Comparison, compare
from interviewer.bank import Question
from interviewer.grading.flags import Flag
from interviewer.grading.models import Grade
from interviewer.intents import Intent

Mode = Literal["practice", "mock"]
Phase = Literal["greeting", "asking", "follow_up", "paused", "closed"]
# The seed article's five tracks are the default interview; core-ml (the classical topics every interview asks)
# is chosen on purpose, so the default stays the seed's 40 questions.
SEED_TRACKS = ("basics", "intermediate", "advanced", "data-science", "behavioral")
TRACKS = (*SEED_TRACKS, "core-ml")

# A follow-up earns at most this share of the credit of the key points it brings in (it was prompted).
FOLLOW_UP_CREDIT = 0.75
STRONG_SCORE = 4.0  # no follow-up at or above this
MIN_ATTEMPT = 1.0  # below this an attempt is weak: the probe asks for something concrete
# Not an attempt to answer: no probe ("I don't know", asking for the answer, blank, text for the grader, another
# language, a transcript that could not be read). Skips are intents and never reach grading.
NOT_AN_ATTEMPT = frozenset({Flag.DONT_KNOW, Flag.ASKS_FOR_ANSWER, Flag.EMPTY, Flag.INJECTION_SUSPECTED,
                            Flag.NON_ENGLISH, Flag.GARBLED})  # fmt: skip
# An attempt too vague to grade well: probed once, asking for something concrete.
VAGUE = frozenset({Flag.TOO_SHORT, Flag.OFF_TOPIC, Flag.ECHO, Flag.KEYWORD_SALAD})


class SessionConfig(BaseModel):
    candidate: str = Field(default="", max_length=80)
    tracks: list[str] = Field(default_factory=lambda: list(SEED_TRACKS))
    questions: int = Field(default=5, ge=1, le=40)
    seed: int | None = None
    follow_ups: int = Field(default=1, ge=0, le=2)
    mode: Mode = "practice"
    adaptive: bool = False
    question_ids: list[str] | None = Field(default=None, description="Ask exactly these, in this order.")
    reasons: dict[str, str] = Field(default_factory=dict, description="Why a question was chosen (review, job).")


class PlannedQuestion(BaseModel):
    """A question chosen for this candidate (a due review, a job description) and why, in words to say."""

    question_id: str
    reason: str


class QuestionResult(BaseModel):
    question_id: str
    track: str
    grade: Grade | None = None
    follow_up_grades: list[Grade] = Field(default_factory=list)
    score: float = 0.0
    covered: list[str] = Field(default_factory=list)  # key point ids, after follow-ups
    missed: list[str] = Field(default_factory=list)
    skipped: bool = False
    dont_know: bool = False
    hints: int = 0
    attempts: list[Attempt] = Field(default_factory=list)  # earlier attempts (retries); the fields above: the latest

    @property
    def best_score(self) -> float:
        """The score that counts: the best attempt's."""
        return max([self.score, *(a.score for a in self.attempts)])

    @property
    def latest(self) -> Attempt:
        return Attempt(grade=self.grade, follow_up_grades=self.follow_up_grades, score=self.score,
                       covered=self.covered, missed=self.missed)  # fmt: skip

    def comparison(self, question: Question) -> Comparison | None:
        """The latest attempt beside the one before it (None before a retry)."""
        if not self.attempts:
            return None
        return compare(self.attempts[-1], self.latest, {p.id: p.text for p in question.key_points})


EventKind = Literal[
    "greet", "ask", "acknowledge", "feedback", "follow_up", "hint", "no_hint", "repeat", "rephrase",
    "model_answer", "skip", "pause", "resume", "small_talk", "question_back", "close", "retry", "no_retry",
    "nothing_to_retry", "compare",
]  # fmt: skip


class Event(BaseModel):
    """Something the interviewer says or shows; phrasing turns it into words."""

    kind: EventKind
    question_id: str | None = None
    key_point_id: str | None = None
    text: str | None = None  # e.g. the follow-up question from the bank
    grade: Grade | None = None
    vague: bool = False  # a follow-up after a vague attempt: asks for something concrete


class SessionState(BaseModel):
    config: SessionConfig
    plan: list[str]
    difficulty: dict[str, int] = Field(default_factory=dict)
    index: int = 0
    phase: Phase = "greeting"
    resume_phase: Phase | None = None
    follow_ups_asked: int = 0
    follow_up: Event | None = None
    results: list[QuestionResult] = Field(default_factory=list)
    retrying: str | None = None  # the question being tried again (practice mode), before the plan goes on
    asked: str = ""  # what the interviewer last said to ask (set by the runtime, used as a turn's prompt)
    llm_notice_given: bool = False  # the candidate was told once that the LLM could not be used (runtime)

    @property
    def current_id(self) -> str | None:
        if self.retrying is not None:
            return self.retrying
        return self.plan[self.index] if self.index < len(self.plan) else None

    @property
    def current_result(self) -> QuestionResult | None:
        qid = self.current_id
        return next((r for r in self.results if r.question_id == qid), None)

    @property
    def done(self) -> bool:
        return self.phase == "closed"


Step = tuple[SessionState, list[Event]]


def plan_questions(questions: list[Question], config: SessionConfig) -> list[str]:
    """Pick N questions from the chosen tracks: seeded, no question group twice, easier ones first."""
    if config.question_ids:
        known = {q.id for q in questions}
        unknown = [qid for qid in config.question_ids if qid not in known]
        if unknown:
            raise ValueError(f"unknown question id(s): {', '.join(unknown)}")
        return list(dict.fromkeys(config.question_ids))
    rng = random.Random(config.seed)
    pool = [q for q in questions if q.track in config.tracks]
    rng.shuffle(pool)
    chosen, groups = [], set()
    for question in pool:
        if question.group not in groups:
            chosen.append(question)
            groups.add(question.group)
    chosen = chosen[: config.questions]
    if not config.adaptive:
        chosen.sort(key=lambda q: (q.difficulty, TRACKS.index(q.track) if q.track in TRACKS else 99))
    return [q.id for q in chosen]


def new_session(questions: list[Question], config: SessionConfig) -> SessionState:
    plan = plan_questions(questions, config)
    if not plan:
        raise ValueError(f"no questions in tracks {', '.join(config.tracks)}")
    by_id = {q.id: q for q in questions}
    return SessionState(config=config, plan=plan, difficulty={qid: by_id[qid].difficulty for qid in plan})


def start(state: SessionState) -> Step:
    state = state.model_copy(deep=True)
    state.phase = "asking"
    return state, [Event(kind="greet"), Event(kind="ask", question_id=state.current_id)]


def on_answer(state: SessionState, question: Question, grade: Grade) -> Step:
    """A graded answer to the current question (or to its follow-up)."""
    state = state.model_copy(deep=True)
    if state.retrying is not None:
        return _retried(state, question, grade)
    events: list[Event] = []
    if state.phase == "follow_up":
        answered = state.current_result
        assert answered is not None, "a follow-up comes after a first answer"
        _merge_follow_up(answered, question, grade)
        state.follow_ups_asked += 1
    else:
        state.results.append(_first_result(question, grade))
    result = state.current_result
    assert result is not None  # merged or appended just above
    practice = state.config.mode == "practice"
    events.append(Event(kind="acknowledge", question_id=question.id, grade=grade))
    follow = _next_follow_up(state, question, grade)
    if practice:
        events.append(Event(kind="feedback", question_id=question.id, grade=grade))
        if follow is None and result.score < STRONG_SCORE:
            events.append(Event(kind="model_answer", question_id=question.id))
    if follow is not None:
        state.phase = "follow_up"
        state.follow_up = follow
        return state, events + [follow]
    return _advance(state, events)


def on_intent(state: SessionState, question: Question, intent: Intent) -> Step:
    """Anything that is not an answer: never graded."""
    state = state.model_copy(deep=True)
    if intent == "retry":
        return _retry(state, question)
    if state.done:
        return state, []
    if state.phase == "paused" and intent != "end":
        state.phase, state.resume_phase = state.resume_phase or "asking", None
        return state, [Event(kind="resume"), _reask(state, question)]
    if intent == "end":
        return _close(state)
    if intent == "pause":
        state.resume_phase, state.phase = state.phase, "paused"
        return state, [Event(kind="pause")]
    if intent in ("resume", "repeat", "rephrase"):
        return state, [_reask(state, question) if intent == "resume" else _reask(state, question, kind=intent)]
    if intent == "hint":
        return _hint(state, question)
    if intent in ("dont_know", "tell_answer", "skip"):
        return _no_answer(state, question, intent)
    if intent == "question_back":
        return state, [Event(kind="question_back"), _reask(state, question)]
    return state, [Event(kind="small_talk"), _reask(state, question)]


def _retry(state: SessionState, question: Question) -> Step:
    """In practice mode, "let me try again": the last question answered is asked again (its follow-up dropped)."""
    target = next((r.question_id for r in reversed(state.results) if r.grade is not None), None)
    if state.config.mode != "practice" or target is None or state.phase == "paused":
        events = [Event(kind="no_retry" if state.config.mode != "practice" else "nothing_to_retry")]
        return state, events if state.done or state.phase == "paused" else [*events, _reask(state, question)]
    state.retrying, state.phase, state.follow_up, state.follow_ups_asked = target, "asking", None, 0
    return state, [Event(kind="retry", question_id=target)]


def _retried(state: SessionState, question: Question, grade: Grade) -> Step:
    """A new attempt at a question tried again: kept beside the earlier ones, compared, then the plan goes on."""
    result = state.current_result
    assert result is not None, "only an answered question is tried again"
    result.attempts.append(result.latest)
    result.grade, result.follow_up_grades, result.score = grade, [], grade.score
    result.covered, result.missed = [c.id for c in grade.covered], [m.id for m in grade.missed]
    events = [Event(kind="acknowledge", question_id=question.id, grade=grade),
              Event(kind="feedback", question_id=question.id, grade=grade),
              Event(kind="compare", question_id=question.id)]  # fmt: skip
    if grade.score < STRONG_SCORE:
        events.append(Event(kind="model_answer", question_id=question.id))
    state.retrying = None
    if question.id == state.current_id:  # the question in the plan was tried again before it was left
        return _advance(state, events)
    if state.current_id is None:
        return _close(state, events)
    return state, events + [Event(kind="ask", question_id=state.current_id)]


def _hint(state: SessionState, question: Question) -> Step:
    """In practice mode, a hint at the most important key point not yet covered (the next one on each ask)."""
    if state.config.mode != "practice":
        return state, [Event(kind="no_hint", question_id=question.id)]
    result = state.current_result or QuestionResult(question_id=question.id, track=question.track)
    covered = set(result.covered)
    missing = [p for p in sorted(question.key_points, key=lambda p: -p.weight) if p.id not in covered]
    if state.current_result is None:
        state.results.append(result)
    result.hints += 1
    point = missing[min(result.hints - 1, len(missing) - 1)] if missing else question.key_points[0]
    return state, [Event(kind="hint", question_id=question.id, key_point_id=point.id)]


def _no_answer(state: SessionState, question: Question, intent: Intent) -> Step:
    """A "don't know", a "tell me the answer" or a skip: recorded as such, then the next question (in practice
    mode after the model answer, unless it was skipped)."""
    result = state.current_result or QuestionResult(question_id=question.id, track=question.track,
                                                    missed=[p.id for p in question.key_points])  # fmt: skip
    if state.current_result is None:
        state.results.append(result)
    if state.phase != "follow_up":
        result.skipped = intent == "skip"
        result.dont_know = intent != "skip"
    events = [Event(kind="skip", question_id=question.id)] if intent == "skip" else []
    if intent != "skip" and state.config.mode == "practice":
        events.append(Event(kind="model_answer", question_id=question.id))
    return _advance(state, events)


def _adapt(state: SessionState) -> None:
    """Adaptive order: after a strong answer go harder, after a weak one easier (swap into the next slot)."""
    remaining = state.plan[state.index :]
    if not state.config.adaptive or len(remaining) < 2:
        return
    last = state.results[-1].score if state.results else 2.5
    target = 3 if last >= STRONG_SCORE else 1 if last < 2 else 2
    best = min(remaining, key=lambda qid: (abs(state.difficulty.get(qid, 2) - target), remaining.index(qid)))
    position = state.plan.index(best)
    state.plan[state.index], state.plan[position] = state.plan[position], state.plan[state.index]


def _reask(state: SessionState, question: Question, kind: EventKind = "ask") -> Event:
    if state.phase == "follow_up" and state.follow_up is not None:
        return state.follow_up if kind == "ask" else state.follow_up.model_copy(update={"kind": "follow_up"})
    return Event(kind=kind, question_id=question.id)


def _first_result(question: Question, grade: Grade) -> QuestionResult:
    return QuestionResult(
        question_id=question.id,
        track=question.track,
        grade=grade,
        score=grade.score,
        covered=[c.id for c in grade.covered],
        missed=[m.id for m in grade.missed],
        dont_know="dont_know" in grade.flags,
    )


def _merge_follow_up(result: QuestionResult, question: Question, grade: Grade) -> None:
    """Key points first shown in the follow-up earn part of their weight's share of the score."""
    result.follow_up_grades.append(grade)
    new = [c.id for c in grade.covered if c.id not in result.covered]
    if "injection_suspected" in grade.flags:
        new = []
    total = sum(p.weight for p in question.key_points)
    gained = sum(question.key_point(pid).weight for pid in new) / total * 5 * FOLLOW_UP_CREDIT
    result.score = round(min(5.0, result.score + gained) * 2) / 2
    result.covered += new
    result.missed = [pid for pid in result.missed if pid not in new]


def _next_follow_up(state: SessionState, question: Question, grade: Grade) -> Event | None:
    """Probe the most important missed point after a real attempt that is incomplete, or weak and vague (then
    the probe asks for something concrete); never after a strong answer or what is not an attempt at all."""
    if state.follow_ups_asked >= state.config.follow_ups:
        return None
    if grade.score >= STRONG_SCORE or NOT_AN_ATTEMPT & set(grade.flags):
        return None
    vague = grade.score < MIN_ATTEMPT or bool(VAGUE & set(grade.flags))
    result = state.current_result
    assert result is not None, "called after the answer's result is recorded"
    asked = {state.follow_up.key_point_id} if state.follow_up and state.phase == "follow_up" else set()
    for point in sorted(question.key_points, key=lambda p: -p.weight):
        if point.id in result.missed and point.id not in asked:
            probe = next((f for f in question.follow_ups if f.probes == point.id), None)
            if probe is not None:
                return Event(kind="follow_up", question_id=question.id, key_point_id=point.id, text=probe.text,
                             vague=vague)  # fmt: skip
    return None


def _advance(state: SessionState, events: list[Event]) -> Step:
    state.index += 1
    state.follow_ups_asked = 0
    state.follow_up = None
    state.phase = "asking"
    if state.current_id is None:
        return _close(state, events)
    _adapt(state)
    return state, events + [Event(kind="ask", question_id=state.current_id)]


def _close(state: SessionState, events: list[Event] | None = None) -> Step:
    state.phase = "closed"
    state.follow_up = None
    return state, (events or []) + [Event(kind="close")]
