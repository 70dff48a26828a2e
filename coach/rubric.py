"""The LLM rubric: what we send (prompt templates filled in) and what must come back.

The reply is a pydantic model (instructor-style); the strict JSON schema sent as
`response_format` is built from it, so the two cannot drift apart.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from coach.config import bundled_dir

SCHEMA_NAME = "interview_rubric"
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def _clamp_level(value: Any) -> Any:
    """Numbers become a whole level on 0-5; anything else is left for pydantic to judge."""
    if isinstance(value, bool):
        raise ValueError("a level is a number from 0 to 5, not true/false")
    if not isinstance(value, int | float):
        return value
    return int(min(5.0, max(0.0, round(float(value)))))


# The schema says "integer"; range limits are stated in descriptions rather than as
# minimum/maximum, which some OpenAI-compatible servers reject in strict mode.
Level = Annotated[int, BeforeValidator(_clamp_level)]


class RubricReply(BaseModel):
    """An interview answer graded on the rubric."""

    # Field order is the order the model writes in: evidence first, then the numbers,
    # then the coaching, so the grade is written after the key points are weighed.
    model_config = ConfigDict(extra="forbid")

    covered_key_points: list[str] = Field(
        description="Key points from the list that the answer states, in any wording."
    )
    missed_key_points: list[str] = Field(
        description="Key points from the list that the answer does not state."
    )
    misconceptions: list[str] = Field(
        description="Each false or misleading claim in the answer, one short sentence each."
    )
    correctness: Level = Field(description="0-5: are the claims true?")
    completeness: Level = Field(description="0-5: how many key points are covered?")
    clarity: Level = Field(description="0-5: is the explanation clear (content, not fluency)?")
    depth: Level = Field(description="0-5: does it show understanding beyond recall?")
    grade: Level = Field(description="0-5: the overall grade on the rubric's scale.")
    feedback: str = Field(description="One paragraph of feedback addressed to the candidate.")
    better_answer: str = Field(
        description="A stronger answer in the candidate's own voice, as they would say it."
    )
    follow_up_question: str = Field(
        description="The question a careful interviewer would ask next."
    )


def rubric_json_schema() -> dict[str, object]:
    """The `json_schema` object for `response_format`, in OpenAI's strict form."""
    return {"name": SCHEMA_NAME, "strict": True, "schema": strict_schema(RubricReply)}


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with every object closed and every property required,
    which OpenAI's strict mode demands; defaults and titles are dropped."""
    schema = copy.deepcopy(model.model_json_schema())
    _close(schema)
    return schema


def _close(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _close(item)
        return
    if not isinstance(node, dict):
        return
    node.pop("default", None)
    node.pop("title", None)
    if isinstance(node.get("properties"), dict):
        node["additionalProperties"] = False
        node["required"] = list(node["properties"])
    for key, value in node.items():
        if key in ("properties", "$defs"):
            for sub in value.values():
                _close(sub)
        elif key in ("items", "anyOf", "oneOf", "allOf", "prefixItems"):
            _close(value)


@dataclass(frozen=True)
class RubricInput:
    """Everything the rubric prompt is filled with.

    For a follow-up, `question` is the follow-up and `follow_up_of` the card's question;
    the reference and key points stay the card's, as background.
    """

    question: str
    reference: str
    key_points: tuple[str, ...]
    answer: str
    context: tuple[str, ...] = ()
    follow_up_of: str | None = None


def follow_up_input(card: RubricInput, follow_up: str, answer: str) -> RubricInput:
    """The input for grading an answer to the interviewer's follow-up on the same card."""
    return replace(
        card, question=follow_up, answer=answer, follow_up_of=card.follow_up_of or card.question
    )


def load_template(name: str, prompts_dir: Path | None = None) -> str:
    """A prompt template from the bundled prompts/ folder (or `prompts_dir`)."""
    folder = prompts_dir or bundled_dir("prompts")
    return (folder / name).read_text(encoding="utf-8")


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace each `{{name}}` in one pass, so text inside a value is never re-expanded."""
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def answer_fence(answer: str) -> str:
    """A delimiter derived from the answer's own hash: the answer cannot contain it,
    so it cannot forge the end of its data block."""
    return "ANSWER-" + hashlib.sha256(answer.encode("utf-8")).hexdigest()[:16]


def rubric_messages(item: RubricInput, prompts_dir: Path | None = None) -> list[dict[str, str]]:
    """The system and user chat messages for one answer."""
    fence = answer_fence(item.answer)
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(item.key_points, 1)) or "(none listed)"
    context = "\n\n".join(f"[{i}] {c.strip()}" for i, c in enumerate(item.context, 1))
    if item.follow_up_of:
        task = (
            "This is a FOLLOW-UP question, asked after the card question "
            f'"{item.follow_up_of}". The reference and key points below belong to that card: '
            "use them and the notes as background, and judge the answer to the follow-up "
            "with your knowledge of the field. List as key points the claims a good answer "
            "to the follow-up needs."
        )
    else:
        task = "Grade the answer to the card question against the reference and its key points."
    values = {
        "task": task,
        "question": item.question.strip(),
        "reference": item.reference.strip(),
        "key_points": points,
        "context": context or "(no further notes)",
        "fence": fence,
        "answer": item.answer,
    }
    system = fill_template(load_template("rubric_system.md", prompts_dir), values)
    user = fill_template(load_template("rubric_user.md", prompts_dir), values)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def parse_rubric_reply(content: str) -> RubricReply:
    """Validate the model's JSON text; raises pydantic.ValidationError when off-schema."""
    return RubricReply.model_validate_json(content)
