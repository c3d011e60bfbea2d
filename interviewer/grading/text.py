"""Text handling for spoken answers: fillers, self-corrections, clauses, content words, word rarity."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

STOPWORDS = frozenset(
    """a an the and or but if then so because as of in on at to for from by with without about into onto over
    under between through during before after above below up down out off again further once here there when
    where why how all any both each few more most other some such no nor not only own same than too very can
    will just don should now is are was were be been being have has had having do does did doing would could
    i me my we our you your he him his she her it its they them their what which who whom this that these those
    am also um uh like yeah okay ok well really actually basically sort kind thing things stuff lot lots get got
    gets let us one way make makes made use used uses using want wants say said know mean think guess pretty
    maybe probably something anything everything much many even still just like might may must shall etc""".split()
)

_SELF_CORRECTION = re.compile(
    r"\b(?:no wait|wait no|sorry|i mean|or rather|no no|scratch that|let me rephrase)\b[,.]?\s*", re.IGNORECASE
)
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CLAUSE_SPLIT = re.compile(
    r"[.;:!?\n]+|,\s+|\s+(?:and then|and so|but|so|because|which|whereas|while|although|however)\s+", re.IGNORECASE
)


MAX_ANSWER_CHARS = 20_000  # about 3,000 words: far beyond a spoken answer; the rest is neither kept nor graded


def prepare_answer(text: str | None) -> str:
    """An answer as it is kept and graded: cut to MAX_ANSWER_CHARS, then cleaned (see clean_text)."""
    return clean_text((text or "")[:MAX_ANSWER_CHARS])


def clean_text(text: str) -> str:
    """Text safe to embed, store and show: undecodable bytes (surrogates) replaced, control characters dropped."""
    text = text.encode("utf-8", errors="replace").decode("utf-8")
    return "".join(ch if ch.isprintable() or ch in "\n\t" else " " if ch.isspace() else "" for ch in text)


def normalise(text: str) -> str:
    """Lowercase, drop control characters, collapse fillers and repeated words from speech."""
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text).lower()
    text = re.sub(r"\b(um+|uh+|erm*|hmm+|mm+)\b[,.]?", " ", text)
    text = re.sub(r"\b(you know|i mean|sort of|kind of)\b,?", " ", text)
    text = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", text)  # "the the" from restarts
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    """Word tokens; hyphenated terms split into their parts ('cross-validation' -> cross, validation)."""
    return [part for token in _WORD.findall(text.lower()) for part in token.split("-") if part]


_BRITISH = ((r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"ys(e|ed|es|ing)$", r"yz\1"), (r"our$", "or"),
            (r"ll(ed|ing)$", r"l\1"), (r"tre$", "ter"))  # fmt: skip


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem after mapping British to American spelling: 'generalise' ~ 'generalizing'."""
    word = word.lower()
    for pattern, replacement in _BRITISH:
        word = re.sub(pattern, replacement, word)
    return _thread_stemmer().stemWord(word)


class _PerThread(threading.local):
    stemmer = None


_PER_THREAD = _PerThread()


def _thread_stemmer():
    """A stemmer of this thread's own: a snowballstemmer instance keeps its word in fields while it works, so
    two threads sharing one corrupt each other's words (IndexError under concurrent grading)."""
    if _PER_THREAD.stemmer is None:
        import snowballstemmer

        _PER_THREAD.stemmer = snowballstemmer.stemmer("english")
    return _PER_THREAD.stemmer


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def content_stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def clauses(text: str, window: int = 14, stride: int = 7) -> list[str]:
    """Clauses of an answer; long unpunctuated runs are cut into overlapping word windows."""
    text = _SELF_CORRECTION.sub(" ", normalise(text))
    out: list[str] = []
    for part in _CLAUSE_SPLIT.split(text):
        tokens = part.split()
        if len(tokens) < 2:
            continue
        if len(tokens) <= window + 4:
            out.append(" ".join(tokens))
            continue
        for start in range(0, len(tokens) - stride, stride):
            out.append(" ".join(tokens[start : start + window]))
    return out or ([text] if text else [])


# Where one statement ends: sentence marks, semicolons, and the connectives that turn to another claim.
_STATEMENT_END = re.compile(r"[.;!?\n]+\s*|\s+(?:but|whereas|while|however|although)\s+")


def statements(text: str) -> list[str]:
    """The claims of a (normalised) answer, one per sentence or contrasting half: what is judged true or false."""
    return [part.strip() for part in _STATEMENT_END.split(text) if part and part.strip()]


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """Information weight of a word from a fixed corpus (wordfreq), not from the answers graded: 0.5-3."""
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "en")
    return float(min(3.0, max(0.5, (7.0 - zipf) / 2.0)))


# Languages written in the Latin script that wordfreq knows: a word much more common in one of them than in
# English is taken as foreign ("puan", "calificación", "Bestnote").
_OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "pl", "tr", "sv", "da", "nb", "fi", "cs", "sk", "sl", "sh",
                    "ro", "hu", "id", "ms", "vi", "ca", "lv", "lt", "fil", "is")  # fmt: skip
_LETTERS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=65536)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    # Other languages only need their common words to be told apart from English: their small lists hold
    # them in about 5 MB each, where the full lists take 20-35 MB each (25 languages: 110 MB against 560 MB).
    return zipf_frequency(word, language, wordlist="best" if language == "en" else "small")


def letter_runs(text: str) -> list[str]:
    """Runs of letters in any script, as written: no digits, no underscores."""
    return _LETTERS.findall(text)


def letter_words(text: str) -> list[str]:
    """Lowercased letter runs of two letters or more: the words a language can be told from."""
    return [t for t in _LETTERS.findall(text.lower()) if len(t) > 1]


def is_english_word(token: str) -> bool:
    """A word English text uses (wordfreq's Zipf 2 is once in ten million words; loanwords from everywhere
    appear below that)."""
    return _zipf(token.lower(), "en") >= 2.0


def foreign_ratio(text: str) -> float:
    """Share of words (of two letters or more) much more common in another Latin-script language than in English."""
    tokens = letter_words(text)
    if not tokens:
        return 0.0
    foreign = sum(max(_zipf(t, lang) for lang in _OTHER_LANGUAGES) > _zipf(t, "en") + 1.0 for t in tokens)
    return foreign / len(tokens)


def non_latin_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(not ch.isascii() and not ("\u00c0" <= ch <= "\u024f") for ch in letters) / len(letters) if letters else 0.0


def rare_ratio(text: str, known: set[str] = frozenset(), written: str = "") -> float:
    """Share of words rare or unknown in English, not among `known` stems and not spelled out in `written` with its
    spaces and symbols dropped ("logn" for "O(log n)"): recogniser noise is full of such words, terse answers not."""
    tokens = [t for t in words(text) if not t.isdigit()]
    compact = re.sub(r"[\W_]+", "", written.lower())
    rare = sum(_zipf(t, "en") < 2.5 and stem(t) not in known and not (len(t) > 2 and t in compact) for t in tokens)
    return rare / len(tokens) if tokens else 0.0
