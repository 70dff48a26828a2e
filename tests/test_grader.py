"""The store-backed grader: references from stored vectors, and batch prefetching."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from coach.commands.grade import grade_rows
from coach.config import PACKAGED_MODEL, Settings
from coach.embedding import Embedder, TokenVectors
from coach.grader import Grader
from coach.rows import GradeRow
from coach.signals import FILLER_SENTENCES, build_references
from coach.store import open_store


class CountingEmbedder:
    """The real embedder, keeping each list of texts it was asked for."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name = inner, inner.name
        self.calls: list[list[str]] = []
        self.token_calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.embed(texts)

    def embed_tokens(self, texts: list[str]) -> list[TokenVectors]:
        self.token_calls.append(list(texts))
        return self.inner.embed_tokens(texts)


@pytest.fixture
def counting(embedder: Embedder) -> CountingEmbedder:
    return CountingEmbedder(embedder)


@pytest.fixture
def grader(prepared_home: Path, counting: CountingEmbedder, tmp_path: Path) -> Iterator[Grader]:
    store = open_store(str(prepared_home / "store"), PACKAGED_MODEL)
    with Grader(store, counting, Settings(home=tmp_path / "home", offline=True)) as grader:
        yield grader


def test_stored_key_points_match_the_ones_built_from_text(
    grader: Grader, embedder: Embedder
) -> None:
    """The grader reuses the stored key-point vectors and re-embeds only the points that
    use the question's words: both must equal a reference built from the card's text."""
    card = next(c for c in grader.cards.values() if c.question == "What is Stride?")
    stored = grader.reference(card)
    (built,) = build_references([(card.id, card.question, card.answer)], embedder)
    assert stored.terms == built.terms == {"strid"}
    assert stored.key_points == built.key_points
    cosines = (stored.key_point_vectors * built.key_point_vectors).sum(axis=1)
    assert (cosines > 0.9999).all()


def test_a_batch_is_embedded_before_it_is_graded(
    grader: Grader, counting: CountingEmbedder
) -> None:
    """After the prefetch, grading finds every vector ready: one answer at a time would
    dispatch many small batches."""
    rows = [
        GradeRow(id=1, question="What is Stride?", answer="It is the step size of the filter."),
        GradeRow(id=2, question="what's stride", answer="Stride. Stride is, um, stride."),
        GradeRow(
            id=3,
            question="What made ResNet revolutionary?",
            answer="Skip connections. The gradient flows back through the identity.",
        ),
        GradeRow(
            id=4,
            question="What does a queue's enqueue do?",
            answer="It adds an element at the rear.",
            reference="Enqueue adds an element to the rear of the queue.",
        ),
        GradeRow(id=5, question="Anything?", answer="", reference="   "),
    ]
    outputs = [output for _, output in grade_rows(grader, rows)]
    assert [o["id"] for o in outputs] == [1, 2, 3, 4, 5]
    assert "error" in outputs[4] and all("grade" in o for o in outputs[:4])
    prefetch = max(i for i, texts in enumerate(counting.calls) if FILLER_SENTENCES[0] in texts)
    assert prefetch == len(counting.calls) - 1, counting.calls[prefetch + 1 :]
    # The word pieces of answers and references too, in one pass.
    assert len(counting.token_calls) == 1, counting.token_calls


def test_one_reference_text_under_two_questions_is_two_references(grader: Grader) -> None:
    text = "Enqueue adds an element to the rear of the queue."
    first = grader.text_reference("What does enqueue do?", text)
    second = grader.text_reference("Where does a queue add elements?", text)
    assert first.terms != second.terms
    assert grader.text_reference("What does enqueue do?", text) is first
