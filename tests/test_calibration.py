from __future__ import annotations

import numpy as np

from coach.calibration import (
    DIRECTIONS,
    FEATURES,
    grade_from_signals,
    load_calibration,
    verdict_for,
)
from coach.signals import Signals


def _signals(**kw: object) -> Signals:
    base = dict(
        similarity=0.6,
        coverage=0.7,
        key_point_similarities=(0.7, 0.6),
        covered=("a",),
        missed=(),
        off_topic_margin=-0.2,
        off_topic_card="x",
        salad=0.0,
        contradictions=(),
        word_count=40,
        recall=0.7,
    )
    base.update(kw)
    return Signals(**base)  # type: ignore[arg-type]


def test_shipped_calibration_is_monotone_in_each_feature() -> None:
    cal = load_calibration()
    assert len(cal.shapes) == len(FEATURES) == len(DIRECTIONS)
    for name, (xs, ys), direction in zip(FEATURES, cal.shapes, DIRECTIONS, strict=True):
        assert (np.diff(xs) > 0).all() and len(xs) == len(ys) >= 2, name
        steps = np.diff(ys) * direction
        assert (steps >= -1e-9).all(), f"{name} moves the grade the wrong way"


def test_caps_and_monotonicity() -> None:
    cal = load_calibration()
    good = grade_from_signals(_signals(), cal)
    assert 0 <= good <= 5
    assert grade_from_signals(_signals(off_topic_margin=0.4), cal) <= 0.5
    assert grade_from_signals(_signals(salad=0.9), cal) <= 1.0
    assert grade_from_signals(_signals(contradictions=("a~b",)), cal) < good
    assert grade_from_signals(_signals(recall=0.2), cal) <= good


def test_verdicts() -> None:
    assert verdict_for(5.0) == "excellent" and verdict_for(0.0) == "no credit"


def test_floors_need_each_point_said_plainly() -> None:
    """`covered` may tick a point its nearest span only approaches; a floor needs every
    point's cosine at COVERED_AT or above."""
    cal = load_calibration()
    short = dict(word_count=8, on_topic_words=8, similarity=0.5, coverage=0.5)
    plain = _signals(key_point_similarities=(0.62, 0.55), covered=("a", "b"), **short)
    near = _signals(key_point_similarities=(0.62, 0.40), covered=("a", "b"), **short)
    assert grade_from_signals(plain, cal) >= cal.full_coverage_floor
    assert grade_from_signals(near, cal) < cal.full_coverage_floor


def test_a_short_answer_is_graded_by_the_share_of_points_it_states() -> None:
    """The rubric: length does not count. A terse answer stating three of four points
    plainly is at least "good", two of four at least "partial", one of four neither."""
    cal = load_calibration()
    short = dict(word_count=15, on_topic_words=15, similarity=0.6, coverage=0.5)

    def grade(*sims: float) -> float:
        return grade_from_signals(_signals(key_point_similarities=sims, **short), cal)

    assert grade(0.7, 0.6, 0.55, 0.2) >= cal.most_coverage_floor == 3.5
    assert cal.half_coverage_floor <= grade(0.7, 0.6, 0.2, 0.2) < cal.most_coverage_floor
    assert grade(0.7, 0.2, 0.2, 0.2) < cal.half_coverage_floor
    assert grade(0.7, 0.6, 0.55, 0.2) < grade(0.7, 0.6, 0.55, 0.5)
    flagged = _signals(key_point_similarities=(0.7, 0.6, 0.55, 0.2), contradictions=("a~b",))
    assert grade_from_signals(flagged, cal) < cal.most_coverage_floor
