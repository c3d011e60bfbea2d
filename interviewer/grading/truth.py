"""Whether what an answer says is true: each statement weighed against what is true and what is wrong about the question.

Sentence meaning (MiniLM) tells what a statement is about, hardly whether it is true: "bias is how much the
predictions change when you retrain" sits as close to the bias question's reference as a correct definition does.
Two comparisons that cancel the topic out carry the evidence:
- Wrong versions: the bank lists, per key point, the swapped, reversed or negated statements confused candidates
  say (`contrasts`), and per question its misconceptions. A statement nearer to a wrong version than to anything
  true the question holds (its key points, hints and reference sentences, and the key points of related
  questions) leans wrong.
- Swaps: the statement is read again with confusable terms exchanged (bias <-> variance, training <-> test,
  increases <-> decreases ...). When the exchanged reading is much nearer to the truth and further from the wrong
  versions than what was said, the candidate said it the wrong way round. The two readings differ only in
  those words, so the topic cancels out of the comparison.
- Words of the other term: sentence vectors hardly tell "l1" from "l2", so a statement that names one of a pair of
  concepts (L1/L2, bias/variance, bagging/boosting ...) is also compared, word for word, with the truths that
  name only one of them: when its other words are those of the other term's truths ("L2 ... drives weights to
  exactly zero"), it says the other term's fact.
What the feedback says is right instead ("In fact: ...") is one of the bank's own statements, said whole: the key
point an authored wrong version belongs to, a misconception's correction, the key point the exchanged reading
states ("that describes variance"), or the key point of the other term whose words were used.
A statement far past either bar is reported as a contradicted key point (the strongest sign of each is also
kept among the grading features; as score features they did not help: see grading/fit.py). A statement that
calls what it says a myth or a mistake, or negates the wrong version ("high bias does not mean overfitting"),
rejects it and is never heard as a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np

from interviewer.bank import KeyPoint
from interviewer.embeddings import Embedder
from interviewer.grading.models import TrueStatement, WrongVersion
from interviewer.grading.text import content_stems, statements

# Terms candidates confuse with each other, and the words that reverse a direction: a statement is also read with
# each pair exchanged. Plain words only (lowercase, as normalised answers are).
CONFUSABLE = (
    ("bias", "variance"), ("overfitting", "underfitting"), ("overfit", "underfit"), ("overfits", "underfits"),
    ("precision", "recall"), ("l1", "l2"), ("lasso", "ridge"), ("feature", "label"), ("features", "labels"),
    ("input", "output"), ("inputs", "outputs"), ("supervised", "unsupervised"), ("labelled", "unlabelled"),
    ("labeled", "unlabeled"), ("classification", "regression"), ("linear", "logistic"), ("training", "test"),
    ("train", "test"), ("validation", "test"), ("training", "validation"), ("lazy", "eager"), ("svm", "knn"),
    ("generative", "discriminative"), ("bagging", "boosting"), ("parallel", "sequential"),
    ("independently", "sequentially"), ("increases", "decreases"), ("increase", "decrease"), ("raises", "lowers"),
    ("reduces", "increases"), ("reduce", "increase"), ("higher", "lower"), ("larger", "smaller"),
    ("simpler", "more complex"), ("parameters", "hyperparameters"), ("exploration", "exploitation"),
    ("on-policy", "off-policy"), ("model-based", "model-free"), ("cnn", "rnn"), ("cnns", "rnns"),
    ("bert", "gpt"), ("encoder", "decoder"), ("data drift", "concept drift"), ("false positives", "false negatives"),
    ("maximise", "minimise"), ("maximize", "minimize"), ("maximises", "minimises"), ("maximizes", "minimizes"),
    ("past", "future"), ("wider", "narrower"), ("deeper", "shallower"), ("q-learning", "sarsa"),
)  # fmt: skip
_CONFUSABLE = tuple((a, b, re.compile(rf"(?<![\w-])({re.escape(a)}|{re.escape(b)})(?![\w-])")) for a, b in CONFUSABLE)

# Reported as a contradicted key point only past what correct answers reach: chosen on the dev sets (contrast
# dev-b and the grader's answers) so that at most 1 of their 210 correct answers has one; 25 of 105 wrong do.
# Tried and not kept (2026-12-07): also requiring the exchanged reading to say a truth nearly (cosine 0.65) took two
# false alarms off right answers of the dev sets; on the held-out sets it took one off and lost two caught wrong
# answers.
SWAP_REPORTED = 0.21
WRONG_REPORTED = 0.22  # how much nearer a wrong version than the nearest truth
LONGEST_CLAIM = 24  # words: a longer statement is a run-on of several claims, read in overlapping windows
NEGATION_SCOPE = 3  # words after "not" that it negates: "does not mean overfitting"
# A statement about one term of a pair whose other words are said, this much more fully, by the truths about the
# other term ("L2 ... drives weights to exactly zero": the L1 truths say "exactly zero", the L2 ones do not) says
# the other term's fact: sentence vectors hardly tell "l1" from "l2", words do.
# Only for pairs of named concepts with facts of their own: data splits are named together ("validation or test
# error"), and a reversed direction keeps the same words on both sides. Chosen on the dev sets (contrast dev-b and
# the grader's answers): 0 of their 215 right answers, 9 of 105 wrong ones (with every pair: 15 and 20).
SWAP_WORDS = 0.3
MIN_SWAP_WORDS = 3  # content words besides the term: fewer cannot tell which term's facts they are
NAMED_CONCEPTS = frozenset({
    ("bias", "variance"), ("overfitting", "underfitting"), ("overfit", "underfit"), ("overfits", "underfits"),
    ("precision", "recall"), ("l1", "l2"), ("lasso", "ridge"), ("supervised", "unsupervised"),
    ("classification", "regression"), ("linear", "logistic"), ("lazy", "eager"), ("svm", "knn"),
    ("generative", "discriminative"), ("bagging", "boosting"), ("on-policy", "off-policy"),
    ("model-based", "model-free"), ("cnn", "rnn"), ("cnns", "rnns"), ("bert", "gpt"), ("encoder", "decoder"),
    ("data drift", "concept drift"), ("false positives", "false negatives"), ("q-learning", "sarsa"),
    ("exploration", "exploitation"),
})  # fmt: skip
FEATURES = ("wrong_margin", "swap_gain")

# Words that call what they are near a false belief: a statement holding them is rejecting it, not asserting it.
CALLED_FALSE_WORDS = r"myth|misconception|mistake|people (think|say|believe)|common trap"
CALLED_FALSE = re.compile(rf"\b({CALLED_FALSE_WORDS}|wrong|not true|false)\b")
_NEGATION = re.compile(r"not|no|never|none|nor|neither|without|cannot")
# Phrases that set what follows against what is said ("an s shape instead of a straight line"): read as "not".
_SET_AGAINST = re.compile(r"\b(?:instead of|rather than|as opposed to|unlike)\b")


@dataclass(frozen=True)
class Contradiction:
    point: KeyPoint  # the key point not credited
    evidence: str  # the statement of the answer that says it wrongly
    correction: str  # what is true instead: the point itself, or the truth the statement gets the wrong way round


@dataclass(frozen=True)
class TruthEvidence:
    features: dict[str, float]  # FEATURES: the strongest sign, over the answer's statements, of each comparison
    contradictions: list[Contradiction]


class TruthJudge:
    """Weighs each statement of an answer against the question's true statements and its wrong versions."""

    def __init__(self, embedder: Embedder):
        self._embedder = embedder

    @lru_cache(maxsize=512)  # noqa: B019 - a question's statements repeat for every answer to it; lives with the app
    def _question_vectors(self, texts: tuple[str, ...]) -> np.ndarray:
        return self._embedder.embed(list(texts))

    def judge(self, answer_norm: str, question: str, key_points: list[KeyPoint], true_statements: list[TrueStatement],
              wrong_versions: list[WrongVersion]) -> TruthEvidence:  # fmt: skip
        said = _claims(answer_norm)
        truths, wrong = [t.text for t in true_statements], [w.said for w in wrong_versions]
        if not said or not truths or not wrong:
            return TruthEvidence(dict.fromkeys(FEATURES, 0.0), [])
        pairs = _relevant_pairs(tuple(truths + wrong))
        signs = self._signs(said, truths, wrong, pairs)
        found: dict[str, Contradiction] = {}
        facts = tuple(t.text for t in true_statements if t.key_point)
        told: set[int] = set()  # statements already reported: one wrong statement is one contradiction
        for n, other, pattern, piece in _said_of_the_other_term(said, tuple(truths), pairs):
            if not signs.rejected[n]:
                point = _point_about(key_points, other, piece)
                correction = _fact_about(facts, other, pattern, piece) or point.text
                found.setdefault(point.id, Contradiction(point, piece, correction))
                told.add(n)
        point_vecs = self._question_vectors(tuple(p.text for p in key_points))
        whole = np.where([t.key_point for t in true_statements], 0.0, -2.0)  # a correction is a key point, said whole
        nearest_wrong = [wrong_versions[k] for k in signs.nearest_wrong]
        for n in map(int, np.argsort(-np.maximum(signs.gains, signs.margins))):
            if n in told:
                continue
            nearest_point = key_points[int((point_vecs @ signs.said_vecs[n]).argmax())]  # what it tried to say
            if signs.gains[n] >= SWAP_REPORTED:  # what is true is the truth the exchanged reading states
                point, correction = nearest_point, truths[int((signs.truth_vecs @ signs.readings[n] + whole).argmax())]
            elif signs.margins[n] >= WRONG_REPORTED and _says_its_words(said[n], nearest_wrong[n], question):
                version = nearest_wrong[n]  # the wrong version it says knows what is right instead
                point = next((p for p in key_points if p.text == version.right), nearest_point)
                correction = version.right
            else:  # the two bars differ: a later statement may still pass the other one
                continue
            found.setdefault(point.id, Contradiction(point, said[n], correction))
            told.add(n)
        features = {"wrong_margin": float(signs.margins.max()), "swap_gain": float(max(0.0, signs.gains.max()))}
        return TruthEvidence(features, list(found.values()))

    def _signs(self, said: list[str], truths: list[str], wrong: list[str],
               pairs: tuple[tuple[str, str, re.Pattern[str]], ...]) -> _Signs:  # fmt: skip
        """Per statement: how much nearer a wrong version than the truth, and how much truer read with a pair
        exchanged."""
        readings = [(n, v) for n, s in enumerate(said) for v in _exchanged(s, pairs)]
        vectors = self._embedder.embed(said + [v for _, v in readings])
        said_vecs, read_vecs = vectors[: len(said)], vectors[len(said) :]
        truth_vecs, wrong_vecs = self._question_vectors(tuple(truths)), self._question_vectors(tuple(wrong))
        true_sim, wrong_sim = (said_vecs @ truth_vecs.T).max(1), said_vecs @ wrong_vecs.T
        nearest_wrong = [int(n) for n in wrong_sim.argmax(1)]
        rejected = [_rejects(s, wrong[nearest_wrong[n]]) for n, s in enumerate(said)]
        margins = np.where(rejected, -1.0, wrong_sim.max(1) - true_sim)
        gains = np.full(len(said), -1.0)
        gain_reading: dict[int, np.ndarray] = {}
        if readings:
            read_true, read_wrong = (read_vecs @ truth_vecs.T).max(1), (read_vecs @ wrong_vecs.T).max(1)
            for k, (n, _) in enumerate(readings):
                gain = (read_true[k] - true_sim[n]) + (wrong_sim[n].max() - read_wrong[k])
                if not rejected[n] and gain > gains[n]:
                    gains[n], gain_reading[n] = gain, read_vecs[k]
        return _Signs(said_vecs, truth_vecs, margins, gains, gain_reading, nearest_wrong, rejected)


@dataclass(frozen=True)
class _Signs:
    said_vecs: np.ndarray
    truth_vecs: np.ndarray
    margins: np.ndarray  # how much nearer the nearest wrong version than the nearest truth (-1: rejected)
    gains: np.ndarray  # how much truer, and less wrong, the best exchanged reading is (-1: none)
    readings: dict[int, np.ndarray]  # that reading's vector, per statement that has one
    nearest_wrong: list[int]  # index of the nearest wrong version
    rejected: list[bool]  # the statement calls the idea false, or negates the wrong version


def _said_of_the_other_term(
    said: list[str], truths: tuple[str, ...], pairs: tuple[tuple[str, str, re.Pattern[str]], ...]
) -> list[tuple[int, str, re.Pattern[str], str]]:
    """(statement index, the term whose facts it tells, the pair's pattern, the words that tell them), for each
    part of a statement that names one term of a confusable pair and says, in its other words, what the truths say
    about the other term (SWAP_WORDS more of them); the strongest per part."""
    found: dict[tuple[int, str], tuple[float, str, re.Pattern[str]]] = {}
    for a, b, pattern in (p for p in pairs if p[:2] in NAMED_CONCEPTS):
        sides = _truths_about(truths, a, b, pattern)
        for n, statement in enumerate(said):
            for piece in _one_term_pieces(statement, pattern):
                named = _named(pattern, piece)
                own, other = (a, b) if a in named else (b, a)
                rest = _polar_stems(piece) - content_stems(f"{a} {b}")
                if len(rest) < MIN_SWAP_WORDS:
                    continue
                lead = _share(rest, sides[other]) - _share(rest, sides[own])
                if lead >= SWAP_WORDS and lead > found.get((n, piece), (0.0,))[0]:
                    found[(n, piece)] = (lead, other, pattern)
    return [(n, other, pattern, piece) for (n, piece), (_, other, pattern) in found.items()]


SUBJECT_WORDS = 2  # a half is about its term when the term is among its first words ("the svm", "knn learns")
_CONTRAST_JOIN = re.compile(r",?\s+\b(?:and|while|whereas|but)\b\s+|;\s*")


def _one_term_pieces(statement: str, pattern: re.Pattern[str]) -> list[str]:
    """The parts of a statement that each name one term of the pair: the statement itself, or, when it names
    both ("the SVM is lazy and KNN learns a boundary"), its halves around the joining word."""
    terms = partial(_named, pattern)
    if len(terms(statement)) == 1:
        return [statement]
    if len(terms(statement)) != 2:
        return []
    # Halves count when each is about its own term, named first ("the svm is lazy and knn learns a boundary"),
    # not list items ("roc-auc for classification or mae and rmse for regression", "like bert and gpt").
    halves = [piece for piece in _CONTRAST_JOIN.split(statement)
              if len(terms(piece)) == 1 and terms(" ".join(piece.split()[:SUBJECT_WORDS]))]  # fmt: skip
    return halves if len(set().union(*map(terms, halves))) == 2 else []


def _named(pattern: re.Pattern[str], text: str) -> set[str]:
    """The terms of a confusable pair (its pattern's group 1) that a lowercase text names."""
    return {m.group(1) for m in pattern.finditer(text)}


@lru_cache(maxsize=4096)
def _truths_about(truths: tuple[str, ...], a: str, b: str, pattern: re.Pattern[str]) -> dict[str, list[set[str]]]:
    """Per term of the pair, the content words of each truth that names that term and not the other, negated ones
    marked ("finds structure in data without labels" says "not labels" of unsupervised learning)."""
    sides: dict[str, list[set[str]]] = {a: [], b: []}
    for truth in truths:
        named = _named(pattern, truth.lower())
        if len(named) == 1:
            sides[named.pop()].append(_polar_stems(truth.lower()) - content_stems(f"{a} {b}"))
    return sides


def _share(words: set[str], truths: list[set[str]]) -> float:
    """The largest share of `words` that one of the truths says."""
    return max((len(words & t) / len(words) for t in truths), default=0.0)


def _fact_about(facts: tuple[str, ...], term: str, pattern: re.Pattern[str], statement: str) -> str | None:
    """What is true of the term whose fact a statement told: the key point (of the question or a related one) that
    names that term alone and shares most words with the statement ("variance is how much the model changes when
    trained on a different sample", for "bias is how much the predictions change when you retrain")."""
    words = content_stems(statement)
    about = [f for f in facts if _named(pattern, f.lower()) == {term}]
    best = max(about, key=lambda f: len(words & content_stems(f)), default=None)
    return best if best and words & content_stems(best) - content_stems(term) else None


def _point_about(key_points: list[KeyPoint], term: str, statement: str) -> KeyPoint:
    """The key point a swapped statement gets wrong: the one naming the term it meant that shares most words."""
    words = content_stems(statement)
    named = [p for p in key_points if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", p.text.lower())]
    return max(named or key_points, key=lambda p: len(words & content_stems(" ".join([p.text, *p.hints]))))


@lru_cache(maxsize=512)
def _relevant_pairs(statements_of_question: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """The confusable pairs a question's own statements use both terms of: exchanging "training" and "test" says
    nothing about an answer on convolutions (and costs an embedding per statement)."""
    text = " ".join(statements_of_question).lower()
    return tuple(p for p in _CONFUSABLE if all(re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", text) for t in p[:2]))


def _exchanged(statement: str, pairs: tuple[tuple[str, str, re.Pattern[str]], ...]) -> list[str]:
    """The statement with each confusable pair it holds exchanged, one pair at a time."""
    out = []
    for a, b, pattern in pairs:
        if pattern.search(statement):
            out.append(pattern.sub(_exchange(a, b), statement))
    return out


def _exchange(a: str, b: str) -> Callable[[re.Match[str]], str]:
    """A replacement for a match of the pair's pattern (the term in group 1): the other term of the pair."""
    return lambda m: b if m.group(1) == a else a


def _says_its_words(statement: str, version: WrongVersion, question: str) -> bool:
    """Whether a statement says a word of the wrong version that neither the truth it gets wrong nor the question
    holds ("earlier" for "the test set should come from an earlier period", not "later"). Near in meaning alone, a
    vague statement ("there are several types of machine learning") can sit nearer a wrong version than any truth.
    When the truth holds all its words (the same words reordered, or a correction that repeats what it corrects),
    a word of it beyond the question's will do."""
    beyond_question = content_stems(version.said) - content_stems(question)
    its_own = beyond_question - content_stems(version.right) or beyond_question
    return not its_own or bool(its_own & content_stems(statement))


def _rejects(statement: str, wrong_version: str) -> bool:
    """The statement calls the idea false, or negates words of the wrong version that it does not negate itself
    ("high bias does not mean overfitting", "labelled data, not unlabelled data")."""
    if CALLED_FALSE.search(statement):
        return True
    wrong = wrong_version.lower()
    return bool((_negated(statement) & content_stems(wrong)) - _negated(wrong))


def _polar_stems(text: str) -> set[str]:
    """Content stems, those under a negation marked "not ...": "knn doesn't learn a boundary" does not say what
    "the svm learns a boundary" says."""
    negated = _negated(text)
    return {f"not {w}" if w in negated else w for w in content_stems(text)}


def _negated(text: str) -> set[str]:
    """Stems of the content words within NEGATION_SCOPE words after a negation."""
    tokens = _SET_AGAINST.sub(" not ", text.replace("n't", " not")).split()
    found: set[str] = set()
    for n, token in enumerate(tokens):
        if _NEGATION.fullmatch(re.sub(r"\W", "", token)):
            found |= content_stems(" ".join(tokens[n + 1 : n + 1 + NEGATION_SCOPE]))
    return found


def _claims(answer_norm: str) -> list[str]:
    """The answer's statements; an unpunctuated run (speech often has none) is read in overlapping windows."""
    out = []
    for statement in statements(answer_norm):
        tokens = statement.split()
        if len(tokens) <= LONGEST_CLAIM:
            out.append(statement)
            continue
        step = LONGEST_CLAIM // 2
        out += [" ".join(tokens[i : i + LONGEST_CLAIM]) for i in range(0, len(tokens) - step, step)]
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a reference answer (of three words or more): each a true statement about the question."""
    return [s for s in re.split(r"(?<=[.!?;])\s+", text.strip()) if len(s.split()) >= 3]
