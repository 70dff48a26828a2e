"""Figures over the history: per-topic means and trends, due counts, streaks, session summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from coach.history import Attempt
from coach.models import Card
from coach.scheduling import Schedule

# The trend compares the latest attempts with the ones before them: "getting better lately?"
TREND_WINDOW = 5
WEAKEST = 3


@dataclass(frozen=True)
class TopicStats:
    """One topic's figures; means are None before the first attempt."""

    topic: str
    cards: int
    attempts: int
    mean_grade: float | None
    trend: float | None
    due_now: int
    new: int

    def to_json(self) -> dict[str, object]:
        return {
            "topic": self.topic,
            "cards": self.cards,
            "attempts": self.attempts,
            "mean_grade": _round(self.mean_grade),
            "trend": _round(self.trend),
            "due_now": self.due_now,
            "new": self.new,
        }


@dataclass(frozen=True)
class Stats:
    """Everything `coach stats` reports."""

    attempts: int
    cards_practised: int
    mean_grade: float | None
    streak_days: int
    due_now: int
    new: int
    next_due: datetime | None
    topics: tuple[TopicStats, ...]
    grades: tuple[tuple[datetime, float], ...]

    def to_json(self) -> dict[str, object]:
        """The `coach stats --json` object."""
        return {
            "attempts": self.attempts,
            "cards_practised": self.cards_practised,
            "mean_grade": _round(self.mean_grade),
            "streak_days": self.streak_days,
            "due_now": self.due_now,
            "new": self.new,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "topics": [t.to_json() for t in self.topics],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def trend(grades: Sequence[float]) -> float | None:
    """Mean of the latest attempts (up to 5, at most half) minus the mean of the earlier ones."""
    if len(grades) < 2:
        return None
    recent = min(TREND_WINDOW, len(grades) // 2)
    return fmean(grades[-recent:]) - fmean(grades[:-recent])


def streak_days(moments: Sequence[datetime], now: datetime) -> int:
    """Days in a row, in `now`'s time zone, with an attempt, up to today (or yesterday:
    a streak is not broken before the day is over)."""
    days = {m.astimezone(now.tzinfo).date() for m in moments}
    today = now.date()
    day: date = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def compute_stats(
    attempts: Sequence[Attempt],
    cards: Sequence[Card],
    schedules: Mapping[str, Schedule],
    now: datetime,
) -> Stats:
    """Per-topic and overall figures; topics come from the cards and from past attempts."""
    by_topic: dict[str, list[Attempt]] = {}
    for attempt in attempts:
        by_topic.setdefault(attempt.topic, []).append(attempt)
    cards_by_topic: dict[str, list[Card]] = {}
    for card in cards:
        cards_by_topic.setdefault(card.topic, []).append(card)
    topics = [
        _topic(name, cards_by_topic.get(name, []), by_topic.get(name, []), schedules, now)
        for name in dict.fromkeys([*cards_by_topic, *by_topic])
    ]
    dues = [s.due for s in schedules.values()]
    return Stats(
        attempts=len(attempts),
        cards_practised=len({a.card_id for a in attempts}),
        mean_grade=fmean(a.grade for a in attempts) if attempts else None,
        streak_days=streak_days([a.created_at for a in attempts], now),
        due_now=sum(t.due_now for t in topics),
        new=sum(t.new for t in topics),
        next_due=min(dues) if dues else None,
        topics=tuple(topics),
        grades=tuple((a.created_at, a.grade) for a in attempts),
    )


def _topic(
    name: str,
    cards: list[Card],
    attempts: list[Attempt],
    schedules: Mapping[str, Schedule],
    now: datetime,
) -> TopicStats:
    grades = [a.grade for a in attempts]
    return TopicStats(
        topic=name,
        cards=len(cards),
        attempts=len(attempts),
        mean_grade=fmean(grades) if grades else None,
        trend=trend(grades),
        due_now=sum(1 for c in cards if c.id in schedules and schedules[c.id].is_due(now)),
        new=sum(1 for c in cards if c.id not in schedules),
    )


@dataclass(frozen=True)
class SessionSummary:
    """The end of a session: how each topic went, what was weakest, what comes back when."""

    topics: tuple[tuple[str, int, float], ...]
    weakest: tuple[Attempt, ...]
    next_due: tuple[tuple[Card, datetime], ...]
    skipped: int


def summarise_session(
    attempts: Sequence[Attempt], next_due: Sequence[tuple[Card, datetime]], skipped: int
) -> SessionSummary:
    """Mean grade per topic of this session's attempts, and its lowest-graded cards."""
    by_topic: dict[str, list[float]] = {}
    for attempt in attempts:
        by_topic.setdefault(attempt.topic, []).append(attempt.grade)
    weakest = sorted(attempts, key=lambda a: a.grade)[:WEAKEST]
    return SessionSummary(
        topics=tuple((t, len(g), fmean(g)) for t, g in by_topic.items()),
        weakest=tuple(weakest),
        next_due=tuple(next_due),
        skipped=skipped,
    )
