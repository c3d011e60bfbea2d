"""Word error rate of a transcript against what was said (jiwer), on the words that carry content."""

from __future__ import annotations

import re

import jiwer

from interviewer import fillers


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word error rate (edits / reference words), ignoring case, punctuation and filler words."""
    ref, hyp = _wer_words(reference), _wer_words(hypothesis)
    if not ref:
        return float(bool(hyp))
    return float(jiwer.wer(" ".join(ref), " ".join(hyp) or ""))


def _wer_words(text: str) -> list[str]:
    text = fillers.without_counted(" ".join(text.lower().split()))  # "like," and friends only where fillers
    text = re.sub(r"(?<=\w)[-_/](?=\w)", " ", text.replace("%", " percent"))
    tokens = (t.strip("'") for t in re.findall(r"[a-z0-9']+(?:\.[0-9]+)?", text))
    words = [t for t in tokens if t and not fillers.is_sound(t)]
    # Whisper writes "99" where the speaker said "ninety nine": compare numbers spelled out.
    return [w for t in words for w in (_spell_number(t) if re.fullmatch(r"\d+(?:\.\d+)?", t) else [t])]


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen \
seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _spell_number(number: str) -> list[str]:
    """'99' -> ['ninety', 'nine'], '0.5' -> ['zero', 'point', 'five'] (0 to 999999; longer: digit by digit)."""
    whole, _, fraction = number.partition(".")
    n = int(whole)
    if n >= 1_000_000:
        words = [_ONES[int(d)] for d in whole]
    elif n >= 1000:
        words = _spell_number(str(n // 1000)) + ["thousand"] + (_spell_number(str(n % 1000)) if n % 1000 else [])
    elif n >= 100:
        words = [_ONES[n // 100], "hundred"] + (_spell_number(str(n % 100)) if n % 100 else [])
    elif n >= 20:
        words = [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    else:
        words = [_ONES[n]]
    return words + (["point"] + [_ONES[int(d)] for d in fraction] if fraction else [])
