"""What grades a practice answer, behind one small protocol.

The session never calls the graders directly: `make_practice_grader` is the one place that decides
what grades (coach.grader: offline signals, plus the LLM rubric when configured), and
`Graded` is the one shape the session shows and saves.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol

from coach.models import Card

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.embedding import Embedder
    from coach.llm_grading import CombinedGrade
    from coach.store import Store


@dataclass(frozen=True)
class Graded:
    """A graded (or revealed) answer: what is saved, and the grader's result to show."""

    grade: float
    verdict: str
    mode: str
    missed: tuple[str, ...]
    signals: dict[str, object]
    result: CombinedGrade | None = None


class PracticeGrader(Protocol):
    """Grades one answer to one card."""

    def prepare(self) -> None:
        """Load what grading needs; called in the background before the first answer."""
        ...

    def grade(self, card: Card, answer: str) -> Graded: ...

    def grade_follow_up(self, card: Card, follow_up: str, answer: str) -> Graded: ...


class StoreGrader:
    """coach.grader against the store's vectors, adapted to `Graded`."""

    def __init__(self, config: Settings, store: Store, embedder: Embedder) -> None:
        from coach.grader import Grader as CardGrader

        self.embedder = embedder
        self._grader = CardGrader(store, embedder, config)

    def prepare(self) -> None:
        self.embedder.embed(["warm up"])
        self._grader.others()

    def grade(self, card: Card, answer: str) -> Graded:
        return graded(self._grader.grade_card(answer, card))

    def grade_follow_up(self, card: Card, follow_up: str, answer: str) -> Graded:
        return graded(self._grader.grade_follow_up(answer, card, follow_up))


def make_practice_grader(config: Settings, store: Store, embedder: Embedder) -> PracticeGrader:
    """The grader the settings ask for."""
    return StoreGrader(config, store, embedder)


def grading_label(config: Settings) -> str:
    """What will grade, said before anything is loaded."""
    if config.llm_configured:
        return f"by {config.llm_model} (offline if it fails)"
    return "offline"


def graded(result: CombinedGrade) -> Graded:
    """The session's view of a grade: the rubric's key points when the LLM graded."""
    missed = tuple(result.offline.missed)
    if result.rubric is not None:
        missed = tuple(result.rubric.missed_key_points)
    signals = result.to_json()
    for saved_apart in ("card_id", "grade", "score", "verdict", "mode"):
        signals.pop(saved_apart, None)
    signals["delivery"] = asdict(result.offline.delivery)
    return Graded(
        grade=result.grade,
        verdict=result.verdict,
        mode=result.mode,
        missed=missed,
        signals=signals,
        result=result,
    )


def revealed(card: Card) -> Graded:
    """`/reveal` before answering: saved as a 0, so the card comes back soon."""
    return Graded(
        grade=0.0,
        verdict="revealed",
        mode="revealed",
        missed=tuple(card.key_points),
        signals={"covered": [], "missed": list(card.key_points), "flags": ["revealed"]},
    )
