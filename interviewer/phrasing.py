"""Spoken-style interviewer lines for the offline interviewer: short, varied, no markdown."""

from __future__ import annotations

import re

from interviewer.bank import Bank, Question
from interviewer.session import Event, SessionState
from interviewer.wording import inside_sentence, pick

GREETINGS = (
    "Hi{name}, thanks for joining. We'll go through {n} questions; answer as you would in a real interview.",
    "Hello{name}, good to meet you. I have {n} questions for you today; take your time with each one.",
    "Hi{name}. Let's get started: {n} questions, and just talk me through your thinking.",
)
FIRST = ("Let's start with this one.", "First question.", "To begin:")
TRANSITIONS = (
    "Next one.",
    "Let's move on.",
    "Okay, here's another.",
    "Moving on.",
    "Next question.",
    "Let's switch gears.",
)
ACK_GOOD = ("Nice, you covered {point}.", "Good, I liked how you explained {point}.", "Right, {point}, exactly.")
ACK_PARTIAL = ("Okay, you mentioned {point}.", "Thanks. You touched on {point}.", "Got it, {point}.")
ACK_WEAK = ("Okay, thanks for that.", "Alright.", "Okay, noted.")
ACK_DONT_KNOW = ("No worries, that happens.", "That's fine, it's a tough one.", "No problem at all.")
ACK_INJECTION = ("Let's stick to the question itself.",)
FOLLOW_INTRO = ("Let me push on that a little.", "One follow-up.", "Quick follow-up on that.", "Let me dig in a bit.")
PROBE_INTRO = ("Can you be more concrete?", "Let's make that concrete.", "Could you be more specific?")
REPEAT = ("Sure. {question}", "Of course, here it is again. {question}", "No problem. {question}")
REPHRASE = ("Let me put it another way. {question}", "In other words: {question}", "Sure, let me rephrase. {question}")
HINT = ("Here's a hint: think about {hint}.", "A nudge: what about {hint}?", "Try thinking about {hint}.")
NO_HINT = ("In a mock interview I can't give hints, but take your time.",
           "No hints in mock mode, I'm afraid. Just talk me through what you know.")  # fmt: skip
MODEL = ("Here's how I'd put it: {answer}", "A strong answer would go something like this: {answer}")
RETRY = ("Sure, let's try that one again. {question}", "Of course, have another go. {question}")
NO_RETRY = ("Trying a question again is for practice mode; in a mock interview we keep going.",)
NOTHING_TO_RETRY = ("There's no answer to try again yet; answer this one first.",)
CHOSEN = ("This one is here because {reason}.", "I picked this one because {reason}.")
SKIP = ("Sure, let's skip that one.", "No problem, we'll move on.", "Okay, skipping it.")
PAUSE = ("Sure, take your time. Say continue when you're ready.", "Of course. Tell me when you want to carry on.")
RESUME = ("Welcome back.", "Great, let's carry on.", "Okay, picking up where we left off.")
SMALL_TALK = ("Thanks! Let's keep going.", "Glad to hear it. Back to the question.", "Thank you. Let's continue.")
QUESTION_BACK = ("Good question, but today the focus is on you. I'm happy to talk after.",
                 "I'll save my answer for the end; let's focus on yours.")  # fmt: skip
CLOSE = ("That's the end of our interview. Thanks{name}, your report is ready.",
         "We're done. Thank you{name}; have a look at your report for what to review.")  # fmt: skip


_MARKDOWN = re.compile(r"[*_`#>|]+")


def spoken(text: str) -> str:
    """Strip anything that should not be read aloud (markdown marks, extra spaces)."""
    return re.sub(r"\s+", " ", _MARKDOWN.sub("", text)).strip()


def short_model_answer(reference: str, max_words: int = 70) -> str:
    """The first sentences of the reference answer, up to about 30 seconds of speech."""
    sentences = re.split(r"(?<=[.!?])\s+", reference.strip())
    out: list[str] = []
    for sentence in sentences:
        if out and len(" ".join(out + [sentence]).split()) > max_words:
            break
        out.append(sentence)
    return " ".join(out)


class OfflinePhraser:
    """Turns session events into what the interviewer says."""

    def __init__(self, bank: Bank):
        self._bank = bank

    def line(self, state: SessionState, event: Event, salt: str) -> str:
        return spoken(self._line(state, event, salt))

    def _line(self, state: SessionState, event: Event, salt: str) -> str:
        """The interviewer's line for one event (a pick among its phrasings, fixed by `salt`)."""
        name = f" {state.config.candidate.strip()}" if state.config.candidate.strip() else ""
        if event.kind in _SAID_AS_IS:
            return pick(_SAID_AS_IS[event.kind], salt)
        match event.kind:
            case "greet":
                return pick(GREETINGS, salt).format(name=name, n=len(state.plan))
            case "acknowledge":
                return self._acknowledge(event, salt)
            case "feedback":
                grade = event.grade
                assert grade is not None, "a feedback event carries its grade"
                return f"I'd score that {grade.score:g} out of 5. {grade.feedback}"
            case "follow_up":
                return f"{pick(PROBE_INTRO if event.vague else FOLLOW_INTRO, salt)} {event.text}"
            case "close":
                return pick(CLOSE, salt).format(name=name)
        if event.question_id is None:
            return ""
        return self._about_question(state, event, self._bank.get(event.question_id), salt)

    def _about_question(self, state: SessionState, event: Event, question: Question, salt: str) -> str:
        """The lines that say something of the question itself: it, again, in other words, a hint, a model answer."""
        match event.kind:
            case "ask":
                position = state.plan.index(question.id) if question.id in state.plan else 0
                intro = pick(FIRST, salt) if position == 0 else pick(TRANSITIONS, salt)
                reason = state.config.reasons.get(question.id)
                why = f" {pick(CHOSEN, salt).format(reason=inside_sentence(reason))}" if reason else ""
                return f"{intro}{why} {self.question_text(question.id, salt)}"
            case "retry":
                return pick(RETRY, salt).format(question=question.text)
            case "compare":
                result = next((r for r in state.results if r.question_id == question.id), None)
                comparison = result.comparison(question) if result else None
                return comparison.summary() if comparison else ""
            case "repeat":
                return pick(REPEAT, salt).format(question=question.text)
            case "rephrase":
                return pick(REPHRASE, salt).format(question=self.question_text(question.id, salt + "r", avoid=True))
            case "hint":
                assert event.key_point_id is not None, "a hint event names its key point"
                point = question.key_point(event.key_point_id)
                hint = point.hints[0] if point.hints else point.text.rstrip(".").lower()
                return pick(HINT, salt).format(hint=hint)
            case "model_answer":
                return pick(MODEL, salt).format(answer=short_model_answer(question.reference_answer))
        return ""

    def question_text(self, question_id: str, salt: str, avoid: bool = False) -> str:
        """One of the question's spoken phrasings (a different one than the written text when rephrasing)."""
        question = self._bank.get(question_id)
        options = tuple(question.spoken) if avoid or question.spoken else (question.text,)
        return pick(options, salt)

    def _acknowledge(self, event: Event, salt: str) -> str:
        grade = event.grade
        assert grade is not None, "an acknowledge event carries its grade"
        if "injection_suspected" in grade.flags:
            return pick(ACK_INJECTION, salt)
        if {"dont_know", "asks_for_answer"} & set(grade.flags):
            return pick(ACK_DONT_KNOW, salt)
        if not grade.covered or grade.score < 1.5:
            return pick(ACK_WEAK, salt)
        point = self._bank.get(grade.question_id).key_point(grade.covered[0].id) if grade.question_id else None
        phrase = point.hints[0] if point and point.hints else grade.covered[0].text.rstrip(".").lower()
        return pick(ACK_GOOD if grade.score >= 4 else ACK_PARTIAL, salt).format(point=phrase)


# Events whose line is one of their phrasings as it stands.
_SAID_AS_IS: dict[str, tuple[str, ...]] = {"no_hint": NO_HINT, "no_retry": NO_RETRY, "nothing_to_retry": NOTHING_TO_RETRY, "skip": SKIP, "pause": PAUSE, "resume": RESUME,
                                           "small_talk": SMALL_TALK, "question_back": QUESTION_BACK}  # fmt: skip
