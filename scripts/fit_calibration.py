"""Fit coach/calibration.json on the dev set; report dev, stats-dev and Mohler agreement.

Usage: python scripts/fit_calibration.py [--shared /work/shared] [--no-write] [--mohler N] [--cv]
Re-run after changing anything in coach/signals.py, coach/cleaning.py or coach/contradiction.py.

The model is additive: one monotone curve per feature, fitted by backfitting (each curve
in turn is an isotonic regression of what the others leave unexplained), then kept as a
few knots at the feature's quantiles, so that it is small, smooth and readable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from coach.calibration import (
    CALIBRATION_FILE,
    DIRECTIONS,
    FEATURES,
    Calibration,
    feature_vector,
)
from coach.cleaning import clean_answer
from coach.embedding import MemoEmbedder, load_embedder
from coach.evaluation import evaluate
from coach.grading import grade_answer
from coach.notes import parse_file
from coach.signals import Reference, Signals, build_references, compute_signals


def deck_references(path: Path, embedder) -> tuple[dict[str, Reference], list[Reference]]:  # type: ignore[no-untyped-def]
    cards = parse_file(path).cards
    refs = build_references([(c.id, c.question, c.answer) for c in cards], embedder)
    return {r.question: r for r in refs}, refs


def load_rows(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _is_hard_rule(answer: str) -> bool:
    cleaned = clean_answer(answer)
    return cleaned.is_injection or cleaned.is_non_answer


def training_signals(rows, by_question, refs, embedder) -> list[tuple[Signals, float]]:  # type: ignore[no-untyped-def]
    out = []
    for row in rows:
        if _is_hard_rule(row["answer"]):
            continue  # the rubric's hard rules grade these, not the fitted model
        cleaned = clean_answer(row["answer"])
        ref = by_question[row["question"]]
        out.append((compute_signals(cleaned.text, ref, embedder, refs), float(row["score"])))
    return out


# Knots per curve. Grouped by card, 5-fold cross-validated Spearman on dev (all words
# counted, when this was chosen): 0.79 with 8 knots or with the raw isotonic steps, 0.76
# with 6; 8 turns the steps into ramps.
KNOTS = 8
# Backfitting passes; the curves stop moving (to the 4 decimals stored) well before.
ROUNDS = 30


def fit(pairs: list[tuple[Signals, float]]) -> Calibration:
    """Backfit one monotone curve per feature to the human scores of `pairs`."""
    x = np.stack([feature_vector(s) for s, _ in pairs])
    y = np.array([score for _, score in pairs])
    bias = float(y.mean())
    shapes = [(np.array([0.0, 1.0]), np.zeros(2)) for _ in FEATURES]

    def part(j: int) -> np.ndarray:
        return np.interp(x[:, j], *shapes[j])

    for _ in range(ROUNDS):
        for j, direction in enumerate(DIRECTIONS):
            rest = y - bias - sum(part(k) for k in range(len(FEATURES)) if k != j)
            xs, ys = _isotonic(x[:, j], rest, increasing=direction > 0)
            knots = _knots(x[:, j])
            values = np.interp(knots, xs, ys)
            # Centred over the rows, so the bias alone carries the mean grade.
            shapes[j] = (knots, values - np.interp(x[:, j], knots, values).mean())
    return Calibration(
        bias=round(bias, 5),
        shapes=tuple(
            (tuple(float(v) for v in xs), tuple(round(float(v), 4) for v in ys))
            for xs, ys in shapes
        ),
    )


def _knots(values: np.ndarray) -> np.ndarray:
    """KNOTS quantiles of a feature, or its distinct values when it has no more (a count
    of contradictions is 0, 1 or 2); strictly increasing after rounding, at least two."""
    distinct = np.unique(values)
    chosen = distinct if len(distinct) <= KNOTS else np.quantile(values, np.linspace(0, 1, KNOTS))
    knots = np.unique(np.round(chosen, 4))
    return knots if len(knots) >= 2 else np.array([knots[0], knots[0] + 1.0])


def _isotonic(x: np.ndarray, y: np.ndarray, increasing: bool) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic regression of y on x; equal x values share one fitted value."""
    from scipy.optimize import isotonic_regression

    values, where = np.unique(x, return_inverse=True)
    counts = np.bincount(where).astype(float)
    means = np.bincount(where, weights=y) / counts
    return values, isotonic_regression(means, weights=counts, increasing=increasing).x


def report(name, rows, by_question, refs, embedder, calibration) -> None:  # type: ignore[no-untyped-def]
    grades = [
        grade_answer(r["answer"], by_question[r["question"]], embedder, refs, calibration).grade
        for r in rows
    ]
    rep = evaluate(
        [r["id"] for r in rows],
        [r.get("kind", "") for r in rows],
        [r["score"] for r in rows],
        grades,
    )
    print(name, json.dumps(rep.to_json(), indent=1))


def mohler(path: Path, embedder, calibration, limit: int) -> None:  # type: ignore[no-untyped-def]
    rows = load_rows(path)[: limit or None]
    # As `coach grade --batch` does with a row's own reference: its question goes with it.
    pairs = sorted({(r["question"], r["reference"]) for r in rows})
    built = build_references([(f"m{i}", q, t) for i, (q, t) in enumerate(pairs)], embedder)
    refs = dict(zip(pairs, built, strict=True))
    grades = [
        grade_answer(
            r["answer"], refs[r["question"], r["reference"]], embedder, (), calibration
        ).grade
        for r in rows
    ]
    rep = evaluate([r["id"] for r in rows], [""] * len(rows), [r["score"] for r in rows], grades)
    print("mohler", json.dumps({k: v for k, v in rep.to_json().items() if k != "worst"}))


def cross_validate(rows, by_question, refs, embedder, folds=5, seeds=3) -> None:  # type: ignore[no-untyped-def]
    """Agreement on answers to cards the model was not fitted on: folds are cards."""
    questions = sorted({r["question"] for r in rows})
    spearmans, pearsons = [], []
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(len(questions))
        fold_of = {questions[i]: n % folds for n, i in enumerate(order)}
        grades: dict[str, float] = {}
        for fold in range(folds):
            train = [r for r in rows if fold_of[r["question"]] != fold]
            model = fit(training_signals(train, by_question, refs, embedder))
            for r in rows:
                if fold_of[r["question"]] == fold:
                    ref = by_question[r["question"]]
                    grades[r["id"]] = grade_answer(r["answer"], ref, embedder, refs, model).grade
        rep = evaluate(
            [r["id"] for r in rows],
            [""] * len(rows),
            [r["score"] for r in rows],
            [grades[r["id"]] for r in rows],
        )
        spearmans.append(rep.spearman)
        pearsons.append(rep.pearson)
    print(
        f"dev cross-validated ({folds} folds by card, {seeds} seeds): "
        f"spearman {np.mean(spearmans):.3f} pearson {np.mean(pearsons):.3f}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--mohler", type=int, default=-1, help="rows of Mohler to report (0: all)")
    parser.add_argument("--cv", action="store_true", help="also cross-validate on dev by card")
    args = parser.parse_args(argv)
    # Remembered vectors: cross-validation grades every answer once per seed.
    embedder = MemoEmbedder(load_embedder())
    dev_q, dev_refs = deck_references(args.shared / "notes/dl-architectures.txt", embedder)
    dev_rows = load_rows(args.shared / "eval/dev.jsonl")
    calibration = fit(training_signals(dev_rows, dev_q, dev_refs, embedder))
    if not args.no_write:
        CALIBRATION_FILE.write_text(
            json.dumps(calibration.to_json(), indent=2) + "\n", encoding="utf-8"
        )
    report("dev", dev_rows, dev_q, dev_refs, embedder, calibration)
    if args.cv:
        cross_validate(dev_rows, dev_q, dev_refs, embedder)
    stats_q, stats_refs = deck_references(args.shared / "eval/stats-notes.md", embedder)
    report(
        "stats-dev",
        load_rows(args.shared / "eval/stats-dev.jsonl"),
        stats_q,
        stats_refs,
        embedder,
        calibration,
    )
    if args.mohler >= 0:
        mohler(args.shared / "benchmarks/mohler/mohler.jsonl", embedder, calibration, args.mohler)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
