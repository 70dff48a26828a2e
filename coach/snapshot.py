"""A JSON copy of the store's cards, so `coach practice` can ask before chromadb is imported.

Importing chromadb alone takes about a second; the first question has to be on screen in
under 1.5 s. The copy is only ever a head start: the session opens the store in the
background, grades against the store's own card, and rewrites the copy when they differ.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from coach.errors import StoreMissingError
from coach.models import Card

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.store import Store

FILE_NAME = "cards.json"


def snapshot_path(cache_dir: Path) -> Path:
    return cache_dir / FILE_NAME


def read_snapshot(path: Path, model_name: str) -> list[Card] | None:
    """The saved cards, or None when there is no usable copy (missing, damaged, other model)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("embed_model") != model_name:
            return None
        return [Card.model_validate(card) for card in raw["cards"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError):
        # A damaged copy costs a second, not a session: the store is the truth.
        return None


def write_snapshot(path: Path, cards: list[Card], model_name: str) -> None:
    """Replace the copy atomically (a kill mid-write leaves the old one or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"embed_model": model_name, "cards": [card.model_dump() for card in cards]}
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def known_cards(config: Settings) -> list[Card]:
    """The cards, from the copy when there is one, else from the store; [] with no store."""
    path = snapshot_path(config.cache_dir)
    cards = None if config.chroma_url else read_snapshot(path, config.embed_model_name)
    if cards is not None:
        return cards
    from coach.store import open_store

    try:
        store = open_store(str(config.store_dir), config.embed_model_name, config.chroma_url)
    except StoreMissingError:
        return []
    with store:
        return refresh_snapshot(config, store)


def refresh_snapshot(config: Settings, store: Store) -> list[Card]:
    """The store's cards, copied for the next session (a shared server's are never copied:
    others change them)."""
    cards = store.cards()
    if config.chroma_url:
        return cards
    # Only a head start: a full or read-only disk costs the next session a second, and
    # must not fail the ingest or the session that wanted it.
    with suppress(OSError):
        write_snapshot(snapshot_path(config.cache_dir), cards, config.embed_model_name)
    return cards
