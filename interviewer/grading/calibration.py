"""Maps grading features to a 0-5 score: a ridge line plus small regression trees, stored as JSON.

The weights are fitted by `python -m interviewer.grading.fit` (see evals/README.md); only the fitted
numbers ship with the package, never the data they were fitted on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Trees:
    """A forest of regression trees as flat arrays (sklearn layout): predict = mean of leaf values."""

    feature: list[np.ndarray]
    threshold: list[np.ndarray]
    left: list[np.ndarray]
    right: list[np.ndarray]
    value: list[np.ndarray]

    def predict(self, x: np.ndarray) -> float:
        total = 0.0
        for feat, thr, left, right, value in zip(
            self.feature, self.threshold, self.left, self.right, self.value, strict=True
        ):
            node = 0
            while left[node] != -1:
                node = left[node] if x[feat[node]] <= thr[node] else right[node]
            total += value[node]
        return total / len(self.feature)

    def to_json(self) -> dict[str, list[list[float]]]:
        return {k: [a.tolist() for a in getattr(self, k)] for k in ("feature", "threshold", "left", "right", "value")}

    @classmethod
    def from_json(cls, data: dict[str, list[list[float]]]) -> Trees:
        return cls(**{k: [np.asarray(a) for a in v] for k, v in data.items()})


@dataclass(frozen=True)
class ScoreModel:
    """Standardise features, ridge line, optionally averaged with trees; clipped to 0-5."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    trees: Trees | None = None

    def predict(self, values: dict[str, float]) -> float:
        x = np.array([values[name] for name in self.features], dtype=np.float64)
        linear = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        score = (linear + self.trees.predict(x)) / 2 if self.trees else linear
        return float(min(5.0, max(0.0, score)))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "features": list(self.features),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
        }
        if self.trees:
            out["trees"] = self.trees.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScoreModel:
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"]),
            scale=np.asarray(data["scale"]),
            coef=np.asarray(data["coef"]),
            intercept=float(data["intercept"]),
            trees=Trees.from_json(data["trees"]) if "trees" in data else None,
        )


@dataclass(frozen=True)
class Calibration:
    """One score model for bank questions (authored key points), one for external references."""

    bank: ScoreModel
    external: ScoreModel
    meta: dict[str, Any]  # how the models were fitted (cross-validation figures, data set names): JSON

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> Calibration:
        data = json.loads(path.read_text())
        return cls(ScoreModel.from_json(data["bank"]), ScoreModel.from_json(data["external"]), data.get("meta", {}))

    def save(self, path: Path = CALIBRATION_FILE) -> None:
        data = {"meta": self.meta, "bank": self.bank.to_json(), "external": self.external.to_json()}
        path.write_text(json.dumps(data, separators=(",", ":")))
