"""JSON Lines input for `coach grade --batch` and `coach eval`: each line a row or an error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from coach.errors import InputError


class GradeRow(BaseModel):
    """One answer to grade; fields other than these are ignored."""

    model_config = ConfigDict(extra="ignore")

    # Given back exactly as it came (1 stays 1, "1" stays "1"), so callers can join on it.
    id: str | int
    question: str
    answer: str
    reference: str | None = None
    score: float | None = Field(default=None, ge=0, le=5)
    kind: str = ""

    @field_validator("answer", mode="before")
    @classmethod
    def _null_answer_is_empty(cls, value: object) -> object:
        return "" if value is None else value


@dataclass(frozen=True)
class RowError:
    """A line that is not a usable row; `id` when the line at least had one."""

    line: int
    id: str | int | None
    message: str

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "error": f"line {self.line}: {self.message}"}


def read_rows(path: Path) -> Iterator[GradeRow | RowError]:
    """Rows in file order; a broken line yields a RowError and reading goes on."""
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield parse_row(line, number)


def parse_row(line: str, number: int) -> GradeRow | RowError:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        return RowError(number, None, f"not valid JSON ({exc.msg})")
    if not isinstance(raw, dict):
        return RowError(number, None, "not a JSON object")
    row_id = raw["id"] if isinstance(raw.get("id"), str | int) else None
    try:
        return GradeRow.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'row'}: {e['msg'].lower()}"
            for e in exc.errors()
        )
        return RowError(number, row_id, problems)
