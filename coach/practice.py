"""What to ask next, how to grade it, and recording the attempt; no terminal I/O here."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from coach import history, scheduling
from coach.errors import InputError
from coach.history import Attempt
from coach.models import Card
from coach.practice_grading import Graded

Mode = Literal["default", "due", "new", "weak", "random"]
MODES: tuple[Mode, ...] = ("due", "new", "weak", "random")
# "weak" looks at the latest few grades: an old failure that has since been fixed is not weak.
RECENT_GRADES = 3
GIST_WORDS = 5


@dataclass(frozen=True)
class CardProgress:
    """What history knows about one card: its grades, oldest first, and its schedule."""

    grades: tuple[float, ...] = ()
    last_missed: tuple[str, ...] = ()
    schedule: scheduling.Schedule | None = None

    @property
    def recent_mean(self) -> float:
        recent = self.grades[-RECENT_GRADES:]
        return sum(recent) / len(recent) if recent else 0.0


def load_progress(history_path: Path) -> dict[str, CardProgress]:
    """Per card: the grades and schedule saved so far."""
    rows = history.attempts(history_path)
    saved = history.schedules(history_path)
    grades: dict[str, list[float]] = {}
    missed: dict[str, tuple[str, ...]] = {}
    for attempt in rows:
        grades.setdefault(attempt.card_id, []).append(attempt.grade)
        missed[attempt.card_id] = _missed(attempt.signals)
    ids = set(grades) | set(saved)
    return {
        card_id: CardProgress(
            grades=tuple(grades.get(card_id, ())),
            last_missed=missed.get(card_id, ()),
            schedule=scheduling.load_schedule(card_id, saved[card_id].state)
            if card_id in saved
            else None,
        )
        for card_id in ids
    }


def _missed(signals: Mapping[str, object]) -> tuple[str, ...]:
    """The key points an attempt missed, by the LLM's judgement when it graded."""
    llm = signals.get("llm")
    if isinstance(llm, dict) and isinstance(llm.get("missed_key_points"), list):
        return tuple(str(p) for p in llm["missed_key_points"])
    missed = signals.get("missed")
    return tuple(str(p) for p in missed) if isinstance(missed, list) else ()


def select_topic(cards: Sequence[Card], topic: str | None) -> list[Card]:
    """The cards of `topic` (any case); InputError naming the topics when there are none."""
    if not topic:
        return list(cards)
    chosen = [c for c in cards if c.topic.lower() == topic.lower()]
    if not chosen:
        topics = sorted({c.topic for c in cards})
        raise InputError(f"no topic {topic!r}; topics: {', '.join(topics)}")
    return chosen


def find_card(cards: Iterable[Card], card_id: str) -> Card:
    for card in cards:
        if card.id == card_id:
            return card
    raise InputError(f"no card {card_id!r}: `coach cards` lists the ids")


def pick_cards(
    cards: Sequence[Card],
    progress: Mapping[str, CardProgress],
    mode: Mode,
    count: int,
    now: datetime,
    rng: random.Random,
) -> list[Card]:
    """Up to `count` cards for `mode`; the default is due cards (most overdue first), then new."""
    if mode == "random":
        return rng.sample(list(cards), min(count, len(cards)))
    if mode == "weak":
        tried = [c for c in cards if progress.get(c.id, CardProgress()).grades]
        return sorted(tried, key=lambda c: progress[c.id].recent_mean)[:count]
    schedules = {c.id: s for c in cards if (s := _schedule(progress, c)) is not None}
    due = sorted(
        (c for c in cards if c.id in schedules and schedules[c.id].is_due(now)),
        key=lambda c: schedules[c.id].due,
    )
    new = [c for c in cards if c.id not in progress]
    chosen = {"due": due, "new": new}.get(mode, due + new)
    return chosen[:count]


def _schedule(progress: Mapping[str, CardProgress], card: Card) -> scheduling.Schedule | None:
    known = progress.get(card.id)
    return known.schedule if known else None


def next_due(
    cards: Sequence[Card], progress: Mapping[str, CardProgress], limit: int = 3
) -> list[tuple[Card, datetime]]:
    """The cards asked soonest in the future (or overdue), soonest first."""
    scheduled = [(c, s.due) for c in cards if (s := _schedule(progress, c)) is not None]
    return sorted(scheduled, key=lambda pair: pair[1])[:limit]


def hints(card: Card, progress: CardProgress | None) -> list[str]:
    """The gist of each key point, those missed last time first: what `/hint` reveals in turn."""
    missed = set(progress.last_missed) if progress else set()
    ordered = [p for p in card.key_points if p in missed]
    ordered += [p for p in card.key_points if p not in missed]
    return [gist(point) for point in ordered]


def gist(point: str) -> str:
    """The opening words of a key point: a nudge, not the answer."""
    words = point.split()
    keep = max(1, min(GIST_WORDS, len(words) // 2))
    return " ".join(words[:keep]) + (" …" if keep < len(words) else "")


def record_follow_up(
    history_path: Path,
    card: Card,
    follow_up: str,
    answer: str,
    graded: Graded,
    seconds: float,
    now: datetime,
) -> Attempt:
    """Save the answer to an interviewer's follow-up as its own attempt. The card's
    schedule is left alone: it tracks the card's own question."""
    attempt = Attempt(
        card_id=card.id,
        topic=card.topic,
        question=follow_up,
        answer=answer,
        grade=graded.grade,
        verdict=graded.verdict,
        mode=graded.mode,
        practice_mode="follow-up",
        signals={**graded.signals, "follow_up_of": card.question},
        seconds=seconds,
        created_at=now,
    )
    return history.record_attempt(history_path, attempt)


def record(
    history_path: Path,
    card: Card,
    answer: str,
    graded: Graded,
    practice_mode: str,
    seconds: float,
    now: datetime,
) -> Attempt:
    """Save the attempt and reschedule the card, committed before this returns."""
    attempt = Attempt(
        card_id=card.id,
        topic=card.topic,
        question=card.question,
        answer=answer,
        grade=graded.grade,
        verdict=graded.verdict,
        mode=graded.mode,
        practice_mode=practice_mode,
        signals=graded.signals,
        seconds=seconds,
        created_at=now,
    )
    return history.record_attempt(
        history_path,
        attempt,
        lambda stored: scheduling.review(card.id, stored, graded.grade, now),
    )
