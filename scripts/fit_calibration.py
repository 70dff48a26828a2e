"""Fit coach/calibration.json on the dev set; report dev, stats-dev and Mohler agreement.

Usage: python scripts/fit_calibration.py [--shared /work/shared] [--no-write] [--mohler N]
Re-run after changing anything in coach/signals.py, coach/cleaning.py or coach/contradiction.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from coach.calibration import (
    CALIBRATION_FILE,
    FEATURES,
    Calibration,
    capped_score,
    feature_vector,
)
from coach.cleaning import clean_answer
from coach.embedding import load_embedder
from coach.evaluation import evaluate
from coach.grading import grade_answer
from coach.notes import parse_file
from coach.signals import Reference, Signals, build_references, compute_signals

# Sign constraints: more coverage/similarity never lowers a grade, more
# off-topic margin/salad/contradiction never raises it. Unconstrained least
# squares gave similarity a negative weight (misconceptions are similar but
# wrong), which collapsed agreement on other data sets (Mohler r 0.17).
_BOUNDS = {
    "bias": (-np.inf, np.inf),
    "off_topic_margin": (-np.inf, 0.0),
    "salad": (-np.inf, 0.0),
    "contradictions": (-np.inf, 0.0),
    # Length tracks the grade on dev only; on Mohler it is uncorrelated (r 0.01).
    "log_words": (0.0, np.inf),
}


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
        cleaned = clean_answer(row["answer"])
        if cleaned.is_injection or cleaned.is_non_answer:
            continue  # hard rules, not the linear model's business
        ref = by_question[row["question"]]
        out.append((compute_signals(cleaned.text, ref, embedder, refs), float(row["score"])))
    return out


def fit(pairs: list[tuple[Signals, float]], zeros: np.ndarray) -> Calibration:
    x = np.stack([feature_vector(s) for s, _ in pairs])
    y = np.array([score for _, score in pairs])
    from scipy.optimize import lsq_linear

    lower = [_BOUNDS.get(name, (0.0, np.inf))[0] for name in FEATURES]
    upper = [_BOUNDS.get(name, (0.0, np.inf))[1] for name in FEATURES]
    weights = lsq_linear(x, y, bounds=(lower, upper)).x
    linear = Calibration(weights=tuple(round(float(w), 5) for w in weights))
    # The stretch sees every dev row, the hard-rule zeros included, as graded before it.
    raw = np.array([capped_score(s, linear) for s, _ in pairs] + [0.0] * len(zeros))
    return replace(linear, **stretch(raw, np.concatenate([y, zeros])))


MIN_SLOPE = 0.3


def stretch(raw: np.ndarray, human: np.ndarray, knots: int = 9) -> dict[str, tuple[float, ...]]:
    """Isotonic regression of the human score on the linear score, kept as a few knots."""
    from scipy.optimize import isotonic_regression

    order = np.argsort(raw, kind="mergesort")
    fitted = isotonic_regression(human[order]).x
    xs = np.quantile(raw, np.linspace(0, 1, knots))
    ys = np.interp(xs, raw[order], fitted)
    xs[0], ys[0], xs[-1], ys[-1] = 0.0, 0.0, 5.0, max(5.0, float(ys[-1]))
    xs = np.maximum.accumulate(xs)
    # Strictly increasing: a flat stretch would give a right and a wrong answer the same
    # grade, which no one can act on.
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + MIN_SLOPE * (xs[i] - xs[i - 1]))
    return {
        "stretch_x": tuple(round(float(v), 4) for v in xs),
        "stretch_y": tuple(round(float(v), 4) for v in ys),
    }


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
    refs = {t: r for t, r in zip({r["reference"] for r in rows}, [], strict=False)}
    texts = sorted({r["reference"] for r in rows})
    built = build_references([(f"m{i}", "", t) for i, t in enumerate(texts)], embedder)
    refs = dict(zip(texts, built, strict=False))
    grades = [
        grade_answer(r["answer"], refs[r["reference"]], embedder, (), calibration).grade
        for r in rows
    ]
    rep = evaluate([r["id"] for r in rows], [""] * len(rows), [r["score"] for r in rows], grades)
    print("mohler", json.dumps({k: v for k, v in rep.to_json().items() if k != "worst"}))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("/work/shared"))
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--mohler", type=int, default=-1, help="rows of Mohler to report (0: all)")
    args = parser.parse_args(argv)
    embedder = load_embedder()
    dev_q, dev_refs = deck_references(args.shared / "notes/dl-architectures.txt", embedder)
    dev_rows = load_rows(args.shared / "eval/dev.jsonl")
    hard_rule = [r for r in dev_rows if _is_hard_rule(r["answer"])]
    zeros = np.array([float(r["score"]) for r in hard_rule])
    calibration = fit(training_signals(dev_rows, dev_q, dev_refs, embedder), zeros)
    if not args.no_write:
        CALIBRATION_FILE.write_text(
            json.dumps(calibration.to_json(), indent=2) + "\n", encoding="utf-8"
        )
    report("dev", dev_rows, dev_q, dev_refs, embedder, calibration)
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
