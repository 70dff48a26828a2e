"""Reference recall: how much of a reference an answer's words meet, piece by piece."""

from __future__ import annotations

from coach.alignment import reference_recall
from coach.embedding import Embedder
from coach.question_words import demoting_terms

QUESTION = "What does enqueue do?"
REFERENCE = "Enqueue adds an element to the rear of the queue."


def _recall(embedder: Embedder, answer: str, terms: frozenset[str] = frozenset()) -> float:
    said, reference = embedder.embed_tokens([answer, REFERENCE])
    return reference_recall(said, reference, terms)


def test_saying_more_of_the_reference_meets_more_of_it(embedder: Embedder) -> None:
    """In the notes' words most, in other words less, and a vague or topical answer
    least. (It measures how much is said, not whether it is true: "removes an element
    from the front of the queue" meets much of it too, which is the contradiction
    cues' business.)"""
    terms = demoting_terms(QUESTION, [REFERENCE])
    assert terms == {"enqueu"}
    textbook = _recall(embedder, "It adds an element at the rear of the queue.", terms)
    paraphrase = _recall(embedder, "It puts a new item at the back of the line.", terms)
    topical = _recall(embedder, "Queues are FIFO.", terms)
    vague = _recall(embedder, "It is an operation.", terms)
    assert textbook > 0.9 and textbook > paraphrase + 0.3
    assert paraphrase > topical + 0.1 and topical > vague


def test_the_questions_words_earn_nothing(embedder: Embedder) -> None:
    """Repeating "enqueue" meets the reference's "enqueue" perfectly, unless it is the
    question's word, which states nothing."""
    echo = "Enqueue, enqueue."
    assert _recall(embedder, echo, frozenset({"enqueu"})) < _recall(embedder, echo)


def test_nothing_said_is_nothing_met(embedder: Embedder) -> None:
    assert _recall(embedder, "") == 0.0
    assert _recall(embedder, "The, of, and?") == 0.0
    said, reference = embedder.embed_tokens([REFERENCE, REFERENCE])
    assert reference_recall(said, reference) > 0.99


def test_a_reference_of_only_question_words_still_counts(embedder: Embedder) -> None:
    said, reference = embedder.embed_tokens(["Enqueue.", "Enqueue."])
    assert reference_recall(said, reference, frozenset({"enqueu"})) > 0.99
