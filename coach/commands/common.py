"""What several commands share: opening the store and loading the embedder for Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.embedding import Embedder
    from coach.store import Store


def open_store(config: Settings, create: bool = False) -> Store:
    from coach import store

    return store.open_store(
        str(config.store_dir), config.embed_model_name, config.chroma_url, create=create
    )


def load_embedder(config: Settings, throughput: bool = False) -> Embedder:
    """The configured embedder; says so on stderr before the one-time model export."""
    from coach.embedding import load_embedder as load

    embedder = load(config.embed_model, cache_dir=config.cache_dir, throughput=throughput)
    if getattr(embedder, "is_exported", True) is False:
        from coach.cli import stderr

        stderr.print("Preparing the embedding model for fast start-up (once, ~5-10 s)…")
    return embedder
