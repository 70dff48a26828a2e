"""Cards and chunks as Chroma rows: ids and metadata out, model objects back in.

Chroma metadata holds only flat scalars, so a card's key points travel as JSON.
"""

from __future__ import annotations

import json
from typing import Any

from coach.models import Card, Chunk


def key_point_id(card_id: str, index: int) -> str:
    """The id of a card's `index`-th key-point vector."""
    return f"{card_id}#{index}"


def card_metadata(card: Card) -> dict[str, str | int]:
    """Everything about a card but its vectors, as a Chroma metadata row."""
    return {
        "topic": card.topic,
        "question": card.question,
        "answer": card.answer,
        "key_points": json.dumps(card.key_points, ensure_ascii=False),
        "key_point_count": len(card.key_points),
        "source": card.source,
        "line": card.line,
        "hash": card.content_hash,
    }


def card_from_metadata(card_id: str, meta: dict[str, Any]) -> Card:
    """The card a `card_metadata` row describes."""
    return Card(
        id=card_id,
        topic=str(meta["topic"]),
        question=str(meta["question"]),
        answer=str(meta["answer"]),
        key_points=json.loads(str(meta["key_points"])),
        source=str(meta["source"]),
        line=int(meta["line"]),
    )


def chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    """Where a prose chunk of the notes comes from (its text is the Chroma document)."""
    return {"topic": chunk.topic, "source": chunk.source, "line": chunk.line}


def chunk_from_row(chunk_id: str, text: str | None, meta: dict[str, Any]) -> Chunk:
    """The chunk a Chroma row (id, document, metadata) describes."""
    return Chunk(
        id=chunk_id,
        text=text or "",
        topic=str(meta["topic"]),
        source=str(meta["source"]),
        line=int(meta["line"]),
    )
