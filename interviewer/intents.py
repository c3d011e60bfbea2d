"""What a candidate says besides answers: recognised offline by patterns, so a request is never graded."""

from __future__ import annotations

import re
from typing import Literal

from interviewer.non_answers import ASKS_FOR_ANSWER, DONT_KNOW, hedged_attempt

Intent = Literal[
    "answer", "repeat", "rephrase", "hint", "dont_know", "tell_answer", "skip", "pause", "resume", "end",
    "small_talk", "question_back", "retry",
]  # fmt: skip
# Longer utterances are answers even when they contain these words ("... so I'd skip the scaling step").
MAX_INTENT_WORDS = 14

_PATTERNS: list[tuple[Intent, re.Pattern[str]]] = [
    (
        "end",
        re.compile(
            r"\b(end|stop|finish|quit|exit|wrap up|terminate)( the| this)? (interview|session|now|here|it)\b|"
            r"^(let'?s )?(stop|end|quit|exit)( here| now| please)?\W*$|\bi'?m done( for today)?\b|"
            r"\bthat'?s enough for (today|now)\b|\bcan we (stop|end)\b",
            re.I,
        ),
    ),
    (
        "pause",
        re.compile(
            r"\b(pause|take a break|give me a (minute|moment|sec|second)|hold on|one (sec|second|moment)|"
            r"be right back|brb|wait a (minute|moment|sec))\b",
            re.I,
        ),
    ),
    (
        "resume",
        re.compile(r"^(ok(ay)?,? )?(i'?m )?(back|ready|continue|let'?s continue|go on|carry on|resume)\W*$", re.I),
    ),
    (
        "retry",
        re.compile(  # a request to answer again, never "... I would try again with more data" inside an answer
            r"\b(retry|redo|re-do)( (my|the|that|this|it)( answer| one| question)?)?( please)?\W*$|"
            r"\b(do[- ]over|start (that|this|it)( one)? over|let me rephrase|"
            r"(another|one more|a second|a fresh) (try|go|attempt|shot|crack|take)|"
            r"(answer|try|attempt|do) (that|it|this)( one| question| answer)? (again|once more))\b|"
            r"^((um|uh|ok(ay)?|sorry|actually|wait|hang on|hmm|so|please)\W+)*"
            r"((let me|lemme|can i|could i|may i|i'?d like( to)?|i would like( to)?|i want( to)?|i wanna|i'?ll)\s+)?"
            r"(try|answer|have a go|go) (again|once more)\b|"
            r"\b(let me|lemme|can i|could i|may i|i'?d like to|i would like to|i want to|i wanna|i'?ll|i can)\s+"
            r"(try|answer|go)( (it|that|this))? (again|once more)\b",
            re.I,
        ),
    ),
    (
        "repeat",
        re.compile(
            r"\b(repeat|say (that|it) again|come again|once more|didn'?t (catch|hear)|"
            r"what was the question|pardon|sorry\?)",
            re.I,
        ),
    ),
    (
        "rephrase",
        re.compile(
            r"\b(rephrase|reword|another way|what do you mean|don'?t understand the question|"
            r"clarify|not sure what you'?re asking|could you explain the question|in other words)\b",
            re.I,
        ),
    ),
    (
        "hint",
        re.compile(
            r"\b(hint|(a|any|one|some) clue|give me a (tip|pointer|nudge)|help me (out|a bit)|point me)\b", re.I
        ),
    ),  # fmt: skip
    ("tell_answer", ASKS_FOR_ANSWER),
    (
        "skip",
        re.compile(
            r"\b(skip|next question|move on|pass on this|let'?s pass|can we do another|(a|another) "
            r"different (one|question))\b|^(pass|next)( one| please)?\W*$",
            re.I,
        ),
    ),
    ("dont_know", DONT_KNOW),
    (
        "small_talk",
        re.compile(
            r"^(hi|hello|hey|good (morning|afternoon|evening)|how are you|thanks|thank you|"
            r"nice to meet you|i'?m (nervous|excited|good|fine|well))\b",
            re.I,
        ),
    ),
    (
        "question_back",
        re.compile(
            r"^(what|how|why|do|does|are|is|can|could|would) (you|your)\b.*\?\s*$|"
            r"\b(what about you|your (favorite|favourite|opinion|view))\b",
            re.I,
        ),
    ),
]


def classify(utterance: str) -> Intent:
    """The intent of an utterance; anything long or unrecognised is an answer."""
    text = " ".join(utterance.strip().split())
    if len(text.split()) > MAX_INTENT_WORDS:
        return "answer"
    for intent, pattern in _PATTERNS:
        if pattern.search(text) and not (intent == "dont_know" and hedged_attempt(text)):
            return intent
    return "answer"
