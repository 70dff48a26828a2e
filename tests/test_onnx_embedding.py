"""The ONNX embedder must give sentence-transformers' vectors: a store built by one is read
by the other under the same model name."""

from __future__ import annotations

import json
import random
from contextlib import ExitStack
from pathlib import Path

import numpy as np
import pytest

from coach.config import PACKAGED_MODEL, Settings, bundled_dir
from coach.embedding import (
    Embedder,
    SentenceTransformerEmbedder,
    load_embedder,
    packaged_model_path,
)
from coach.errors import EmbeddingError
from coach.grader import Grader
from coach.ingest import ingest
from coach.notes import parse_file
from coach.onnx_embedding import MAX_TOKENS, OnnxEmbedder, onnx_path
from coach.store import open_store

_LATEX = [
    r"$O = \frac{W - K + 2P}{S} + 1$",
    r"$h_t = f(W_h h_{t-1} + W_x x_t)$",
    r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"$\nabla_\theta \mathcal{L} = \mathbb{E}[\,\cdot\,]$ and $\sum_{i=1}^{n} x_i^2$",
    r"\begin{align} y &= F(x) + x \\ z &= \sigma(Wy + b) \end{align}",
]
_UNICODE = [
    "Ÿ café naïve résumé — “quoted” ‘text’ …",
    "注意力机制让每个词关注序列中的所有其他词。",
    "トランスフォーマーは自己注意を使う",
    "Трансформер использует механизм внимания",
    "المحوّل يستخدم آلية الانتباه",
    "emoji 🚀🤖🧠 and a zero\u200bwidth space",
    "∀x ∈ ℝ: ‖x‖₂ ≥ 0, α β γ δ ∑ ∏ ∫",
    "\t tabs\tand\nnew\nlines \r\n",
]


def varied_texts() -> list[str]:
    """200 texts: empty, short, the bundled notes, LaTeX, unicode, and > 256 word pieces."""
    cards = parse_file(bundled_dir("knowledge") / "dl-architectures.txt").cards
    notes = [c.question for c in cards] + [c.answer for c in cards]
    rng = random.Random(7)
    words = " ".join(notes).split()
    long = [" ".join(rng.choices(words, k=rng.randint(300, 400))) for _ in range(4)]
    short = ["", " ", "\n", "a", "x", "ReLU", "LSTM?", "yes", "I don't know", "0"]
    texts = short + _LATEX + _UNICODE + long + notes
    while len(texts) < 200:
        texts.append(" ".join(rng.choices(words, k=rng.randint(3, 20))))
    return texts[:200]


@pytest.fixture(scope="module")
def reference() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_onnx_matches_sentence_transformers(
    embedder: Embedder, reference: SentenceTransformerEmbedder
) -> None:
    assert isinstance(embedder, OnnxEmbedder), "the packaged model should run on onnxruntime"
    texts = varied_texts()
    assert len(texts) == 200
    assert any(len(t.split()) > MAX_TOKENS for t in texts)
    ours, theirs = embedder.embed(texts), reference.embed(texts)
    assert ours.shape == theirs.shape == (200, 384)
    assert ours.dtype == np.float32
    cosines = (ours * theirs).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, f"cosine {cosines.min():.6f} for {texts[worst][:60]!r}"
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_word_pieces_match_sentence_transformers(
    embedder: Embedder, reference: SentenceTransformerEmbedder
) -> None:
    """The pieces in context (for `reference_recall`) agree too, each with its word."""
    texts = varied_texts()
    ours, theirs = embedder.embed_tokens(texts), reference.embed_tokens(texts)
    for text, mine, other in zip(texts, ours, theirs, strict=True):
        assert mine.words == other.words, text[:60]
        assert mine.vectors.shape == (len(mine.words), 384)
        if mine.words:
            assert float((mine.vectors * other.vectors).sum(axis=1).min()) >= 0.9999, text[:60]
    pieces = embedder.embed_tokens(["Stride=2 halves it, e.g. ReLUs"])[0]
    assert pieces.words[:3] == ("stride", "=", "2") and pieces.words.count("relus") >= 2


def test_batch_neighbours_do_not_change_a_vector(embedder: Embedder) -> None:
    """Padding is per length-sorted batch: a long neighbour must not move a short text."""
    alone = embedder.embed(["What is dropout?"])[0]
    texts = ["word " * 300, "What is dropout?", "", "注意力"] * 3
    together = embedder.embed(texts)
    for row in range(1, len(texts), 4):
        assert float(together[row] @ alone) >= 0.99999
    assert embedder.embed([]).shape == (0, 384)


def test_ingest_mode_gives_the_same_vectors(embedder: Embedder) -> None:
    """Ingest runs batches concurrently on single-threaded runs; the vectors must not move."""
    assert isinstance(embedder, OnnxEmbedder)
    bulk = OnnxEmbedder(embedder.model_dir, embedder.model_file, threads=2, throughput=True)
    texts = varied_texts()
    ours, theirs = bulk.embed(texts), embedder.embed(texts)
    assert float((ours * theirs).sum(axis=1).min()) >= 0.99999


def test_same_name_as_the_reference(embedder: Embedder) -> None:
    # The store checks this name: switching implementations must not force a rebuild.
    assert embedder.name == SentenceTransformerEmbedder().name == PACKAGED_MODEL


def test_other_models_and_no_cache_fall_back_to_sentence_transformers(tmp_path: Path) -> None:
    named = load_embedder("sentence-transformers/paraphrase-MiniLM-L3-v2", cache_dir=tmp_path)
    assert isinstance(named, SentenceTransformerEmbedder)
    assert isinstance(load_embedder(None, cache_dir=None), SentenceTransformerEmbedder)
    assert isinstance(load_embedder(None, cache_dir=tmp_path), OnnxEmbedder)
    assert not (tmp_path / "onnx").exists(), "choosing the embedder must not export anything"


def test_damaged_export_is_a_user_error(tmp_path: Path) -> None:
    model_dir = packaged_model_path()
    broken = onnx_path(model_dir, tmp_path)
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"half an onnx file")
    with pytest.raises(EmbeddingError, match="re-export"):
        OnnxEmbedder(model_dir, broken).embed(["hello"])


DEV_SET = Path(__file__).resolve().parent / "data" / "dev.jsonl"


def test_dev_set_grades_are_identical(
    prepared_home: Path,
    embedder: Embedder,
    reference: SentenceTransformerEmbedder,
    tmp_path: Path,
) -> None:
    """The first dev answer of every kind, each graded on a store built by its own embedder.

    One per kind, not all 200 (identical too, checked by hand): sentence-transformers needs
    ~20 s a hundred answers on this machine.
    """
    first: dict[str, dict[str, str]] = {}
    for line in DEV_SET.read_text().splitlines():
        row = json.loads(line)
        first.setdefault(row["kind"], row)
    sample = list(first.values())
    settings = Settings(home=tmp_path / "unused", offline=True)
    with ExitStack() as stores:
        reference_store = stores.enter_context(
            open_store(str(tmp_path / "st-store"), PACKAGED_MODEL, create=True)
        )
        ingest([bundled_dir("knowledge")], reference_store, lambda: reference)
        onnx_store = stores.enter_context(open_store(str(prepared_home / "store"), PACKAGED_MODEL))
        graders = [
            Grader(onnx_store, embedder, settings),
            Grader(reference_store, reference, settings),
        ]
        grades = [
            [
                round(g.grade_card(r["answer"], g.match_cards([r["question"]])[0][0]).grade, 2)
                for r in sample
            ]
            for g in graders
        ]
    assert grades[0] == grades[1]
