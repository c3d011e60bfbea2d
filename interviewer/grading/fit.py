"""Fit the offline grader's calibration (maintainers only): `python -m interviewer.grading.fit`.

External references: fitted on a labelled short-answer set (e.g. ../shared/asag/mohler_dev.jsonl).
Bank questions: fitted on our own graded answers (evals/grader/answers.jsonl, adversarial cases excluded:
guards handle those). Both report leave-questions-out cross-validation before saving.

Tried for the bank model and left out (leave-questions-out CV on the answers, and the contrast dev set): adding
the contrast dev set's answers as training items (right 4.75, concise 4, wrong 0.5) lowered wrong answers from
3.0 to 1.7 but cost spoken answers by another author Spearman 0.897 -> 0.836 (its right answers read like text,
not speech); precision features and the truth features (truth.py) did the same; a power transform of the target
did not move the partial-answer bias. The stretch below is kept: strong answers -0.51 -> -0.33 below people.
Refitting on evals/grader/dev-d.jsonl too (2026-12-07: 490 spoken answers at five levels, for all 49 technical
questions, by a fifth author) did not help: on the held-out sets, raw model Spearman heldout 0.887 -> 0.880,
heldout-c 0.704 -> 0.703, core-ml 0.662 -> 0.671, and partial answers stayed 0.9-1.4 below people. With more
features (all of them, or the truth ones) or trees, leave-questions-out CV on both sets moved by 0.01-0.02, and
across the two authors by less: these features put on-topic wrong answers where partial ones are, and no line
through them lifts one without the other. So the fit stays on answers.jsonl. Fitted without the wrong answers
(2026-12-07, a coverage model leaving wrongness to truth.py), partial answers on dev-d came within 0.2 of people
but undetected wrong ones rose to 2.1-2.4 above. The external model refitted on the SemEval-2013 training splits
too (leave-questions-out): macro-F1 SciEntsBank 0.68 -> 0.68-0.70, Beetle 0.74 -> 0.75, and Mohler r fell 0.66
-> 0.61 (its 0/5 labels pull the line): the features, not the fit, are the limit there as well.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from interviewer.bank import load_bank
from interviewer.config import DEFAULT_BANK_DIR, DEFAULT_EVALS_DIR
from interviewer.embeddings import LocalEmbedder
from interviewer.grading.calibration import Calibration, ScoreModel, Trees
from interviewer.grading.features import FEATURE_NAMES, FeatureExtractor
from interviewer.grading.models import GradingTarget
from interviewer.grading.targets import target_for_question, target_for_reference
from interviewer.grading.truth import FEATURES as TRUTH_FEATURES

BANK_FEATURES = ("kp_coverage", "kp_best", "align_recall", "demoted_cosine", "overlap_recall", "clause_best")
# External references have no wrong versions: their model keeps the features it was fitted with.
EXTERNAL_FEATURES = tuple(name for name in FEATURE_NAMES if name not in TRUTH_FEATURES)


def _features(extractor: FeatureExtractor, target: GradingTarget, answer: str) -> dict[str, float]:
    analysis = extractor.analyse(answer, target.question_text, target.reference_answer, target.key_points,
                                 target.misconceptions, target.truths, target.wrong_versions)  # fmt: skip
    return analysis.features


def _fit(X: np.ndarray, y: np.ndarray, names: tuple[str, ...], alpha: float, trees: int, stretch: bool = False
         ) -> ScoreModel:  # fmt: skip
    """Ridge line (plus trees when asked). `stretch`: the line is scaled by var(y) / cov(y, fitted), the inverse
    regression, so that strong answers are not pulled toward the middle (a least-squares line under-scores the
    best and over-scores the worst answers by as much as it is unsure)."""
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import Ridge

    mean, scale = X.mean(0), X.std(0) + 1e-9
    ridge = Ridge(alpha).fit((X - mean) / scale, y)
    coef = ridge.coef_
    if stretch:
        fitted = ridge.predict((X - mean) / scale)
        coef = coef * float(np.var(y) / np.cov(y, fitted, bias=True)[0, 1])
    forest = None
    if trees:
        # Large leaves and a third of the features per split: chosen by leave-questions-out CV (r 0.651 -> 0.661).
        rf = RandomForestRegressor(trees, min_samples_leaf=40, max_features=0.33, random_state=0).fit(X, y)
        forest = Trees(
            feature=[t.tree_.feature for t in rf.estimators_],
            threshold=[t.tree_.threshold for t in rf.estimators_],
            left=[t.tree_.children_left for t in rf.estimators_],
            right=[t.tree_.children_right for t in rf.estimators_],
            value=[t.tree_.value[:, 0, 0] for t in rf.estimators_],
        )
    return ScoreModel(names, mean, scale, coef, float(ridge.intercept_), forest)


def _cross_validate(X: np.ndarray, y: np.ndarray, groups: np.ndarray, names: tuple[str, ...], alpha: float,
                    trees: int, folds: int = 8, stretch: bool = False) -> dict[str, float]:  # fmt: skip
    from scipy.stats import pearsonr, spearmanr

    unique = np.random.default_rng(0).permutation(sorted(set(groups)))
    pred = np.zeros_like(y)
    for fold in np.array_split(unique, folds):
        test = np.isin(groups, fold)
        model = _fit(X[~test], y[~test], names, alpha, trees, stretch)
        pred[test] = [model.predict(dict(zip(names, row, strict=True))) for row in X[test]]
    from interviewer.grading.models import round_half
    from interviewer.metrics import qwk

    halves = np.array([round_half(p) for p in pred])  # what the product reports
    return {
        "pearson_half_steps": round(float(pearsonr(halves, y)[0]), 3),
        "rmse_half_steps": round(float(np.sqrt(((halves - y) ** 2).mean())), 3),
        "qwk": round(qwk(list(y), list(halves)), 3),
        "pearson": round(float(pearsonr(pred, y)[0]), 3),
        "spearman": round(float(spearmanr(pred, y)[0]), 3),
        "rmse": round(float(np.sqrt(((pred - y) ** 2).mean())), 3),
        "n": int(len(y)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--external", type=Path, default=Path("../shared/asag/mohler_dev.jsonl"))
    parser.add_argument("--answers", type=Path, default=DEFAULT_EVALS_DIR / "grader" / "answers.jsonl")
    parser.add_argument("--bank-only", action="store_true", help="refit the bank model, keep the external one")
    parser.add_argument("--dry-run", action="store_true", help="report cross-validation, save nothing")
    args = parser.parse_args()
    extractor = FeatureExtractor(LocalEmbedder())
    saved = Calibration.load()

    if args.bank_only:
        external, external_cv = saved.external, saved.meta.get("external_cv")
    else:
        rows = [json.loads(line) for line in args.external.read_text().splitlines() if line.strip()]
        X = np.array([[f[n] for n in EXTERNAL_FEATURES] for f in (
            _features(extractor, target_for_reference(r["question"], r["reference_answer"]), r["student_answer"])
            for r in rows)])  # fmt: skip
        y = np.array([r["score"] * 5 / r.get("max_score", 5) for r in rows])
        groups = np.array([r.get("question_id", r["question"]) for r in rows])
        external_cv = _cross_validate(X, y, groups, EXTERNAL_FEATURES, 1.0, 60)
        print("external (leave questions out):", external_cv)
        external = _fit(X, y, EXTERNAL_FEATURES, 1.0, 60)

    bank = load_bank(sorted(DEFAULT_BANK_DIR.glob("*.yaml")))
    items = [json.loads(line) for line in args.answers.read_text().splitlines() if line.strip()]
    items = [i for i in items if i["kind"] != "adversarial" and bank.get(i["question_id"]).kind == "technical"]

    Xb = np.array([[f[n] for n in BANK_FEATURES] for f in (
        _features(extractor, target_for_question(bank, i["question_id"]), i["answer"]) for i in items)])  # fmt: skip
    yb = np.array([float(i["expected"]) for i in items])
    gb = np.array([i["question_id"] for i in items])
    bank_cv = _cross_validate(Xb, yb, gb, BANK_FEATURES, 3.0, 0, stretch=True)
    print("bank (leave questions out):", bank_cv)
    bank_model = _fit(Xb, yb, BANK_FEATURES, 3.0, 0, stretch=True)

    if not args.dry_run:
        meta = {"external_cv": external_cv, "bank_cv": bank_cv, "external_data": args.external.name,
                "bank_data": args.answers.name}  # fmt: skip
        Calibration(bank_model, external, meta).save()
        print("saved interviewer/grading/calibration.json")


if __name__ == "__main__":
    main()
