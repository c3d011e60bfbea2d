"""Text addressed to the grader instead of the interviewer: found by pattern, by language and by meaning.

Three detectors, each for what the others miss:
- patterns: the forms injections take in English and the main European languages (commands to ignore the
  rules, score demands, fake system or result markup, chat-template tokens);
- language: a passage in another language inside an English answer that talks about grades (or any
  full sentence in another script): the grader cannot read it, and a candidate has no reason to say it;
- meaning: every sentence (or word window of an unpunctuated transcript) is compared with short
  descriptions of injection intents and of honest look-alikes (`injection_intents.yaml`); a sentence
  much closer to an injection intent is one.
"""

from __future__ import annotations

import base64
import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import yaml

from interviewer.embeddings import Embedder
from interviewer.grading.language import is_english_word, language_of, letter_words, other_script_letters
from interviewer.grading.text import words

INTENTS_FILE = Path(__file__).with_name("injection_intents.yaml")
# Cosine of a sentence with its nearest injection intent: at or above STRONG it is one; at or above LIKELY it
# is one when no honest look-alike is as close (MARGIN). Chosen on the dev sets (evals/injection/phrasings.jsonl,
# dev*.jsonl, benign-dev*.jsonl) against every sentence of the reference answers, the grader's eval answers and
# the public data set (no false alarm there); `interviewer eval injection` / `injection-heldout` measure them.
STRONG = 0.72
LIKELY = 0.55
MARGIN = 0.1
# Below STRONG, a sentence must also point at the grading of this answer: LIKELY with any of these words,
# POSSIBLE with one that only a request to the grader uses (generic "you" and "score" are everywhere in ML talk).
POSSIBLE = 0.44
GRADING_CUE = re.compile(
    r"\b(score|scores|scored|scoring|grade|grades|graded|grading|rating|rate|points|stars?|evaluation|assessment|"
    r"instructions?|policy|rules?|rubric|system|admin|approved|verified|pass|fail|result|reference|record)\b",
    re.IGNORECASE,
)
REQUEST_CUE = re.compile(
    r"\b(grader|evaluator|examiner|assessor|marker|reviewer|assistant|whoever|panel|committee|"
    r"(this|my|the above|the following|every|each|such|these) (answer|response|reply|submission|explanation|"
    r"candidate|one|item)s?|(answer|response|reply) (above|below|here)|me|i (deserve|should get|earned|need|want)|"
    r"deserves?|please|kindly|marks?|credit|override|developer|deductions?|generous|lenient|exemplary|"
    r"flawless|perfect|excellent|outstanding|a\+|best possible|maximum|full|top)\b",
    re.IGNORECASE,
)
LONG_SENTENCE = 24  # words: longer sentences are judged clause by clause
LONG_CLAUSE = 40  # words: only a longer clause (an unpunctuated transcript) is cut into windows
WINDOW, STRIDE = 12, 6  # words per piece of a long unpunctuated clause
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?=(?:and so|so|but|because|which|whereas|while|although|however)\s)", re.IGNORECASE)

PATTERN = re.compile(
    r"(ignore|disregard|forget|override|bypass)\s+(all\s+|any\s+|the\s+|your\s+|my\s+|previous\s+|prior\s+|above\s+|earlier\s+)*"
    r"(instructions?|prompts?|rules?|rubric|guidelines?|directions?|context|everything|(scoring|grading|marking) "
    r"(guide|criteria|scheme|key))|\brate (this|it|me) (the |as )?(best|highest|top)\b|"
    r"\b(give|award|assign|grant|output|return|set|mark)\s+(me\s+|this(\s+answer)?\s+|it\s+)?(a\s+|an\s+|the\s+)?"
    r"(5|five|10|ten|100|full|perfect|maximum|max|highest|top)\b(\s*(/|out of)\s*\d+)?\s*(marks?|points?|scores?|grades?)?|"
    r"(\b|_)(score|grade|rating|mark)s?[\"']?\s*(=|:|is|should be|must be|of)\s*[\"']?(5|five|10|100)\b|"
    r"\b(system|assistant|developer)\s*(prompt|message)?\s*:|</?\s*(answer|system|instructions?|prompt)\s*>|"
    r"\b(as|you are) (the|an?) (grader|grading model|evaluator|assessor|ai|language model|llm)\b|"
    r"\b(notes?|notice|message|memo|reminder) (to|for) (the |any |whoever )?(grader|grading|evaluation|scoring|assessment|"
    r"evaluator|examiner|ai|model|assistant|marker|reviewer)\b|\bdebug mode\b|\bjailbreak\b|"
    r"\b(no longer|not|never) (scored|graded|marked|evaluated|assessed) (on|by) (the )?(content|answer|quality|merit)\b|"
    r"\b(hey|dear|hi|hello|attention|listen),? (ai|grader|model|system|assistant|chatgpt|gpt|bot|evaluator|robot)\b|"
    r"\b(counts?|count it|goes down|put it down|log it|record it|recorded|treated?) as (a |an )?(perfect|full|complete|"
    r"correct|excellent|flawless|top|model) (answer|response|score|marks?)\b|"
    r"\brecord (it as )?(a |an )?(5|five|10|ten|a\+)\b|"
    # a grader's verdict put in its mouth: "grader says excellent answer", "the system confirmed full marks"
    r"\b(grader|evaluator|examiner|system|assistant|scorer|the ai)\s+(says|said|noted|wrote|decided|confirmed|"
    r"approved|reports?)\b.{0,40}\b(excellent|perfect|five|5|full|top|pass(ed)?|correct|complete|outstanding)\b|"
    r"\b(the )?(grader|evaluator|examiner|grading model|marker) (must|should|will|has to|is required)\b|"
    r"\bignor(a|ez|er|ieren?|ar)\b.*\b(instrucciones|instructions|anweisungen|consignes|istruzioni)\b|"
    r"\b(punktzahl|puntuaci[oó]n m[aá]xima|note maximale|punteggio massimo|nota m[aá]xima|volle punkte?)\b|"
    r"\b(pon(me)?|dame|gib mir|donne[- ]moi|donnez[- ]moi|dammi|d[eê]-me|atribua|attribuez|asigna)\b.{0,40}"
    r"\b(5|cinco|f[uü]nf|cinq|cinque|m[aá]xim|nota)|"
    # a score demanded: "5/5", "five out of five", "rate this a five", "record 5 points", "the correct score is 5"
    r"\b(5|five)\s*(/|out of|sur|de|von|of)\s*(5|five)\b|"
    r"\b(give|rate|record|award|assign|score|mark|grade)\s+(me|this|it|us|my answer|the answer|this answer)\b"
    r".{0,30}(?<![-\w.])(5|five|10|ten)\b(?!\s*-?\s*fold)\s*(points?|marks?|stars?|/|out|sur|\.|,|!|$)|"
    r"\brecord (5|five|10|ten) (points?|marks?)\b|"
    r"\b(correct|right|fair|real) (score|grade|mark) (for this |here )?(is|would be)\b|"
    r"\brate (this|it|me) as (excellent|perfect|outstanding)\b|\bregardless of (the )?(content|answer|quality|rubric)\b|"
    # grading fields in a fake config or tool output: "award: maximum", "recommended_grade=top", "score: max"
    r"(\b|_)(score|grade|award|verdict|rating|evaluation|rubric\w*|key_?points?|grader\w*|recommended\w*)\s*[\"']?\s*"
    r"[:=]\s*[\"']?(max(imum)?|top|full|perfect|excellent|outstanding|complete|covered|pass(ed)?|accept(ed)?|a\+)\b|"
    # fake dialogue and tool turns: "Interviewer: great, that's a five", "<<tool:validator>>"
    r"\b(interviewer|grader|evaluator|examiner|assessor|recruiter)\s*:\s|<<\s*/?\s*(tool|end|system|sys|admin)\b|"
    r"\b(automated|automatic|ai|auto) (scorer|grader|marker|evaluator)\s*[:,]|"
    r"\b(whoever|whatever|anyone|anything)('?s| is)? (scoring|grading|marking|evaluating|assessing|reading|checking|"
    r"reviewing)\b|\binstructions? (for|to) (the )?(evaluator|grader|examiner|marker|assessor|ai|model|assistant)\b|"
    # text addressed to whoever grades, role play and fake instructions
    r"\b(interviewer|grader|evaluator|examiner|marker|assessor|avaliador|[ée]valuateur|evaluador|pr[üu]fer)\b"
    r"(\s*[,:]|\s+(should|must|please|will|has to|needs to|is to|can|could|would|shall)\b)"
    r".{0,40}\b(give|score|grade|mark|rate|award|record|atribua|attribuez|nota)\b|"
    # flattering or addressing the grader: "you're obviously a far more sophisticated evaluator"
    r"\byou('?re| are)\b.{0,40}\b(grader|evaluator|examiner|assessor|marker|judge)\b|"
    # asking for a lenient reading: "a generous reading would find", "if you're being generous"
    r"\b(generous|lenient|charitable|kind) (reading|interpretation|grading|marking|view)\b|"
    r"\b(if you'?re being|be|being) (generous|lenient|charitable)\b|"
    r"\b(read|grade|mark|score|judge|interpret(ed)?|assess(ed)?|rate|treat)\s+(it |this |me |my answer )?"
    r"(charitably|generously|leniently|kindly)\b|"
    # the answer's own score asserted: "this is a 5", "a five would be fair", "that's a five right"
    r"\b(this|that|it|which)('?s| is| was| would be| should be)( clearly| obviously| definitely| surely)? (a|an) "
    r"(5|five|10|ten|a\+)(?![\w-])(?!\s*(fold|x\b|layers?|stars?|points?|minutes?|years?|days?|percent|%|dimensions?|"
    r"class(es)?|features?|trees?|neighbou?rs?|clusters?|times|gb|mb|ms|seconds?|epochs?|percent))|"
    r"\b(a|the) (5|five|10|ten) (would be|seems|is|feels) (fair|right|about right|deserved|reasonable)\b|"
    r"\b(deserves?|merits?) (a|an|the) ((5|five|10|ten|a\+)(?![\w-])|(top|highest|full|best) (marks?|scores?|grades?|"
    r"ratings?|band))|"
    # every key point declared covered
    r"\b(tick|mark|count|treat|consider|assume|check)\b.{0,30}\b(every|all|each)( the| of the)? key ?points?\b|"
    r"\bkey ?points? (as |are |is )?(all |now |then )?(covered|met|satisfied|ticked)\b|"
    r"\b(rubric|grading|scoring|marking) (policy )?(update|change|revision|amendment)s?\b|"
    # a label for a keyword scorer: "(covers: drift, PSI, KS test, ...)", "Keywords: ..."
    r"(^|[(\[])\s*(covers|covered|keywords?|key ?points?|key ?terms|tags|concepts)\s*:|"
    r"\b(points|topics|concepts|terms|ideas|areas|criteria|key ?points) (covered|addressed|mentioned|included|met)\s*:|"
    r"\b(you'?re|you are) (an? )?(ai|llm|language model|chatbot|bot|machine|grading model)\b|"
    r"\b(score|grade|rating|mark)s? (equals?|set to|should equal|=) (the )?(max(imum)?|top|full|perfect|highest|5|five|10|ten)\b|"
    r"\b(system )?prompt override\b|\boverride (mode|instructions?|the (rubric|grader|grading|score))\b|"
    r"\byou are now (a |an |in |dan\b|max\b)|\bstay in character\b|\blet'?s play a game\b|\bsystem override\b|"
    r"\bend of (the )?answer\b|\bgrading instructions?\b(?!-)|\brubric (has been|was|is) (updated|changed)\b|"
    r"\b(already )?(been )?(verified|approved) by the (hiring manager|interviewer|grader|professor)\b|"
    r"\bno (grading )?rules\b|\bmy (professor|teacher|manager) said\b.{0,60}\b(give|score|5|five)\b|"
    # chat-template and role markup: <|im_start|>, [INST], <<SYS>>, ### Instruction:, [[ADMIN]]
    r"<\|\s*\w+\s*\|>|\[/?\s*inst\s*\]|<</?\s*sys\s*>>|#{2,}\s*(system|instruction|response|user|assistant)\b|"
    r"\[\[?\s*/?\s*(admin|system|root|developer|sudo|override)\b|\[\s*(tool|function)_?(result|call|output)|"
    r"<!--.{0,200}\b(score|grade|grader|mark|rating|credit|evaluat)|"
    r"(满分|评分|打分|得分)",
    re.IGNORECASE,
)

# Top marks talked about are not always asked for ("full marks on the practice exam"): these count only in a
# sentence that also asks, or points at this answer.
SUPERLATIVE = re.compile(
    r"\b(full|maximum|max|perfect|highest|top|best possible|highest possible)\s+(marks?|scores?|points?|grades?|"
    r"credit|ratings?|evaluation)\b",
    re.IGNORECASE,
)
ASKS = re.compile(
    r"\b(give|award|assign|grant|deserves?|want|need|expect|please|kindly|should|must|record|mark (this|it)|"
    r"(this|my) (answer|response|reply|one)|for this|me|i get|to be given|reply|respond|output|return|print)\b",
    re.IGNORECASE,
)

# Grading words in other languages (stems): a sentence in another language that uses one is about the grade.
GRADING_WORDS = re.compile(
    r"calificaci|puntuaci|\bnota\b|\bnotas?\b|puntos|m[aá]xim|perfect|merece|sobresaliente|evaluador|instrucc|"
    r"\bnote\b|notez|noter|\bpoints\b|maximal|parfait|m[ée]rite|correcteur|[ée]valuat|consigne|vingt|\bdix\b|"
    r"bestnote|punkt|bewert|perfekt|verdien|ausgezeichnet|pr[üu]fer|anweisung|ignorier|\bzehn\b|\bvolle\b|"
    r"pontu|pontos|perfeit|avaliad|instru[çc]|\bdez\b|"
    r"\bvoto\b|punteggio|\bpunti\b|massim|perfett|merita|eccellent|valutat|istruzion|\bdieci\b|lode|"
    r"cijfer|punten|verdient|uitstekend|beoordel|instructie|negeer|"
    r"ocen|punkt|maksymal|doskona|zas[łl]uguj|celuj|instrukc|ignoruj|"
    r"\bpuan|maksimum|m[üu]kemmel|hak ediyor|talimat|yoksay|"
    r"betyg|po[äa]ng|h[öo]gsta|karakter|"
    r"оцен|балл|максимальн|отличн|идеальн|игнорир|инструкц|"
    r"打分|评分|满分|最高分|高分|分数|完美|忽略|指令|満点|点数|評価|採点|完璧|無視|指示|"
    r"만점|점수|평가|최고|완벽|무시|지시|"
    r"درجة|علامة|تقييم|كاملة|ممتاز|تجاهل|تعليمات|"
    r"अंक|मूल्यांकन|उत्कृष्ट|अनदेखा|निर्देश|पूर्ण|"
    r"ציון|הערכה|מושלם|התעלם|הוראות|"
    r"βαθμ|αξιολογ|άριστ|μέγιστ|τέλει|οδηγί|αγνό|оцін|бал[иі]|"
    r"penilai|\bnilai|abaikan|rubrik|sempurna|\bđiểm|chấm|bỏ qua|hướng dẫn",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n。！？]+[.!?\n。！？]?")
FULL_FOREIGN_SENTENCE = 6  # words: a whole sentence in another language, not a borrowed phrase
FOREIGN_SCRIPT_LETTERS = 4  # a clause in Chinese, Russian, Arabic...; not one word like "谢谢"


@dataclass(frozen=True)
class Intents:
    injection: list[str]
    benign: list[str]

    @classmethod
    def load(cls, path: Path = INTENTS_FILE) -> Intents:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(injection=list(data["injection"]), benign=list(data["benign"]))


@dataclass(frozen=True)
class Suspicion:
    text: str
    reason: str  # "pattern", "encoded", "language" or "meaning"
    similarity: float = 0.0


class InjectionDetector:
    """Finds the passages of an answer that address the grader. One per embedder; safe across threads."""

    def __init__(self, embedder: Embedder | None, intents: Intents | None = None):
        self._embedder = embedder
        self._intents = intents  # read when meaning is first judged: patterns and language need none

    @property
    def _meaning_embedder(self) -> Embedder:
        if self._embedder is None:
            raise RuntimeError("judging meaning needs an embedder, and this detector has none")
        return self._embedder

    @cached_property
    def _intent_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        intents = self._intents or Intents.load()
        return self._meaning_embedder.embed(intents.injection), self._meaning_embedder.embed(intents.benign)

    def find(self, answer: str) -> list[Suspicion]:
        found: list[Suspicion] = []
        sentences = [s.strip() for s in _SENTENCE.findall(answer) if s.strip()]
        # What each sentence says in its own voice: quoted examples it mentions ("text like 'ignore previous
        # instructions'") are not said to the grader; code is not a language.
        own = {sentence: _without_quoted_examples(sentence) for sentence in sentences}
        languages = {sentence: "english" if _CODE.search(own[sentence]) else language_of(own[sentence])
                     for sentence in sentences}  # fmt: skip
        english = [s for s in sentences if languages[s] == "english"]
        for sentence in sentences:
            said = own[sentence]
            if _by_pattern(said) or _by_pattern(fold(said)):
                found.append(Suspicion(sentence, "pattern"))
            elif _hidden_message(said):
                found.append(Suspicion(sentence, "encoded"))
            elif _foreign_and_suspicious(said, languages[sentence], inside_english=len(english) > 0):
                found.append(Suspicion(sentence, "language"))
        # s.p.a.c.e.d letters cut an answer into one-letter "sentences": read them joined up
        if not found and _SPACED.search(answer) and _by_pattern(_SPACED.sub(_unspace, answer)):
            found.append(Suspicion(answer, "pattern"))
        if self._embedder is not None:
            seen = {s.text for s in found}
            found += [s for s in self._by_meaning([own[e] for e in english]) if s.text not in seen]
        return found

    def spans(self, answer: str) -> list[str]:
        return [s.text for s in self.find(answer)]

    def similarities(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each text, its cosine with the nearest injection intent and with the nearest honest one."""
        if not texts:
            return np.zeros(0), np.zeros(0)
        injection, benign = self._intent_vectors
        vectors = self._meaning_embedder.embed(texts)
        return (vectors @ injection.T).max(axis=1), (vectors @ benign.T).max(axis=1)

    def _by_meaning(self, sentences: list[str]) -> list[Suspicion]:
        # (what to strip from the answer, what to judge): a disguised sentence is judged undisguised, whole
        pieces = [(piece if folded == sentence else sentence, piece)
                  for sentence in sentences for folded in [fold(sentence)] for piece in _pieces(folded)]  # fmt: skip
        to_injection, to_benign = self.similarities([judged for _, judged in pieces])
        return [
            Suspicion(original, "meaning", float(inj))
            for (original, judged), inj, ben in zip(pieces, to_injection, to_benign, strict=True)
            if _addresses_grader(judged, float(inj), float(ben))
        ]


# Letters from other scripts that look Latin (Cyrillic and Greek), and digits and signs read as letters
# inside words ("1gn0re", "sc0re"): disguises that keep text readable to a person or an LLM.
_LOOK_ALIKES = str.maketrans("аеорсухіјѕԁкмнтвАЕОРСУХІЈЅКМНТВαεικνορτυχΑΕΙΚΝΟΡΤΥΧ",
                             "aeopcyxijsdkmhtbAEOPCYXIJSKMHTBaeikvoptuxAEIKNOPTYX")  # fmt: skip
_LEET = str.maketrans("0134579@$", "oieastgas")
_SPACED = re.compile(r"\b(?:[^\W\d_][ .\-_*]){3,}[^\W\d_]\b")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


def _unspace(match: re.Match[str]) -> str:
    return re.sub(r"[ .\-_*]", "", match.group())


def fold(sentence: str) -> str:
    """The sentence without common disguises: compatibility forms (full-width, ligatures), invisible
    characters, look-alike letters in Latin words, digits for letters inside words, s p a c e d letters."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", sentence))
    text = _SPACED.sub(_unspace, text)
    out = []
    for word in re.split(r"(\s+)", text):
        if re.search(r"[A-Za-z]", word):  # a Latin word: its look-alike letters and digits are disguises
            word = word.translate(_LOOK_ALIKES)
            if re.search(r"[A-Za-z][0134579@$]+[A-Za-z]", word):  # "sc0re", not "L2", "x86", "3x3" or "GPT4"
                word = word.translate(_LEET)
        out.append(word)
    return "".join(out)


_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
HIDDEN_WORDS = 4  # words turned back into English that make a hidden message, not a coincidence


def _hidden_message(sentence: str) -> bool:
    """English hidden from a reader: base64 that decodes to words, a sentence written backwards or in rot13. A candidate
    speaking to an interviewer has no reason to encode anything; what is encoded is meant for a machine."""
    for blob in _BASE64.findall(sentence):
        try:
            decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if _mostly_english(decoded, at_least=3):
            return True
    # words written backwards or in rot13: the ones that are not English read as English once turned back
    strange = [t for t in letter_words(sentence) if not is_english_word(t)]
    if len(strange) < HIDDEN_WORDS:
        return False
    return any(
        sum(is_english_word(turn(t)) for t in strange) >= 0.8 * len(strange)
        for turn in (lambda t: t[::-1], lambda t: codecs.encode(t, "rot13"))
    )


def _mostly_english(text: str, at_least: int, share: float = 0.7) -> bool:
    tokens = letter_words(text)
    return len(tokens) >= at_least and sum(is_english_word(t) for t in tokens) >= share * len(tokens)


# A quoted example introduced as one: "a review like 'This course deserves full marks'", "text such as "...""
_QUOTED_EXAMPLE = re.compile(
    r"\b(?:like|such as|e\.g\.,?|for example,?|for instance,?|containing|contains|saying|says|reads)\s*:?\s*"
    r"(?:'[^']{3,200}'|\"[^\"]{3,200}\"|“[^”]{3,200}”|‘[^’]{3,200}’)",
    re.IGNORECASE,
)
# Code: a call, a snake_case name or a comment mark (words in code are identifiers, not a language)
_CODE = re.compile(r"\b[A-Za-z_]\w*\([^()]*\)|\b[a-z]+_[a-z0-9_]+\b|(?:^|\s)#\s")


def _without_quoted_examples(sentence: str) -> str:
    return _QUOTED_EXAMPLE.sub(" (a quoted example) ", sentence)


def _by_pattern(sentence: str) -> bool:
    return bool(PATTERN.search(sentence) or (SUPERLATIVE.search(sentence) and ASKS.search(sentence)))


def _addresses_grader(piece: str, to_injection: float, to_benign: float) -> bool:
    if to_injection >= STRONG:
        return True
    if to_injection - to_benign < MARGIN:
        return False
    if REQUEST_CUE.search(piece):
        return to_injection >= POSSIBLE
    return to_injection >= LIKELY and GRADING_CUE.search(piece) is not None


_LABEL = re.compile(r"^\s*[^:.!?]{1,30}:\s+")


def _pieces(sentence: str) -> list[str]:
    """The sentence, or for a long one its clauses (merged up to a few words), or word windows of a long clause."""
    tokens = sentence.split()
    if len(tokens) < 3:
        return []
    if len(tokens) <= LONG_SENTENCE:
        # a label before a colon ("ASSISTANT OVERRIDE: ...", "note to the grader: ...") hides what follows it
        unlabelled = _LABEL.sub("", sentence, count=1)
        return [sentence] + ([unlabelled] if unlabelled != sentence and len(unlabelled.split()) >= 3 else [])
    pieces: list[str] = []
    for clause in _merge_short(_CLAUSE.split(sentence)):
        tokens = clause.split()
        if len(tokens) <= LONG_CLAUSE:
            pieces.append(clause)
        else:  # an unpunctuated transcript: overlapping windows
            pieces += [" ".join(tokens[i : i + WINDOW]) for i in range(0, len(tokens) - STRIDE, STRIDE)]
    return pieces


def _merge_short(clauses: list[str], at_least: int = 6) -> list[str]:
    merged: list[str] = []
    for clause in (c.strip() for c in clauses):
        if not clause:
            continue
        if merged and len(merged[-1].split()) < at_least:
            merged[-1] = f"{merged[-1]}, {clause}"
        else:
            merged.append(clause)
    if len(merged) > 1 and len(merged[-1].split()) < at_least:
        merged[-2:] = [f"{merged[-2]}, {merged[-1]}"]
    return merged


def _foreign_and_suspicious(sentence: str, language: str, inside_english: bool) -> bool:
    if language == "english":
        return False
    if GRADING_WORDS.search(sentence):
        return True
    if not inside_english:  # an answer all in another language: the non-English guard caps it
        return False
    # Inside an English answer, a score or a whole sentence in another language is not part of the answer.
    if language == "other_script":
        return other_script_letters(sentence) >= FOREIGN_SCRIPT_LETTERS
    return re.search(r"\d", sentence) is not None or len(words(sentence)) >= FULL_FOREIGN_SENTENCE
