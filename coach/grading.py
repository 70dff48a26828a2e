"""Grade one answer offline: clean -> signals -> calibrated 0-5 grade with feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.calibration import (
    Calibration,
    grade_from_signals,
    is_off_topic,
    is_unrelated,
    load_calibration,
    verdict_for,
)
from coach.cleaning import clean_answer, is_non_answer, is_question_echo, said_besides_admission
from coach.delivery import Delivery, analyse_delivery
from coach.models import score_for
from coach.signals import Reference, Signals, compute_signals, plainly_stated

if TYPE_CHECKING:
    from coach.embedding import Embedder


@dataclass(frozen=True)
class GradeResult:
    """An offline grade with the evidence behind it."""

    card_id: str
    grade: float
    verdict: str
    similarity: float
    coverage: float
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    flags: tuple[str, ...]
    delivery: Delivery
    signals: Signals | None
    # Covered points not `plainly_stated` (cosine below COVERED_AT): the rubric's
    # floors for a short answer do not count them, so the person hears which to say outright.
    loosely_covered: tuple[str, ...] = ()

    @property
    def score(self) -> int:
        """The grade on 0-100."""
        return score_for(self.grade)

    def to_json(self) -> dict[str, object]:
        """The fields of a `coach grade` output row that the grader owns."""
        return {
            "card_id": self.card_id,
            "grade": self.grade,
            "score": self.score,
            "verdict": self.verdict,
            "mode": "offline",
            "similarity": round(self.similarity, 4),
            "coverage": round(self.coverage, 4),
            "covered": list(self.covered),
            "missed": list(self.missed),
            "flags": list(self.flags),
        }


def grade_answer(
    answer: str,
    reference: Reference,
    embedder: Embedder,
    others: Sequence[Reference] = (),
    calibration: Calibration | None = None,
) -> GradeResult:
    """Grade `answer` against `reference`; `others` (the deck's other cards) enable the
    off-topic check."""
    calibration = calibration or load_calibration()
    cleaned = clean_answer(answer)
    delivery = analyse_delivery(answer)
    if cleaned.is_injection:
        # The rubric's hard rule: manipulation scores 0 whatever else the text says.
        return _zero(reference, delivery, ("injection", f"injection:{cleaned.injection_match}"))
    if cleaned.is_non_answer:
        return _zero(reference, delivery, ("non_answer",))
    if is_question_echo(cleaned.text, reference.question):
        return _zero(reference, delivery, ("non_answer", "non_answer:echo"))
    signals = compute_signals(cleaned.text, reference, embedder, others)
    if cleaned.admits_not_knowing and _says_nothing_else(
        cleaned.text, signals, reference, embedder
    ):
        return _zero(reference, delivery, ("non_answer", "non_answer:admitted"))
    grade = grade_from_signals(signals, calibration)
    # An answer to another question states none of this one's points, whatever words
    # the two cards share: a tick next to "answers another question" reads as a mixed verdict.
    off_topic = is_off_topic(signals, calibration)
    return GradeResult(
        card_id=reference.card_id,
        grade=grade,
        verdict=verdict_for(grade),
        similarity=signals.similarity,
        coverage=signals.coverage,
        covered=() if off_topic else signals.covered,
        missed=reference.key_points if off_topic else signals.missed,
        flags=_flags(signals, calibration),
        delivery=delivery,
        signals=signals,
        loosely_covered=() if off_topic else _loosely_stated(signals, reference),
    )


# "No idea, I only ever used docker compose" comes near no key point: none said plainly
# and soft coverage under a quarter ("I know TLS puts the S in HTTPS, but the handshake
# steps, no, I really don't know them": 0.16). Answers that admit a gap and then answer
# sit far above (0.58 and 0.96 on the labelled sets).
_ADMITTED_COVERAGE = 0.25


def _says_nothing_else(
    text: str, signals: Signals, reference: Reference, embedder: Embedder
) -> bool:
    """An answer that admits not knowing says nothing else of the question: neither as a
    whole nor in what is left without the admission and the talk of experience ("I've only
    ever used SQS" comes near a point on SQS)."""
    if _states_nothing(signals):
        return True
    rest = said_besides_admission(text, reference.question)
    return (
        is_non_answer(rest)
        or is_question_echo(rest, reference.question)
        or _states_nothing(compute_signals(rest, reference, embedder))
    )


def _states_nothing(signals: Signals) -> bool:
    return signals.coverage < _ADMITTED_COVERAGE and not any(
        plainly_stated(signals.key_point_similarities)
    )


def _loosely_stated(signals: Signals, reference: Reference) -> tuple[str, ...]:
    plain = plainly_stated(signals.key_point_similarities)
    return tuple(
        point
        for point, said in zip(reference.key_points, plain, strict=True)
        if point in signals.covered and not said
    )


def _flags(signals: Signals, calibration: Calibration) -> tuple[str, ...]:
    flags = []
    if is_off_topic(signals, calibration):
        flags.append(f"off_topic:{signals.off_topic_card}")
    if signals.salad >= calibration.salad_threshold:
        flags.append("keyword_salad")
    if is_unrelated(signals, calibration):
        flags.append("unrelated")
    flags += [f"contradiction:{c}" for c in signals.contradictions]
    return tuple(flags)


def _zero(reference: Reference, delivery: Delivery, flags: tuple[str, ...]) -> GradeResult:
    return GradeResult(
        card_id=reference.card_id,
        grade=0.0,
        verdict=verdict_for(0.0),
        similarity=0.0,
        coverage=0.0,
        covered=(),
        missed=reference.key_points,
        flags=flags,
        delivery=delivery,
        signals=None,
    )
