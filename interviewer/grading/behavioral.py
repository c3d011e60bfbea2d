"""The behavioral rubric: a specific situation, own actions, a result, reflection, specificity."""

from __future__ import annotations

import re

import numpy as np

from interviewer.bank import KeyPoint
from interviewer.embeddings import LocalEmbedder
from interviewer.grading.cleaning import normalise
from interviewer.grading.text import clauses, content_words

# Generic signals of each criterion in a spoken story; the bank adds question-specific hints.
_NUMBER = (
    r"(\d+(\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|half|double|triple)"
)
_SIGNALS = {
    "situation": r"\b(when i (was|had|joined|started)|at my (last|previous|current|first) (job|company|role|team|internship)|"
    r"(in|on|for) (my|a|one|our) (last |previous |recent |first )?(project|job|role|internship|team|thesis|course|"
    r"company|startup)|last (year|month|quarter|summer|spring|fall|winter)|we (had|were|needed|wanted)|"
    r"i was (working|asked|tasked)|i worked (on|at)|there was a time|our (team|company|client|product)|"
    r"i joined|a few (months|years) ago)\b",
    "actions": r"\b(i (also )?(decided|built|wrote|designed|added|changed|ran|set up|implemented|trained|tested|"
    r"proposed|introduced|used|rewrote|switched|started|read|follow|went|tried|spent|led|took the lead|talked|"
    r"asked|created|fixed|investigated|debugged|profiled|measured|checked|audited|replaced|moved|pushed|applied|"
    r"raised|fine-tuned|distilled|broke down|coded|reviewed|organized|organised|worked with|convinced|"
    r"collected|labeled|labelled|deployed|automated)|my (approach|role|job|part) was)\b",
    "result": rf"(\b{_NUMBER}\s*(%|percent|x\b|times|points?|ms|milliseconds|seconds|minutes|hours|days|weeks|"
    r"auc|f1)|\b(as a result|in the end|which (cut|reduced|improved|raised|increased|saved|helped)|"
    r"(dropped|went (up|down)|shrank|grew|beat|improved|reduced|increased|cut|saved|doubled|halved|"
    r"sped up|caught|recovered)\b|from \d+|outcome|led to|ended up|got within|shipped|launched))",
    "reflection": r"\b(i (also |really |quickly )?(learned|learnt|realized|realised)|learned that|lessons?|"
    r"next time|in hindsight|looking back|i would (now|do)|i('d| would) do differently|taught me|"
    r"now i (always|make sure|check)|since then|the takeaway|took away|what i (took|learned|learnt)|"
    r"changed how i|i('d| would) (change|start))\b",
    "specificity": r"(\d|\b(pytorch|tensorflow|jax|scikit|sklearn|xgboost|lightgbm|hugging ?face|spark|airflow|"
    r"mlflow|kubernetes|docker|sagemaker|vertex|bert|distilbert|gpt|llama|resnet|transformers?|lstm|shap|pandas|"
    r"numpy|fast\.ai|coursera|kaggle|arxiv|andrew ng|karpathy|goodfellow|bishop|murphy|geron|alammar|gdpr|"
    r"ai act|roc|auc|f1|precision|recall|a/b test|drift|fairness|privacy|bias|consent|explainab\w*|"
    r"quantiz\w*|distill\w*|int8|onnx|latency|model card|proxy|labels?|baseline)\b)",
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


def _evidence(parts: list[str], hits: list[str | tuple[str, ...]], hint: str | None) -> str | None:
    needles = [hint] if hint else []
    needles += [h if isinstance(h, str) else h[0] for h in hits]
    for needle in needles:
        if needle:
            found = next((p for p in parts if needle.strip() in p), None)
            if found:
                return found
    return None
