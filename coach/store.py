"""The Chroma store: cards by question, reference answers, key points and note chunks.

We always pass vectors ourselves: Chroma's default embedding function downloads a model
at first use, which fails offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from coach.chroma import open_client, translate_failures
from coach.errors import StoreError, StoreMissingError
from coach.models import Card, Chunk
from coach.store_records import (
    card_from_metadata,
    card_metadata,
    chunk_from_row,
    chunk_metadata,
    key_point_id,
)

if TYPE_CHECKING:
    from chromadb.api.client import Client
    from chromadb.api.models.Collection import Collection

SCHEMA = 1
CARDS, REFERENCES, KEY_POINTS, CHUNKS = "cards", "references", "key_points", "chunks"
# Question and answer together: what a free-form `coach ask` should be matched against.
CARD_TEXTS = "card_texts"
_ALL = (CARDS, REFERENCES, CARD_TEXTS, KEY_POINTS, CHUNKS)
_PAGE = 5000


@dataclass(frozen=True)
class Match:
    """A stored card and how similar (cosine, -1..1) it is to a query."""

    card: Card
    similarity: float


class Store:
    """Cards, key points and chunks with their vectors; one instance per command."""

    def __init__(self, client: Client, model_name: str, location: str) -> None:
        self.client, self.model_name, self.location = client, model_name, location
        with translate_failures(location):
            meta = {"hnsw:space": "cosine", "embed_model": model_name, "schema": SCHEMA}
            self._collections = {
                name: client.get_or_create_collection(name, metadata=meta, embedding_function=None)
                for name in _ALL
            }
        self._check_model()

    def close(self) -> None:
        """Release the store's files and connections, as the end of the process would."""
        self.client.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_model(self) -> None:
        stored = (self._collections[CARDS].metadata or {}).get("embed_model")
        if stored and stored != self.model_name:
            raise StoreError(
                f"the store was built with embedding model {stored!r}, not {self.model_name!r}:"
                " run `coach ingest --rebuild`"
            )

    def _col(self, name: str) -> Collection:
        return self._collections[name]

    def reset(self) -> None:
        """Drop everything: `coach ingest --rebuild`."""
        with translate_failures(self.location):
            for name in _ALL:
                self.client.delete_collection(name)
        self.__init__(self.client, self.model_name, self.location)  # type: ignore[misc]

    # -- reading -------------------------------------------------------------

    def card_records(self) -> dict[str, dict[str, Any]]:
        """Every card's stored metadata by id, without vectors."""
        out: dict[str, dict[str, Any]] = {}
        with translate_failures(self.location):
            for ids, metas in self._pages(CARDS, ["metadatas"]):
                out.update(zip(ids, metas, strict=True))
        return out

    def cards(self, topic: str | None = None) -> list[Card]:
        """All cards in notes order (file, then line)."""
        cards = [card_from_metadata(card_id, meta) for card_id, meta in self.card_records().items()]
        if topic:
            cards = [c for c in cards if c.topic.lower() == topic.lower()]
        return sorted(cards, key=lambda c: (c.source, c.line))

    def chunk_ids_by_source(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        with translate_failures(self.location):
            for ids, metas in self._pages(CHUNKS, ["metadatas"]):
                for chunk_id, meta in zip(ids, metas, strict=True):
                    out.setdefault(str(meta["source"]), set()).add(chunk_id)
        return out

    def count(self, name: str = CARDS) -> int:
        with translate_failures(self.location):
            return self._col(name).count()

    def nearest_cards(self, vector: np.ndarray, n: int = 5) -> list[Match]:
        """Cards whose question is nearest to `vector`, nearest first."""
        return self._nearest(CARDS, vector, n)

    def nearest_card_texts(self, vector: np.ndarray, n: int = 5) -> list[Match]:
        """Cards whose question and answer together are nearest to `vector`."""
        return self._nearest(CARD_TEXTS, vector, n)

    def _nearest(self, name: str, vector: np.ndarray, n: int) -> list[Match]:
        total = self.count(name)
        if total == 0:
            return []
        with translate_failures(self.location):
            got: Any = self._col(name).query(
                query_embeddings=vector.astype(np.float32)[None, :], n_results=min(n, total)
            )
        ids, distances = got["ids"][0], got["distances"][0]
        records = (
            self._metas(ids) if name != CARDS else dict(zip(ids, got["metadatas"][0], strict=True))
        )
        return [
            Match(card=card_from_metadata(i, records[i]), similarity=1.0 - float(d))
            for i, d in zip(ids, distances, strict=True)
            if i in records
        ]

    def _metas(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        with translate_failures(self.location):
            got: Any = self._col(CARDS).get(ids=ids, include=["metadatas"])
        return dict(zip(got["ids"], got["metadatas"], strict=True))

    def key_point_vectors(self, card: Card) -> np.ndarray:
        """The stored vectors of a card's key points, in key-point order."""
        ids = [key_point_id(card.id, i) for i in range(len(card.key_points))]
        with translate_failures(self.location):
            got: Any = self._col(KEY_POINTS).get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.asarray([by_id[i] for i in ids if i in by_id], dtype=np.float32)

    def reference_vectors(self, card_ids: list[str] | None = None) -> dict[str, np.ndarray]:
        """Reference-answer vectors by card id (all cards when `card_ids` is None)."""
        return self._vectors(REFERENCES, card_ids)

    def card_text_vectors(self, card_ids: list[str] | None = None) -> dict[str, np.ndarray]:
        """Question-plus-answer vectors by card id (all cards when `card_ids` is None)."""
        return self._vectors(CARD_TEXTS, card_ids)

    def _vectors(self, name: str, card_ids: list[str] | None) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with translate_failures(self.location):
            pages: Iterable[tuple[list[str], Any]]
            if card_ids is not None:
                got: Any = self._col(name).get(ids=card_ids, include=["embeddings"])
                pages = [(got["ids"], got["embeddings"])]
            else:
                pages = self._pages(name, ["embeddings"])
            for ids, vectors in pages:
                out.update(zip(ids, np.asarray(vectors, dtype=np.float32), strict=True))
        return out

    def nearest_chunks(self, vector: np.ndarray, n: int = 3) -> list[Chunk]:
        total = self.count(CHUNKS)
        if total == 0:
            return []
        with translate_failures(self.location):
            got: Any = self._col(CHUNKS).query(
                query_embeddings=vector.astype(np.float32)[None, :], n_results=min(n, total)
            )
        rows = zip(got["ids"][0], got["documents"][0], got["metadatas"][0], strict=True)
        return [chunk_from_row(i, doc, meta) for i, doc, meta in rows]

    def _pages(self, name: str, include: list[str]) -> Iterator[tuple[list[str], list[Any]]]:
        offset = 0
        while True:
            got = self._col(name).get(include=include, limit=_PAGE, offset=offset)  # type: ignore[arg-type]
            if not got["ids"]:
                return
            yield got["ids"], list(got[include[0]])  # type: ignore[literal-required]
            offset += len(got["ids"])

    # -- writing -------------------------------------------------------------

    def put_cards(
        self,
        cards: list[Card],
        question_vectors: np.ndarray,
        answer_vectors: np.ndarray,
        text_vectors: np.ndarray,
        key_point_vectors: list[np.ndarray],
    ) -> None:
        """Write cards with their vectors. The card row goes last: it marks the card complete,
        so a process killed half-way leaves a card that the next ingest simply redoes."""
        if not cards:
            return
        with translate_failures(self.location):
            self._delete_key_points(self._metas([c.id for c in cards]))
            kp_ids: list[str] = []
            kp_vecs: list[np.ndarray] = []
            kp_metas: list[Any] = []
            for card, vectors in zip(cards, key_point_vectors, strict=True):
                for index, (_, vector) in enumerate(zip(card.key_points, vectors, strict=True)):
                    kp_ids.append(key_point_id(card.id, index))
                    kp_vecs.append(vector)
                    kp_metas.append({"card_id": card.id, "index": index})
            # No Chroma documents here or for cards: the texts already live in the card's
            # metadata, and a document is full-text indexed, which cost a third of the
            # write time of a large ingest for text nothing ever searches.
            if kp_ids:
                self._col(KEY_POINTS).upsert(
                    ids=kp_ids, embeddings=np.asarray(kp_vecs), metadatas=kp_metas
                )
            ids = [c.id for c in cards]
            self._col(REFERENCES).upsert(ids=ids, embeddings=answer_vectors)
            self._col(CARD_TEXTS).upsert(ids=ids, embeddings=text_vectors)
            self._col(CARDS).upsert(
                ids=ids, embeddings=question_vectors, metadatas=[card_metadata(c) for c in cards]
            )

    def put_card_metadata(self, cards: list[Card]) -> None:
        """Record a card's new topic or line without touching its vectors."""
        if cards:
            with translate_failures(self.location):
                self._col(CARDS).update(
                    ids=[c.id for c in cards], metadatas=[card_metadata(c) for c in cards]
                )

    def delete_cards(self, card_ids: list[str]) -> None:
        """Card rows first, so a kill half-way never leaves a card without its vectors."""
        if not card_ids:
            return
        records = self._metas(card_ids)
        with translate_failures(self.location):
            self._col(CARDS).delete(ids=card_ids)
            self._col(REFERENCES).delete(ids=card_ids)
            self._col(CARD_TEXTS).delete(ids=card_ids)
            self._delete_key_points(records)

    def delete_orphans(self) -> None:
        """Vectors whose card row is gone (a kill between writes) are dropped."""
        live = set(self.card_records())
        with translate_failures(self.location):
            for name in (REFERENCES, CARD_TEXTS, KEY_POINTS):
                ids = self._col(name).get(include=[])["ids"]
                dead = [i for i in ids if i.split("#", 1)[0] not in live]
                if dead:
                    self._col(name).delete(ids=dead)

    def put_chunks(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        if chunks:
            with translate_failures(self.location):
                self._col(CHUNKS).upsert(
                    ids=[c.id for c in chunks],
                    embeddings=vectors,
                    documents=[c.text for c in chunks],
                    metadatas=[chunk_metadata(c) for c in chunks],
                )

    def delete_chunks(self, chunk_ids: list[str]) -> None:
        if chunk_ids:
            with translate_failures(self.location):
                self._col(CHUNKS).delete(ids=chunk_ids)

    def _delete_key_points(self, records: dict[str, dict[str, Any]]) -> None:
        """Every key-point vector the given card records say they have."""
        stale = [
            key_point_id(card_id, i)
            for card_id, meta in records.items()
            for i in range(int(meta.get("key_point_count", 0)))
        ]
        if stale:
            self._col(KEY_POINTS).delete(ids=stale)


def open_store(
    store_dir: str, model_name: str, chroma_url: str | None = None, create: bool = False
) -> Store:
    """Open (or with `create`, make) the store; StoreMissingError when there is none yet."""
    client = open_client(store_dir, chroma_url, create)
    try:
        store = Store(client, model_name, chroma_url or store_dir)
        if not create and store.count() == 0:
            raise StoreMissingError("no notes ingested yet: run `coach ingest` first")
    except BaseException:
        client.close()
        raise
    return store
