"""What a candidate says instead of an answer: the one list the interview's intents and the grader's guards share."""

from __future__ import annotations

import re

# "I don't know" in its spoken forms, and a bare "pass" or "skip".
DONT_KNOW = re.compile(
    r"\b(i\s*(?:really\s*)?(?:do\s*n[o']?t|dont|don't)\s*(?:really\s*)?know|no idea|not sure|no clue|i'?m not sure|"
    r"i'?m blanking|i (?:have|got) no (?:idea|clue)|(?:i )?can'?t remember|i forgot|i (?:really )?don'?t remember|"
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
