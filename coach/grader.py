"""Grading against the store: find the card for a question, then grade with what is configured.

One `Grader` per command: it caches the deck's references so a batch of a thousand
answers reads the store once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from coach.cleaning import clean_answer
from coach.embedding import MemoEmbedder
from coach.errors import InputError, StoreMissingError
from coach.grading import GradeResult, grade_answer
from coach.llm_grading import CombinedGrade, grade_with_llm, offline_only
from coach.models import Card
from coach.plaintext import plain_text
from coach.question_words import demoted_points, demoting_terms
from coach.rubric import RubricInput, follow_up_input
from coach.signals import FILLER_SENTENCES, Reference, build_references, matched_spans
from coach.textsafety import strip_control

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.embedding import Embedder
    from coach.store import Store

# Below this cosine between the asked question and the nearest card's question, the
# notes hold no card for it: grading against the nearest one would judge the wrong thing.
QUESTION_FLOOR = 0.60
# A grader only ever reads this much of an answer: ~3x the longest answer a person says
# in an interview; longer pastes are graded on this prefix, with a notice.
MAX_ANSWER_CHARS = 20_000
# After one of these the endpoint is not asked again by this grader: a batch of a
# thousand answers must not wait out the timeout a thousand times.
ENDPOINT_DOWN = frozenset({"timeout", "connection", "auth", "not_found"})


class Grader:
    """Grades answers against the cards of one store with one embedder."""

    def __init__(self, store: Store | None, embedder: Embedder, settings: Settings) -> None:
        """`store` may be None when every answer comes with its own reference."""
        self._store, self.settings = store, settings
        self.embedder = MemoEmbedder(embedder)
        self._cards: dict[str, Card] | None = None
        self._by_question: dict[str, Card] = {}
        self._references: dict[str, Reference] = {}
        self._text_references: dict[tuple[str, str], Reference] = {}
        self._others: list[Reference] | None = None
        self._llm_down: str | None = None

    def close(self) -> None:
        """Release the store, if there is one."""
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def prefetch(self, graded: list[tuple[str, Reference]]) -> None:
        """Embed the spans of the next answers (each with the reference it is graded
        against) in one pass before grading them: one answer at a time would pad and
        dispatch many small batches. Forgets the last lot, and the text references that
        the next answers do not use."""
        self.embedder.forget()
        keep = {id(reference) for _, reference in graded}
        self._text_references = {
            key: ref for key, ref in self._text_references.items() if id(ref) in keep
        }
        texts: list[str] = list(FILLER_SENTENCES)
        tokens: list[str] = []
        for answer, reference in graded:
            cleaned = clean_answer(bound_answer(answer)[0]).text
            texts += [cleaned, *matched_spans(cleaned, reference)[1]]
            tokens += [cleaned, reference.text]
        self.embedder.prefetch(texts, tokens)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise StoreMissingError("no notes ingested yet: run `coach ingest` first")
        return self._store

    @property
    def cards(self) -> dict[str, Card]:
        if self._cards is None:
            self._cards = {c.id: c for c in self.store.cards()}
            self._by_question = {_normalise(c.question): c for c in self._cards.values()}
        return self._cards

    def match_cards(self, questions: list[str]) -> list[tuple[Card | None, float]]:
        """For each question its card: an exact match, else the nearest above the floor."""
        results: list[tuple[Card | None, float]] = []
        if not questions:
            return results
        pending = [i for i, q in enumerate(questions) if _normalise(q) not in self._exact()]
        vectors = self.embedder.embed([plain_text(questions[i]) for i in pending])
        nearest = dict(zip(pending, vectors, strict=True))
        for i, question in enumerate(questions):
            exact = self._by_question.get(_normalise(question))
            if exact is not None:
                results.append((exact, 1.0))
                continue
            matches = self.store.nearest_cards(nearest[i], 1)
            if matches and matches[0].similarity >= QUESTION_FLOOR:
                results.append((matches[0].card, matches[0].similarity))
            else:
                results.append((None, matches[0].similarity if matches else 0.0))
        return results

    def _exact(self) -> dict[str, Card]:
        _ = self.cards
        return self._by_question

    def reference(self, card: Card) -> Reference:
        """The card's reference with the vectors stored at ingest."""
        if card.id not in self._references:
            # The deck's vectors are read in bulk once (`others`): only the key points
            # are a per-card read.
            deck = {o.card_id: o for o in self.others()}
            if card.id not in deck:
                raise InputError(f"card {card.id} has no vectors: run `coach ingest`")
            points = tuple(plain_text(p) for p in card.key_points)
            terms = demoting_terms(card.question, points)
            self._references[card.id] = Reference(
                card.id,
                card.question,
                plain_text(card.answer),
                points,
                deck[card.id].vector,
                self._matched_point_vectors(card, points, terms),
                card_vector=deck[card.id].card_vector,
                terms=terms,
            )
        return self._references[card.id]

    def text_references(self, pairs: list[tuple[str, str]]) -> None:
        """Build the (question, reference text) pairs not built yet, in one embedding pass."""
        missing = list(dict.fromkeys(p for p in pairs if p not in self._text_references))
        if missing:
            built = build_references([("reference", q, t) for q, t in missing], self.embedder)
            self._text_references.update(zip(missing, built, strict=True))

    def text_reference(self, question: str, reference: str) -> Reference:
        """A reference given as text with an answer (key points derived here)."""
        self.text_references([(question, reference)])
        return self._text_references[question, reference]

    def _matched_point_vectors(
        self, card: Card, points: tuple[str, ...], terms: frozenset[str]
    ) -> np.ndarray:
        """The stored key-point vectors, with those of points that use the question's
        words embedded again without them (see `demoted_points`)."""
        vectors = self.store.key_point_vectors(card)
        matched = demoted_points(points, terms)
        changed = [
            i for i, (point, text) in enumerate(zip(points, matched, strict=True)) if point != text
        ]
        if changed:
            vectors = vectors.copy()
            vectors[changed] = self.embedder.embed([matched[i] for i in changed])
        return vectors

    def others(self) -> list[Reference]:
        """Every card's reference vector, for the off-topic check."""
        if self._others is None:
            vectors = self.store.reference_vectors()  # ~1.5 KB a card: 15 MB at 10k cards
            card_vectors = self.store.card_text_vectors()
            empty = np.zeros((0, 0), dtype=np.float32)
            self._others = [
                Reference(card_id, "", "", (), vector, empty, card_vectors.get(card_id))
                for card_id, vector in vectors.items()
            ]
        return self._others

    def grade_card(self, answer: str, card: Card, context: tuple[str, ...] = ()) -> CombinedGrade:
        """Grade an answer to one card: offline, then the LLM rubric when configured."""
        answer, notices = bound_answer(answer)
        offline = grade_answer(answer, self.reference(card), self.embedder, self.others())
        return self._with_llm(offline, card.question, card.answer, card.key_points, answer, notices)

    def grade_follow_up(self, answer: str, card: Card, follow_up: str) -> CombinedGrade:
        """Grade an answer to the interviewer's follow-up on `card` (the LLM judges it;
        offline, the card's reference is all there is to compare with)."""
        answer, notices = bound_answer(answer)
        offline = grade_answer(answer, self.reference(card), self.embedder, self.others())
        base = RubricInput(card.question, card.answer, tuple(card.key_points), answer)
        return self._rubric(
            offline,
            lambda: replace(
                follow_up_input(base, follow_up, answer),
                context=self._context(f"{follow_up} {answer}"),
            ),
            notices,
        )

    def grade_reference(self, answer: str, question: str, reference: str) -> CombinedGrade:
        """Grade against a reference text given with the answer (key points derived here)."""
        answer, notices = bound_answer(answer)
        built = self.text_reference(question, reference)
        offline = grade_answer(answer, built, self.embedder)
        return self._with_llm(offline, question, reference, built.key_points, answer, notices)

    def _with_llm(
        self,
        offline: GradeResult,
        question: str,
        reference: str,
        key_points: tuple[str, ...] | list[str],
        answer: str,
        notices: tuple[str, ...],
    ) -> CombinedGrade:
        return self._rubric(
            offline,
            lambda: RubricInput(
                question, reference, tuple(key_points), answer, self._context(answer)
            ),
            notices,
        )

    def _rubric(
        self, offline: GradeResult, item: Callable[[], RubricInput], notices: tuple[str, ...]
    ) -> CombinedGrade:
        """The LLM rubric when configured and reachable; the offline grade otherwise."""
        if not self.settings.llm_configured:
            return offline_only(offline, notices)
        if self._llm_down is not None:
            return offline_only(offline, (*notices, f"llm_error:{self._llm_down}"))
        combined = grade_with_llm(offline, item(), self.settings)
        code = next((f[10:] for f in combined.flags if f.startswith("llm_error:")), None)
        if code in ENDPOINT_DOWN:
            self._llm_down = code
        return combined if not notices else _with_flags(combined, notices)

    def _context(self, answer: str) -> tuple[str, ...]:
        if self._store is None:
            return ()
        vector = self.embedder.embed([plain_text(answer)])[0]
        return tuple(chunk.text for chunk in self.store.nearest_chunks(vector, 3))


def bound_answer(answer: str) -> tuple[str, tuple[str, ...]]:
    """Control sequences removed, and a very long answer graded on a bounded prefix
    (the flag tells the person)."""
    answer = strip_control(answer)
    if len(answer) <= MAX_ANSWER_CHARS:
        return answer, ()
    return answer[:MAX_ANSWER_CHARS], (f"truncated:{MAX_ANSWER_CHARS}",)


def _with_flags(combined: CombinedGrade, flags: tuple[str, ...]) -> CombinedGrade:
    return replace(combined, flags=(*combined.flags, *flags))


def _normalise(question: str) -> str:
    return re.sub(r"\s+", " ", question).strip().lower()
