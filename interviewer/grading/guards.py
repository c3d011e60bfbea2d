"""Guards against answers that are not real attempts: each one a flag with a score cap."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from interviewer.grading.budget import MAX_ANSWER_WORDS, Portion, graded_portion
from interviewer.grading.cleaning import normalise
from interviewer.grading.flags import cap_for
from interviewer.grading.injection import PATTERN, InjectionDetector
from interviewer.grading.language import foreign_ratio, letter_words, other_script_share
from interviewer.grading.text import STOPWORDS, content_stems, content_words, rare_ratio, words
from interviewer.non_answers import ASKS_FOR_ANSWER, DONT_KNOW, hedged_attempt

# Fewer content words than this (beyond the question's own) is too short to show knowledge.
MIN_WORDS = 3


@dataclass
class GuardResult:
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cleaned: str = ""  # the answer with text addressed to the grader removed

    @property
    def decided(self) -> bool:
        """Nothing to grade: a flag caps the score at 0 (blank, "I don't know", asking for the answer)."""
        return cap_for(self.flags) == 0.0

    @cached_property
    def portion(self) -> Portion:
        """The part of the cleaned answer that is graded (the budget), worked out once for every grader."""
        return graded_portion(self.cleaned)


def strip_injection(answer: str, spans: list[str]) -> str:
    for span in spans:
        match = PATTERN.search(span)
        # In an unpunctuated transcript the "sentence" is the whole answer: cut from the injection onwards.
        answer = answer.replace(span, span[: match.start()] if len(span) > 200 and match else " ")
    return answer


def check_answer(
    answer: str,
    question_text: str,
    short_answers: bool = False,
    reference: str = "",
    injections: InjectionDetector | None = None,
) -> GuardResult:
    """Lexical guards that need no model: empty, injection, don't know, asking, garbled, salad, too short.

    `short_answers`: the item is a quiz-style question whose reference is a phrase or two (external data
    sets), so two or three words can be a full answer. `injections`: the detector to use (with an embedder it
    also judges meaning); patterns and language only when not given.
    """
    result = GuardResult(cleaned=answer)
    if not answer or not answer.strip() or not re.search(r"\w", answer):
        result.flags += ["empty", "too_short"]  # nothing that could be a word: blank, punctuation or binary
        return result
    if _undecodable(answer):
        result.flags += ["garbled"]
        result.notes.append("the answer is mostly characters that are not text (binary data?)")
        return result
    too_long = len(words(answer)) > MAX_ANSWER_WORDS
    spans = _injection_spans(answer, injections)
    if spans:
        result.flags.append("injection_suspected")
        result.notes.append("text addressed to the grader was ignored")
        result.cleaned = strip_injection(answer, spans)
    text = normalise(result.cleaned)
    if too_long:
        result.flags.append("too_long")
        result.notes.append(f"answers over {MAX_ANSWER_WORDS} words are not graded on their content")
    substance = _substance(text, question_text)
    enough = 3 if short_answers else 6  # content words beyond a "don't know" that make it a real attempt
    if ASKS_FOR_ANSWER.search(text) and len(substance) < enough:
        result.flags.append("asks_for_answer")
    if DONT_KNOW.search(text) and len(substance) < enough and not hedged_attempt(text):
        result.flags.append("dont_know")
    if flag := _what_it_is(result, text, substance, question_text, reference, short_answers):
        result.flags.append(flag)
    return result


def _injection_spans(answer: str, injections: InjectionDetector | None) -> list[str]:
    """Sentences addressed to the grader: by pattern and language always, by meaning with an embedder."""
    if injections is None:
        return InjectionDetector(None).spans(answer)
    portion = graded_portion(answer)
    if portion.cut:  # meaning is judged on the part that is graded; patterns and language on all of it
        return list(dict.fromkeys(injections.spans(portion.text) + InjectionDetector(None).spans(answer)))
    return injections.spans(answer)


def _what_it_is(result: GuardResult, text: str, substance: list[str], question_text: str, reference: str,
                short_answers: bool) -> str | None:  # fmt: skip
    """The one flag, if any, saying the answer is not English, noise, too short, or terms without an explanation."""
    tokens = words(text)
    language_tokens = [t for t in tokens if len(t) > 1 and not t.isdigit()]
    known = content_stems(question_text + " " + reference)
    if other_script_share(result.cleaned) > 0.3 or (len(language_tokens) >= 4 and foreign_ratio(text) >= 0.5):
        return "non_english"
    if {"dont_know", "asks_for_answer"} & set(result.flags):
        return None
    if _repeated_unit(result.cleaned):
        return "garbled"
    if short_answers:  # quiz-style items: a short list of terms can be a complete answer, noise cannot
        return "garbled" if rare_ratio(text, known=known, written=reference) >= 0.75 else None
    if len(substance) < MIN_WORDS:
        return "too_short"
    if _is_keyword_salad(tokens) or _mostly_a_term_list(result.cleaned, question_text):
        return "keyword_salad"
    if len(tokens) >= 3 and rare_ratio(text, known=known) >= 0.4:
        return "garbled"
    return None


_SEGMENT = re.compile(r"[^.;:!?()\[\]\n]+")
_ITEM_SPLIT = re.compile(r",\s*|\s+(?:and|or)\s+")
TERM_LIST_ITEMS = 8  # comma-separated items of at most TERM_WORDS words each: a list of terms
TERM_WORDS = 4
EXPLAINED_WORDS = 12  # content words outside the lists that make the answer more than its lists


def _mostly_a_term_list(answer: str, question_text: str) -> bool:
    """A list of terms with little said around it ("you retrain it sometimes. Points covered: drift, PSI, KS
    test, ..."), or a run of terms with no words between them: terms named, not explained, whoever they are for."""
    lists: list[str] = []
    rest: list[str] = []
    for segment in _SEGMENT.findall(answer):
        items = [i for i in _ITEM_SPLIT.split(segment.strip()) if i.strip()]
        short = sum(len(i.split()) <= TERM_WORDS for i in items)
        listed = len(items) >= TERM_LIST_ITEMS and short >= 0.8 * len(items)
        dumped = len(words(segment)) >= TERM_LIST_ITEMS and _is_keyword_salad(words(normalise(segment)))
        (lists if listed or dumped else rest).append(segment)
    return bool(lists) and len(_substance(normalise(" ".join(rest)), question_text)) < EXPLAINED_WORDS


def _repeated_unit(answer: str) -> bool:
    """ "AA-0-AA-0-...", a stuck key or a pasted loop: the whole answer is one unit typed four times or more."""
    text = "".join(answer.split()).lower()[:20_000]
    if len(text) < 20:
        return False
    border = [0] * len(text)  # longest proper prefix that is also a suffix, for each prefix (KMP)
    for i in range(1, len(text)):
        k = border[i - 1]
        while k and text[i] != text[k]:
            k = border[k - 1]
        border[i] = k + (text[i] == text[k])
    period = len(text) - border[-1]
    return period * 4 <= len(text)


def _undecodable(answer: str) -> bool:
    """Bytes that were never text: replacement characters from failed decoding, or mostly non-letter symbols
    outside ASCII. Formulas and code ("a[i] = *(a+i)", "λ‖w‖²") stay text."""
    chars = [ch for ch in answer if not ch.isspace()]
    replaced = answer.count("\ufffd")
    if replaced >= 2 and replaced >= 0.05 * len(chars):
        return True
    if replaced and len(letter_words(answer)) < 5:  # a failed decode and hardly a word
        return True
    symbols = sum(not ch.isascii() and not ch.isalnum() for ch in chars)
    return len(chars) >= 8 and symbols > 0.5 * len(chars)


def _substance(text: str, question_text: str) -> list[str]:
    """Content words of the answer that are not the question's own words or a don't-know phrase."""
    text = DONT_KNOW.sub(" ", ASKS_FOR_ANSWER.sub(" ", text))
    question = content_stems(question_text)
    return [w for w in content_words(text) if w not in {"answer", "question", "honestly", "sorry", "sure"}
            and _stem_in(w, question) is False]  # fmt: skip


def _stem_in(word: str, stems: set[str]) -> bool:
    from interviewer.grading.text import stem

    return stem(word) in stems


def _is_keyword_salad(tokens: list[str]) -> bool:
    """Terms without explanation: many content words and almost no function words to connect them."""
    if len(tokens) < 5:
        return False
    function_words = sum(t in STOPWORDS for t in tokens)
    return function_words / len(tokens) < 0.12
