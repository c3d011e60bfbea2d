"""What a candidate says instead of an answer: the one list the interview's intents and the grader's guards share."""

from __future__ import annotations

import re

from interviewer.grading.text import content_words

# "I don't know" in its spoken forms, and a bare "pass" or "skip".
DONT_KNOW = re.compile(
    r"\b(i\s*(?:really\s*)?(?:do\s*n[o']?t|dont|don't)\s*(?:really\s*)?know|no idea|no clue|"
    r"not (?:really |totally |entirely |quite |completely )?sure|"
    r"i'?m blanking|i (?:have|got) no (?:idea|clue)|(?:i )?can'?t (?:really )?(?:remember|recall)|i forgot|"
    r"i (?:really )?(?:do\s*n[o']?t|dont|don't) (?:really )?(?:remember|recall)|"
    r"^\W*(?:pass|skip)\W*$|haven'?t (?:heard|studied|learned)|never heard of)\b",
    re.IGNORECASE,
)
# Asking the interviewer for the answer instead of giving one.
ASKS_FOR_ANSWER = re.compile(
    r"\b((?:can|could|would) you (?:just )?(?:tell|give|show) me (?:the )?(?:answer|solution)|"
    r"(?:tell|give|show) me the (?:answer|solution)|what(?:'?s| is) the (?:right |correct )?answer|just tell me|"
    r"what would (?:a|the) (?:good|strong|right) answer be)\b",
    re.IGNORECASE,
)

# After "I'm not sure", the words that turn to an attempt: "... but I think it's the spread of predictions".
_TURN_TO_ATTEMPT = re.compile(
    r"\b(?:but|maybe|i think|i guess|i believe|i'?d say|probably|perhaps|my guess is|if i had to guess)\b",
    re.IGNORECASE,
)
HEDGED_ATTEMPT_WORDS = 3  # content words after the turn that make it a real, hedged answer


def hedged_attempt(text: str) -> bool:
    """A don't-know that goes on to answer ("not sure, but I think variance is how much predictions change"):
    graded on what it says, not taken for "I don't know"."""
    said = DONT_KNOW.search(text)
    turn = _TURN_TO_ATTEMPT.search(text, said.end()) if said else None
    return turn is not None and len(content_words(DONT_KNOW.sub(" ", text[turn.end() :]))) >= HEDGED_ATTEMPT_WORDS
