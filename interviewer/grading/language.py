"""Which language and script a text is in: the one place that tells English from other languages and scripts."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Language = Literal["english", "other_script", "other_language"]

# Languages written in the Latin script that wordfreq knows: a word much more common in one of them than in
# English is taken as foreign ("puan", "calificación", "Bestnote").
_OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "pl", "tr", "sv", "da", "nb", "fi", "cs", "sk", "sl", "sh",
                    "ro", "hu", "id", "ms", "vi", "ca", "lv", "lt", "fil", "is")  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")
UNKNOWN_WORDS_SENTENCE = 6  # words: a sentence this long made mostly of non-English words is another language


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float:
    """How common a word is in a language (wordfreq's Zipf scale: 7 is 'the', 2 once in ten million words)."""
    from wordfreq import zipf_frequency

    # Other languages only need their common words to be told apart from English: their small lists hold
    # them in about 5 MB each, where the full lists take 20-35 MB each (25 languages: 110 MB against 560 MB).
    return float(zipf_frequency(word, language, wordlist="best" if language == "en" else "small"))


def letter_runs(text: str) -> list[str]:
    """Runs of letters in any script, as written: no digits, no underscores."""
    return _LETTERS.findall(text)


def letter_words(text: str) -> list[str]:
    """Lowercased letter runs of two letters or more: the words a language can be told from."""
    return [t for t in _LETTERS.findall(text.lower()) if len(t) > 1]


def is_english_word(token: str) -> bool:
    """A word English text uses (wordfreq's Zipf 2 is once in ten million words; loanwords from everywhere
    appear below that)."""
    return zipf(token.lower(), "en") >= 2.0


def foreign_ratio(text: str) -> float:
    """Share of words (of two letters or more) much more common in another Latin-script language than in English."""
    tokens = letter_words(text)
    if not tokens:
        return 0.0
    foreign = sum(max(zipf(t, lang) for lang in _OTHER_LANGUAGES) > zipf(t, "en") + 1.0 for t in tokens)
    return foreign / len(tokens)


def other_script_letters(text: str) -> int:
    """Letters of scripts other than Latin; Greek only where it spells words (alone it is ML notation: σ, λ)."""
    return sum(
        len(word) if len(word) >= 3 and _is_greek(word[0]) else sum(_foreign_script(ch) for ch in word)
        for word in letter_runs(text)
    )


def other_script_share(text: str) -> float:
    """Share of the letters of a text that are written in another script (see other_script_letters)."""
    letters = sum(len(word) for word in letter_runs(text))
    return other_script_letters(text) / letters if letters else 0.0


def language_of(sentence: str) -> Language:
    """English, another script (Chinese, Russian...), or another language in the Latin script."""
    if other_script_share(sentence) >= 0.5:
        return "other_script"
    tokens = letter_words(sentence)
    if len(tokens) >= 3 and foreign_ratio(sentence) >= 0.5:
        return "other_language"
    # a language the word lists do not know (Swahili, ...): most of its words are not English words at all
    if len(tokens) >= UNKNOWN_WORDS_SENTENCE and sum(not is_english_word(t) for t in tokens) >= 0.7 * len(tokens):
        return "other_language"
    return "english"


def _is_greek(ch: str) -> bool:
    return "\u0370" <= ch <= "\u03ff"


def _foreign_script(ch: str) -> bool:
    """Letters of a script other than Latin and Greek."""
    return not ch.isascii() and not ("\u00c0" <= ch <= "\u024f") and not _is_greek(ch)
