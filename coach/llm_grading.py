"""The offline grade combined with the LLM rubric: `mode: "llm"` when the model answered,
else the offline grade with a flag saying why not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.calibration import verdict_for
from coach.errors import RubricError
from coach.models import score_for
from coach.rubric import RubricInput, RubricReply

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.grading import GradeResult

# Two rubric levels apart (e.g. 4 vs 2) is a different judgement, not noise: worth a flag.
DISAGREEMENT = 2.0
# The offline injection detector is pattern-based and does not trust the model: an answer
# that tries to steer the grader keeps at most 1 even if the model went along with it.
INJECTION_CAP = 1.0

RubricRequest = Callable[["Settings", RubricInput], RubricReply]


@dataclass(frozen=True)
class CombinedGrade:
    """A grade for output and history: the offline evidence, and the rubric if there is one."""

    offline: GradeResult
    mode: str
    grade: float
    flags: tuple[str, ...]
    rubric: RubricReply | None = None
    llm_error: str | None = None

    @property
    def score(self) -> int:
        """The grade on 0-100."""
        return score_for(self.grade)

    @property
    def verdict(self) -> str:
        return verdict_for(self.grade)

    @property
    def follow_up(self) -> str | None:
        """The interviewer's next question (LLM mode only)."""
        if self.rubric is None:
            return None
        return self.rubric.follow_up_question.strip() or None

    def to_json(self) -> dict[str, object]:
        """The grader's fields of a `coach grade` row; in llm mode also the rubric under "llm"."""
        row = self.offline.to_json()
        row.update(
            grade=self.grade,
            score=self.score,
            verdict=self.verdict,
            mode=self.mode,
            flags=list(self.flags),
        )
        if self.rubric is not None:
            row["llm"] = self.rubric.model_dump()
        return row


def offline_only(offline: GradeResult, flags: tuple[str, ...] = ()) -> CombinedGrade:
    """The offline grade as it stands, with extra `flags`."""
    return CombinedGrade(
        offline=offline, mode="offline", grade=offline.grade, flags=(*offline.flags, *flags)
    )


def combine(offline: GradeResult, reply: RubricReply, compare: bool = True) -> CombinedGrade:
    """The rubric's grade, clamped and capped, with the offline signals kept alongside.

    `compare=False` skips the disagreement flag: for a follow-up the offline grade
    measures the answer against the card's reference, not against the follow-up.
    """
    grade = float(min(5.0, max(0.0, reply.grade)))
    flags = list(offline.flags)
    if "injection" in offline.flags and grade > INJECTION_CAP:
        grade = INJECTION_CAP
        flags.append("llm_capped:injection")
    if compare and abs(grade - offline.grade) >= DISAGREEMENT:
        flags.append("llm_disagrees")
    return CombinedGrade(offline=offline, mode="llm", grade=grade, flags=tuple(flags), rubric=reply)


def grade_with_llm(
    offline: GradeResult,
    item: RubricInput,
    settings: Settings,
    request: RubricRequest | None = None,
) -> CombinedGrade:
    """Ask the LLM rubric when one is configured; on any RubricError keep the offline grade,
    flagged `llm_error:<code>`, with the one-line reason in `llm_error`."""
    if not settings.llm_configured:
        return offline_only(offline)
    if request is None:
        from coach.llm import request_rubric

        request = request_rubric
    try:
        reply = request(settings, item)
    except RubricError as exc:
        code = getattr(exc, "code", "error")
        return CombinedGrade(
            offline=offline,
            mode="offline",
            grade=offline.grade,
            flags=(*offline.flags, f"llm_error:{code}"),
            llm_error=str(exc),
        )
    return combine(offline, reply, compare=item.follow_up_of is None)


def offline_reason(settings: Settings) -> str | None:
    """Why grading is offline, as the one line to say once; None when the LLM will be asked."""
    if settings.llm_configured:
        return None
    if settings.offline:
        return "grading offline (COACH_OFFLINE=1 or --offline)"
    if not settings.llm_model and settings.openai_api_key is None and not settings.openai_base_url:
        return "grading offline: no LLM configured (see `coach doctor`)"
    if not settings.llm_model:
        return "grading offline: set COACH_LLM_MODEL to use the LLM rubric"
    return "grading offline: set OPENAI_BASE_URL or OPENAI_API_KEY to use the LLM rubric"
