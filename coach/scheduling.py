"""When to ask a card again: FSRS (the `fsrs` package) driven by the 0-5 grade."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

# FSRS wants a recall rating, we have a rubric grade (eval/RUBRIC.md). The cuts sit where
# the rubric's levels meet, and ask "what would an interviewer do next?":
#   < 2.5  (0-2: wrong, or only the gist)  -> Again: not recalled in any useful sense;
#                                           rating it Hard would count as a success and
#                                           push the card days away.
#   < 3.5  (3: about half the points)      -> Hard: recalled, but they would have to probe.
#   < 4.5  (4: one minor point missing)    -> Good.
#   >= 4.5 (5: every point, no error)      -> Easy.
# The same cuts split the grader's verdicts (partial / good / excellent).
AGAIN_BELOW, HARD_BELOW, GOOD_BELOW = 2.5, 3.5, 4.5

# Fuzzing spreads the due dates of thousands of flashcards with Python's global random;
# a deck of interview questions is small, and a fixed schedule is one tests can pin.
SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class Schedule:
    """A card's review state: what FSRS knows, and when to ask it again."""

    card_id: str
    due: datetime
    state: str
    stability: float | None
    difficulty: float | None

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


def rating_for(grade: float) -> Rating:
    """The FSRS rating for a 0-5 grade (see the table above)."""
    if grade < AGAIN_BELOW:
        return Rating.Again
    if grade < HARD_BELOW:
        return Rating.Hard
    if grade < GOOD_BELOW:
        return Rating.Good
    return Rating.Easy


def _fsrs_id(card_id: str) -> int:
    # FSRS cards carry an int id; ours are strings. Stable, and only informative.
    return zlib.crc32(card_id.encode())


def review(
    card_id: str, stored: str | None, grade: float, now: datetime, scheduler: Scheduler = SCHEDULER
) -> tuple[str, datetime]:
    """The card's new FSRS state (JSON) and due time after an answer graded `grade` at `now`.

    `stored` is the state saved after the previous review, None for a card never answered.
    """
    moment = now.astimezone(UTC)
    card = FsrsCard.from_json(stored) if stored else FsrsCard(card_id=_fsrs_id(card_id), due=moment)
    reviewed, _log = scheduler.review_card(card, rating_for(grade), review_datetime=moment)
    return reviewed.to_json(), reviewed.due


def load_schedule(card_id: str, stored: str) -> Schedule:
    """A stored FSRS state as a Schedule."""
    card = FsrsCard.from_json(stored)
    return Schedule(
        card_id=card_id,
        due=card.due,
        state=State(card.state).name.lower(),
        stability=card.stability,
        difficulty=card.difficulty,
    )
