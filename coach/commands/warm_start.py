"""A session's cards at once, the grader loading behind them.

The first question is drawn from a JSON copy of the cards (coach.snapshot) while the store
and the embedding model load in a background thread, so it is on screen before chromadb is
even imported. On a first run the bundled notes are ingested first, with progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.background import Background
    from coach.config import Settings
    from coach.embedding import Embedder
    from coach.models import Card
    from coach.practice_grading import PracticeGrader
    from coach.store import Store


@dataclass
class Ready:
    """What the background thread hands over: a grader, and the store's current cards."""

    grader: PracticeGrader
    cards: list[Card]
    store: Store


def load_grading(config: Settings, store: Store | None, embedder: Embedder | None) -> Ready:
    """Open the store and load the model (the slow part); refresh the card copy."""
    from coach.commands.common import load_embedder, open_store
    from coach.practice_grading import make_practice_grader
    from coach.snapshot import refresh_snapshot

    store = store or open_store(config)
    grader = make_practice_grader(config, store, embedder or load_embedder(config))
    grader.prepare()
    return Ready(grader, refresh_snapshot(config, store), store)


def open_or_ingest(config: Settings) -> tuple[Store, Embedder | None]:
    """The store; on a first run, the bundled notes ingested into it first (with progress)."""
    from coach.cli import stderr
    from coach.commands.common import load_embedder, open_store
    from coach.config import bundled_dir
    from coach.ingest import ingest
    from coach.render import IngestProgress, ingest_summary

    store = open_store(config, create=True)
    if store.count() > 0:
        return store, None
    stderr.print("No notes in your store yet: reading the bundled notes first.")
    embedder = load_embedder(config)
    with IngestProgress(stderr) as progress:
        report = ingest(
            [bundled_dir("knowledge")],
            store,
            lambda: embedder,
            on_start=progress.start,
            on_progress=progress.advance,
        )
    stderr.print(ingest_summary(report))
    return store, embedder


def load_deck(config: Settings) -> tuple[list[Card], Background[Ready], bool]:
    """The cards at once, and the grader still loading; True when the cards came from the
    store itself rather than from the copy."""
    from coach.background import Background, finished
    from coach.snapshot import read_snapshot, snapshot_path

    has_store = (config.store_dir / "chroma.sqlite3").exists()
    if has_store and not config.chroma_url:
        cards = read_snapshot(snapshot_path(config.cache_dir), config.embed_model_name)
        if cards:
            return cards, Background(lambda: load_grading(config, None, None)), False
    store, embedder = open_or_ingest(config)
    if embedder is not None:
        # Just ingested: the model is loaded already, nothing is left to do in the background.
        done = load_grading(config, store, embedder)
        return done.cards, finished(done), True
    return store.cards(), Background(lambda: load_grading(config, store, None)), True
