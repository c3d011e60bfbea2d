"""Free-text question normalisation for matching: fillers out, acronyms spelled out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviewer import fillers
from interviewer.grading.cleaning import normalise

# Common acronyms in ML interviews; the bank adds its own "(SVM)"-style ones.
ACRONYMS = {
    "ml": "machine learning", "ai": "artificial intelligence", "rl": "reinforcement learning",
    "dl": "deep learning", "nn": "neural network", "nns": "neural networks", "cv": "computer vision",
    "nlp": "natural language processing", "llm": "large language model", "llms": "large language models",
    "prod": "production", "hparams": "hyperparameters", "dev set": "validation set",
}  # fmt: skip
_PAREN_ACRONYM = re.compile(r"([A-Za-z][\w -]+?)\s*\(([A-Z]{2,6})\)")


def acronyms_from(texts: Iterable[str]) -> dict[str, str]:
    """'support vector machine (SVM)' in a bank text teaches 'svm' -> 'support vector machine'."""
    found = {}
    for text in texts:
        for phrase, acronym in _PAREN_ACRONYM.findall(text):
            # Keep trailing words until they account for every letter ("k-nearest" counts as two).
            kept: list[str] = []
            letters = 0
            for word in reversed(phrase.split()):
                if letters >= len(acronym):
                    break
                kept.insert(0, word)
                letters += len(word.split("-"))
            found[acronym.lower()] = " ".join(kept).lower()
    return found


def normalise_query(text: str, acronyms: dict[str, str]) -> str:
    """Spell out acronyms (before fillers go: a lowercase 'hmm' is a filler, 'HMM' a model), then normalise."""
    for short, long in sorted(acronyms.items(), key=lambda kv: -len(kv[0])):
        also_filler = fillers.is_sound(short)  # 'HMM' the model, 'hmm' the sound: only the capitals are the model
        flags = 0 if also_filler else re.IGNORECASE
        pattern = re.escape(short.upper() if also_filler else short)
        text = re.sub(
            rf"\b{pattern}(s?)\b",
            lambda m, long=long: long + ("" if long.endswith("s") else m.group(1)),
            text,
            flags=flags,
        )
    return normalise(text)
