"""The packaged model run by onnxruntime: same vectors as sentence-transformers, a fraction
of the start-up.

A process that imports sentence-transformers spends 5-10 s before it embeds anything;
onnxruntime + tokenizers (already installed with chromadb) import in about 0.5 s. So the
packaged model is exported to ONNX once (this needs torch, imported only then) and cached
under COACH_HOME; every later process embeds with onnxruntime, tokenizers and numpy only.
"""

from __future__ import annotations

import hashlib
import os
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach.config import PACKAGED_MODEL
from coach.embedding import TokenVectors, token_vectors
from coach.errors import EmbeddingError

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Encoding, Tokenizer
    from torch import nn

# The model's own limit (sentence_bert_config.json); the packaged tokenizer.json says 128,
# which would silently cut long answers short of what sentence-transformers sees.
MAX_TOKENS = 256
# A batch is padded to its longest text, and attention grows with the square of that
# length: batches are cut by padded tokens, not by count, so one 256-piece answer among
# fifty short clauses costs ~1 s and ~300 MB, not ~8 s and ~1.3 GB (dev set, 2 cores).
# 512 rather than more: activations stay in cache (2,500 card texts on both cores: 3.64 s
# at 512, 3.82 s at 1,024), and warm grading p95 fell from 41 to 33 ms.
BATCH_TOKENS = 512
BATCH_SIZE = 256
DIMENSIONS = 384
OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_path(model_dir: Path, cache_dir: Path) -> Path:
    """Where the export of `model_dir` is cached; the name changes when the weights do."""
    weights = model_dir / "model.safetensors"
    # Size and config, not a hash of 90 MB of weights: this runs on every cold start.
    stamp = f"{weights.stat().st_size if weights.exists() else 0}:{OPSET}:"
    digest = hashlib.sha256(stamp.encode() + (model_dir / "config.json").read_bytes())
    return cache_dir / "onnx" / f"{PACKAGED_MODEL}-{digest.hexdigest()[:12]}.onnx"


def can_export() -> bool:
    """True when torch, transformers and onnx are importable (checked without importing)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("torch", "transformers", "onnx"))


def can_run() -> bool:
    """True when the run-time parts (onnxruntime, tokenizers) are importable."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnxruntime", "tokenizers"))


def export_onnx(model_dir: Path, target: Path) -> Path:
    """Export the transformer of `model_dir` to `target`, atomically; returns `target`.

    Written to a temporary file and renamed, so a process killed mid-export never
    leaves a truncated model that later runs would trust. Two processes exporting at
    once each rename a complete, identical file.
    """
    # Imported here: transformers costs seconds, and this runs at most once.
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    # Library code never prints: no weight-loading bar on the user's terminal.
    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        model = AutoModel.from_pretrained(str(model_dir)).eval()
        _trace_to_onnx(_last_hidden_state_only(model), temporary)
        os.replace(temporary, target)
    except (OSError, RuntimeError, ValueError) as exc:
        raise EmbeddingError(f"cannot export the embedding model to ONNX: {exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _trace_to_onnx(model: nn.Module, path: Path) -> None:
    """Trace `model` into an ONNX file whose batch and sequence axes stay free."""
    import torch

    dummy = torch.ones((2, 8), dtype=torch.long)
    with torch.no_grad(), warnings.catch_warnings():
        # The tracer warns about Python control flow in the model; the graph is right.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            (dummy, dummy, torch.zeros_like(dummy)),
            str(path),
            input_names=list(_INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes={
                **{name: {0: "batch", 1: "sequence"} for name in _INPUTS},
                "last_hidden_state": {0: "batch", 1: "sequence"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def _last_hidden_state_only(model: nn.Module) -> nn.Module:
    """Wrap a transformers model so the traced graph returns only `last_hidden_state`."""
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(
            self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor
        ) -> torch.Tensor:
            out = self.inner(input_ids=ids, attention_mask=mask, token_type_ids=types)
            return out.last_hidden_state

    return LastHiddenState(model)


class OnnxEmbedder:
    """all-MiniLM-L6-v2 via onnxruntime: mean pooling over the attention mask, then L2 norm.

    Reports the same `name` as the sentence-transformers embedder: the vectors are the same
    (cosine >= 0.9999, see tests/test_onnx_embedding.py), so a store built by one is
    read by the other without a rebuild.
    """

    def __init__(
        self,
        model_dir: Path,
        model_file: Path,
        threads: int | None = None,
        throughput: bool = False,
    ) -> None:
        self.name = PACKAGED_MODEL
        self.model_dir, self.model_file = model_dir, model_file
        self.threads = threads or _cores()
        # A bulk ingest has many batches to run: one single-threaded run per core at once
        # beats every run split over the cores, which wait for each other at every layer
        # (2,300 card texts: 5.1 s against 5.8 s). One answer is one batch: it needs them all.
        self.throughput = throughput
        self._session: InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        # `coach practice` may warm the model in a background thread while the CLI asks.
        self._lock = threading.Lock()

    @property
    def is_exported(self) -> bool:
        """False until the one-time export (~5-10 s, needs torch) has been made."""
        return self.model_file.exists()

    def _load(self) -> tuple[InferenceSession, Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                if not self.is_exported:
                    export_onnx(self.model_dir, self.model_file)
                intra_op = 1 if self.throughput else self.threads
                self._session = _open_session(self.model_file, intra_op)
                self._tokenizer = _open_tokenizer(self.model_dir)
            return self._session, self._tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for `texts`, in order; an empty string embeds like any other."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)

        def pool(part: list[int], hidden: np.ndarray, mask: np.ndarray) -> None:
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[part] = pooled / np.clip(norms, 1e-12, None)

        self._run(texts, pool)
        return out

    def embed_tokens(self, texts: list[str]) -> list[TokenVectors]:
        """Each text's word pieces in context (the same pass as `embed`, before pooling)."""
        hidden: dict[int, np.ndarray] = {}

        def keep(part: list[int], states: np.ndarray, mask: np.ndarray) -> None:
            for row, index in enumerate(part):
                hidden[index] = states[row, : int(mask[row].sum())]

        encodings = self._run(texts, keep)
        return [
            token_vectors(text, encoding.offsets, encoding.word_ids, hidden[i])
            for i, (text, encoding) in enumerate(zip(texts, encodings, strict=True))
        ]

    def _run(
        self, texts: list[str], use: Callable[[list[int], np.ndarray, np.ndarray], None]
    ) -> list[Encoding]:
        """Run the model over `texts` in length-sorted batches; `use(rows, hidden, mask)`
        takes each batch's last hidden state. Returns the texts' encodings."""
        if not texts:
            return []
        session, tokenizer = self._load()
        encodings = tokenizer.encode_batch(list(texts))
        ids = [encoding.ids for encoding in encodings]
        parts = _batches(sorted(range(len(ids)), key=lambda i: len(ids[i])), ids)

        def run(part: list[int]) -> None:
            use(part, *_hidden_state(session, [ids[i] for i in part]))

        if self.throughput and self.threads > 1 and len(parts) > 1:
            # onnxruntime releases the GIL and a session takes concurrent runs.
            with ThreadPoolExecutor(self.threads) as pool:
                list(pool.map(run, parts))
        else:
            for part in parts:
                run(part)
        return encodings


def _hidden_state(session: InferenceSession, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The model's last hidden state for a batch of token ids, and the padding mask."""
    width = max(len(row) for row in ids)
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for row, tokens in enumerate(ids):
        input_ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    types = np.zeros_like(mask)  # one segment: the model still requires the input
    feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": types}
    (hidden,) = session.run(["last_hidden_state"], feeds)
    return hidden, mask


def _open_session(model_file: Path, threads: int) -> InferenceSession:
    # Imported here: ~0.2 s, and commands that never embed must not pay it.
    import onnxruntime
    from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidProtobuf

    options = onnxruntime.SessionOptions()
    # The default pool size can miss the cores a container grants; one op at a time.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Busy-waiting workers fight the rest of the machine for its 2 cores: measured on
    # a shared box, 10 ms per short answer without spinning against 22 ms with it.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3
    try:
        return onnxruntime.InferenceSession(
            str(model_file), options, providers=["CPUExecutionProvider"]
        )
    except (Fail, InvalidProtobuf) as exc:  # e.g. a cache file damaged on disk
        raise EmbeddingError(f"cannot load {model_file} ({exc}); delete it to re-export") from exc


def _open_tokenizer(model_dir: Path) -> Tokenizer:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    # We pad ourselves, per batch of similar lengths (see BATCH_TOKENS).
    tokenizer.no_padding()
    return tokenizer


def _batches(order: list[int], ids: list[list[int]]) -> list[list[int]]:
    """Cut `order` (indices sorted by length) into runs of at most BATCH_TOKENS padded tokens."""
    batches: list[list[int]] = [[]]
    for index in order:
        batch = batches[-1]
        # Sorted ascending, so this text is the longest of the batch if it joins.
        padded = (len(batch) + 1) * len(ids[index])
        # Padding a 5-piece clause to a 75-piece answer costs more than another run of
        # the model: a text over twice the batch's shortest starts a new batch.
        too_long = bool(batch) and len(ids[index]) > 2 * len(ids[batch[0]]) + 8
        if batch and (padded > BATCH_TOKENS or len(batch) == BATCH_SIZE or too_long):
            batches.append(batch := [])
        batch.append(index)
    return batches


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
