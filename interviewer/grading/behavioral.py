"""The behavioral rubric: a specific situation, own actions, a result, reflection, specificity."""

from __future__ import annotations

import re

import numpy as np

from interviewer.bank import KeyPoint
from interviewer.embeddings import LocalEmbedder
from interviewer.grading.text import clauses, content_words, normalise

# Generic signals of each criterion in a spoken story; the bank adds question-specific hints.
_SIGNALS = {
    "situation": r"\b(when i was|at my (last|previous|current) (job|company|role|team)|in (my|a|one|our) (last |previous |recent )?"
    r"(project|job|role|internship|team|thesis|course|company)|last (year|month|quarter)|we (had|were)|"
    r"i was working|i worked on|there was a time|once|our (team|company|client))\b",
    "actions": r"\b(i (decided|built|wrote|designed|added|changed|ran|set up|implemented|trained|tested|proposed|"
    r"introduced|used|rewrote|switched|started|read|follow|went|tried|spent|led|talked|asked|created|fixed|"
    r"investigated|debugged|profiled|measured|checked|audited|replaced|moved|pushed|applied|learned to)|"
    r"my (approach|role|job|part) was)\b",
    "result": r"(\d+(\.\d+)?\s*(%|percent|x\b|times|points|ms|hours|days|weeks)|\b(as a result|in the end|"
    r"which (cut|reduced|improved|raised|increased|saved|helped)|we (cut|reduced|improved|raised|increased|"
    r"saved|shipped|launched)|it (cut|reduced|improved|raised|increased|saved|worked)|went (up|down) from|"
    r"from \d+|outcome|led to|ended up)\b)",
    "reflection": r"\b(i learned|learned that|lesson|next time|in hindsight|looking back|i would (now|do)|"
    r"i('d| would) do differently|taught me|now i always|since then|i realized|i realised|the takeaway|"
    r"what i took away|that's why i|changed how i)\b",
    "specificity": r"(\d|\b(pytorch|tensorflow|jax|scikit|sklearn|xgboost|lightgbm|hugging ?face|spark|airflow|"
    r"mlflow|kubernetes|docker|sagemaker|vertex|bert|gpt|llama|resnet|transformer|lstm|shap|pandas|numpy|"
    r"fast\.ai|coursera|kaggle|arxiv|andrew ng|karpathy|goodfellow|bishop|murphy|gdpr|ai act|roc|auc|f1|"
    r"precision|recall|a/b test|drift|fairness|privacy|bias|consent|explainab\w*)\b)",
}
# Points per criterion from the signals above (0-1) and from meaning (clause vs criterion text).
_MEANING_RANGE = (0.25, 0.55)


def rubric_scores(answer: str, criteria: list[KeyPoint], embedder: LocalEmbedder) -> dict[str, tuple[float, str]]:
    """Each criterion's coverage (0-1) and the words of the answer that show it."""
    text = normalise(answer)
    parts = clauses(answer) or [text]
    vectors = embedder.embed(parts + [c.text for c in criteria])
    clause_vecs, criterion_vecs = vectors[: len(parts)], vectors[len(parts) :]
    out = {}
    for criterion, vec in zip(criteria, criterion_vecs, strict=True):
        pattern = _SIGNALS.get(criterion.id)
        hits = re.findall(pattern, text) if pattern else []
        hint_hit = next((h for h in criterion.hints if normalise(h) in text), None)
        sims = clause_vecs @ vec
        best = int(np.argmax(sims))
        meaning = min(1.0, max(0.0, (float(sims[best]) - _MEANING_RANGE[0]) / (_MEANING_RANGE[1] - _MEANING_RANGE[0])))
        signal = min(1.0, 0.5 * len(hits)) if criterion.id != "specificity" else min(1.0, len(hits) / 4)
        coverage = max(signal, 1.0 if hint_hit else 0.0, meaning * 0.8) if (hits or hint_hit) else meaning * 0.5
        evidence = _evidence(parts, hits, hint_hit) or parts[best]
        out[criterion.id] = (coverage, evidence)
    # A story needs substance: a few generic sentences cannot earn full marks on any criterion.
    length_factor = min(1.0, len(content_words(text)) / 45)
    return {k: (round(v * (0.4 + 0.6 * length_factor), 3), e) for k, (v, e) in out.items()}


def _evidence(parts: list[str], hits: list, hint: str | None) -> str | None:
    needles = [hint] if hint else []
    needles += [h if isinstance(h, str) else h[0] for h in hits]
    for needle in needles:
        if needle:
            found = next((p for p in parts if needle.strip() in p), None)
            if found:
                return found
    return None
