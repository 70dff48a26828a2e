"""FSRS scheduling driven by 0-5 grades: exact intervals at fixed datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from fsrs import Rating

from coach.scheduling import load_schedule, rating_for, review

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("grade", "rating"),
    [
        (0.0, Rating.Again),
        (2.0, Rating.Again),
        (2.49, Rating.Again),
        (2.5, Rating.Hard),
        (3.0, Rating.Hard),
        (3.49, Rating.Hard),
        (3.5, Rating.Good),
        (4.0, Rating.Good),
        (4.49, Rating.Good),
        (4.5, Rating.Easy),
        (5.0, Rating.Easy),
    ],
)
def test_rating_cuts_sit_between_rubric_levels(grade: float, rating: Rating) -> None:
    assert rating_for(grade) == rating


@pytest.mark.parametrize(
    ("grade", "interval", "state"),
    [
        (1.0, timedelta(minutes=1), "learning"),
        (3.0, timedelta(minutes=5, seconds=30), "learning"),
        (4.0, timedelta(minutes=10), "learning"),
        (5.0, timedelta(days=8), "review"),
    ],
)
def test_first_answer_intervals(grade: float, interval: timedelta, state: str) -> None:
    stored, due = review("card-1", None, grade, T0)
    assert due - T0 == interval
    schedule = load_schedule("card-1", stored)
    assert schedule.due == due and schedule.state == state


def test_a_card_graduates_then_lapses() -> None:
    first, due1 = review("card-1", None, 4.0, T0)
    second, due2 = review("card-1", first, 4.0, due1)
    assert due2 - due1 == timedelta(days=2)
    assert load_schedule("card-1", second).state == "review"
    third, due3 = review("card-1", second, 4.0, due2)
    assert due3 - due2 == timedelta(days=11)
    lapsed, due4 = review("card-1", third, 1.0, due3)
    assert due4 - due3 == timedelta(minutes=10)
    assert load_schedule("card-1", lapsed).state == "relearning"


def test_local_times_are_accepted_and_due_is_utc() -> None:
    local = T0.astimezone(timezone(timedelta(hours=2)))
    _, due = review("card-1", None, 4.0, local)
    assert due == T0 + timedelta(minutes=10) and due.tzinfo == UTC


def test_is_due() -> None:
    stored, due = review("card-1", None, 4.0, T0)
    schedule = load_schedule("card-1", stored)
    assert not schedule.is_due(T0) and schedule.is_due(due)
