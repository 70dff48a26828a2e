"""The values that cross stage boundaries: cards, chunks and parse warnings."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict


def score_for(grade: float) -> int:
    """A 0-5 grade on the 0-100 `score` scale of the JSON output."""
    return round(grade * 20)


class Card(BaseModel):
    """One question with its reference answer, as written in the notes."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    question: str
    answer: str
    key_points: list[str]
    source: str
    line: int

    @property
    def content_hash(self) -> str:
        """What the vectors depend on: a change here means re-embedding."""
        payload = json.dumps([self.question, self.answer, self.key_points])
        return hashlib.sha1(payload.encode()).hexdigest()

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}"

    def to_json(self) -> dict[str, object]:
        """The `coach cards --json` shape fixed by DESIGN.md."""
        return {
            "id": self.id,
            "topic": self.topic,
            "question": self.question,
            "answer": self.answer,
            "key_points": list(self.key_points),
            "source": self.location,
        }


class Chunk(BaseModel):
    """A passage of notes kept as context for retrieval, not asked as a question."""

    model_config = ConfigDict(frozen=True)

    id: str
    topic: str
    text: str
    source: str
    line: int

    @property
    def content_hash(self) -> str:
        return hashlib.sha1(self.text.encode()).hexdigest()


class ParseWarning(BaseModel):
    """Something in a notes file we could not use as written."""

    model_config = ConfigDict(frozen=True)

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class ParsedNotes(BaseModel):
    """What one notes file yields."""

    source: str
    cards: list[Card] = []
    chunks: list[Chunk] = []
    warnings: list[ParseWarning] = []
