"""Agreement between the grader and human labels: correlations, kappa, MAE, per-kind means."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Numbers = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Disagreement:
    """One row where grader and human differ most."""

    id: str
    kind: str
    human: float
    grade: float


@dataclass(frozen=True)
class EvalReport:
    """Agreement figures over a labelled set."""

    count: int
    spearman: float
    pearson: float
    qwk: float
    mae: float
    rmse: float
    kind_means: dict[str, tuple[int, float, float]]
    worst: tuple[Disagreement, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "count": self.count,
            "spearman": round(self.spearman, 4),
            "pearson": round(self.pearson, 4),
            "qwk": round(self.qwk, 4),
            "mae": round(self.mae, 4),
            "rmse": round(self.rmse, 4),
            "kinds": {
                kind: {"count": n, "human_mean": round(h, 3), "grade_mean": round(g, 3)}
                for kind, (n, h, g) in self.kind_means.items()
            },
            "worst": [d.__dict__ for d in self.worst],
        }


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks with ties averaged (as Spearman needs)."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or sorted_values[end] != sorted_values[start]:
            ranks[order[start:end]] = (start + end - 1) / 2.0
            start = end
    return ranks


def pearson(a: Numbers, b: Numbers) -> float:
    """Pearson r; 0.0 when either side is constant."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return 0.0
    return float(np.corrcoef(x, y)[0, 1])


def spearman(a: Numbers, b: Numbers) -> float:
    """Spearman rho: Pearson on tie-averaged ranks."""
    return pearson(_ranks(np.asarray(a, dtype=float)), _ranks(np.asarray(b, dtype=float)))


def quadratic_weighted_kappa(a: Numbers, b: Numbers, levels: int = 6) -> float:
    """Cohen's kappa with quadratic weights on grades rounded to 0..levels-1."""
    x = np.clip(np.rint(np.asarray(a, dtype=float)), 0, levels - 1).astype(int)
    y = np.clip(np.rint(np.asarray(b, dtype=float)), 0, levels - 1).astype(int)
    observed = np.zeros((levels, levels))
    np.add.at(observed, (x, y), 1.0)
    expected = np.outer(observed.sum(1), observed.sum(0)) / max(len(x), 1)
    idx = np.arange(levels)
    weights = (idx[:, None] - idx[None, :]) ** 2 / (levels - 1) ** 2
    denominator = float((weights * expected).sum())
    return 1.0 - float((weights * observed).sum()) / denominator if denominator else 0.0


def evaluate(
    ids: Sequence[str],
    kinds: Sequence[str],
    human: Numbers,
    grades: Numbers,
    worst: int = 10,
) -> EvalReport:
    """All agreement figures for graded rows (`kinds` may hold '' when unknown)."""
    h, g = np.asarray(human, dtype=float), np.asarray(grades, dtype=float)
    kind_means: dict[str, tuple[int, float, float]] = {}
    for kind in sorted(set(kinds)):
        mask = np.array([k == kind for k in kinds])
        kind_means[kind] = (int(mask.sum()), float(h[mask].mean()), float(g[mask].mean()))
    order = np.argsort(-np.abs(h - g), kind="mergesort")[:worst]
    return EvalReport(
        count=len(h),
        spearman=spearman(g, h),
        pearson=pearson(g, h),
        qwk=quadratic_weighted_kappa(g, h),
        mae=float(np.abs(h - g).mean()) if len(h) else 0.0,
        rmse=float(np.sqrt(((h - g) ** 2).mean())) if len(h) else 0.0,
        kind_means=kind_means,
        worst=tuple(Disagreement(ids[i], kinds[i], float(h[i]), float(g[i])) for i in order),
    )
