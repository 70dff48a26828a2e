"""Offline grading signals: similarity, key-point coverage, off-topic, salad, contradiction."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from coach.alignment import reference_recall
from coach.cues import contradiction_cues
from coach.keypoints import split_key_points
from coach.plaintext import plain_text
from coach.question_words import answer_spans, demoted_points, demoting_terms
from coach.salad import salad_score

if TYPE_CHECKING:
    from coach.embedding import Embedder

# Cosine range over which a key point goes from "not said" to "clearly said";
# all-MiniLM-L6-v2 scores unrelated ML sentences ~0.2 and paraphrases ~0.6-0.8.
COVER_LOW, COVER_HIGH, COVERED_AT = 0.30, 0.70, 0.50
# What the person is told they stated. A cosine floor alone is topical: "stride is the
# step size" reaches 0.5 with "Stride=2 halves the output size" too, while a paraphrase
# in other words stays below it. A key point is stated when some sentence or clause of the
# answer is nearer to it than to any other key point and reaches STATED_AT, or when any
# reaches STATED_CLEARLY_AT (both with the question's words left out, see question_words),
# and no contradiction cue is aimed at it. Share of key points marked stated, dev /
# stats-dev, before -> after: paraphrases 0.34 -> 0.64 / 0.21 -> 0.42, spoken 0.63 -> 0.74
# / 0.55 -> 0.60, partial answers (about half) 0.26 -> 0.38 / 0.25 -> 0.25, misconceptions
# 0.65 -> 0.62 / 0.42 -> 0.46, off-topic 0.01 -> 0.04 / 0.00 -> 0.10.
STATED_AT, STATED_CLEARLY_AT = 0.35, 0.55
# A sentence this close to some key point may be about the question (paraphrased
# sentences of good answers rarely fall below it; unrelated prose does).
ON_TOPIC_AT = 0.10
# A one-word unit ("padding") states only a one-word point ("Dropout"), never a claim.
_CLAIM_WORDS = 2
# Talk about the answer rather than the subject. Filler such as "So yeah, that's basically
# it." lands at 0.12-0.20 from 90% of the dev cards' key points, too near for a bare
# threshold: a sentence clearly nearer one of these (by FILLER_MARGIN) is filler.
FILLER_SENTENCES = (
    "That is how I would explain it.",
    "I hope that makes sense.",
    "So yeah, that's basically it.",
    "Let me think about that for a second.",
    "That's a good question.",
    "I think that covers the main points.",
    "I'm happy to go into more detail if you want.",
    "I'm not completely sure, to be honest.",
    "Anyway, that's my answer.",
    "As I said before.",
)
FILLER_MARGIN = 0.10


@dataclass(frozen=True)
class Reference:
    """A reference answer prepared for grading: its key points and their vectors."""

    card_id: str
    question: str
    text: str
    key_points: tuple[str, ...]
    vector: np.ndarray
    # Vectors of the key points with the question's words removed (`demoted_points`).
    key_point_vectors: np.ndarray
    # Question and reference embedded together: an answer to another question sits
    # nearer that card's text too, which tells sibling cards apart better than the
    # reference alone (dev: 1 false off-topic flag instead of 7, all 32 true ones kept).
    card_vector: np.ndarray | None = None
    # The words an answer's spans lose before they meet the key points (`demoting_terms`).
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Signals:
    """Everything the calibration looks at, on 0-1 or cosine scales."""

    similarity: float
    coverage: float
    key_point_similarities: tuple[float, ...]
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    off_topic_margin: float
    off_topic_card: str
    salad: float
    contradictions: tuple[str, ...]
    word_count: int
    # Words in the sentences that come near some key point: how much the answer says
    # about the question, which padding cannot raise.
    on_topic_words: int = 0
    # How much of the reference's wording the answer's words meet (`reference_recall`).
    recall: float = 0.0


def build_references(cards: Sequence[tuple[str, str, str]], embedder: Embedder) -> list[Reference]:
    """Prepare (card_id, question, reference text) triples with one embedding call."""
    points = [
        [plain_text(p) for p in split_key_points(text)] or [plain_text(text)]
        for _, _, text in cards
    ]
    texts = [plain_text(text) for _, _, text in cards]
    whole = [plain_text(f"{question} {text}") for _, question, text in cards]
    terms = [
        demoting_terms(question, group)
        for (_, question, _), group in zip(cards, points, strict=True)
    ]
    matched = [
        p for group, words in zip(points, terms, strict=True) for p in demoted_points(group, words)
    ]
    vectors = embedder.embed(texts + whole + matched)
    refs, start = [], 2 * len(cards)
    for i, ((card_id, question, _), text, group) in enumerate(
        zip(cards, texts, points, strict=True)
    ):
        kp_vectors = vectors[start : start + len(group)]
        start += len(group)
        refs.append(
            Reference(
                card_id,
                question,
                text,
                tuple(group),
                vectors[i],
                kp_vectors,
                card_vector=vectors[len(cards) + i],
                terms=terms[i],
            )
        )
    return refs


def answer_units(text: str) -> list[str]:
    """Sentences and their clauses: the spans a key point may match. (Adjacent sentence
    pairs changed no dev or stats-dev grade order and cost a quarter of grading time.)"""
    sentences = _sentences(text)
    units = list(sentences)
    if len(sentences) > MAX_SENTENCES_WITH_CLAUSES:
        return list(dict.fromkeys(units))
    for sentence in sentences:
        # A clause may be one word: key points can be as short ("Dropout", "Fewer
        # parameters"), and "so fewer parameters" or "dropout" said inside a longer
        # sentence went unticked when clauses needed three words.
        parts = [p.strip() for p in _CLAUSE_SPLIT.split(sentence) if p.strip()]
        if len(parts) > 1:
            units += parts
    return list(dict.fromkeys(units))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


# A long answer's sentences already give every key point many spans to match; splitting
# them into clauses too doubled the slowest answers' grading time for no change in grade
# order on dev or stats-dev.
MAX_SENTENCES_WITH_CLAUSES = 8
_CLAUSE_SPLIT = re.compile(r"[;,—–:]\s|\s-\s|\b(?:but|while|whereas|which|so)\b")


def compute_signals(
    text: str, reference: Reference, embedder: Embedder, others: Sequence[Reference] = ()
) -> Signals:
    """Compare a cleaned answer with its reference (and other cards, for off-topic)."""
    units, spans = matched_spans(text, reference)
    vectors = embedder.embed([text, *spans])
    whole, unit_vectors = vectors[0], vectors[1:]
    # A span that was nothing but the question's words states nothing.
    unit_vectors[np.array([not span for span in spans], dtype=bool)] = 0.0
    unit_sims = unit_vectors @ reference.key_point_vectors.T
    kp_sims = unit_sims.max(axis=0)
    similarity = float(whole @ reference.vector)
    soft = np.clip((kp_sims - COVER_LOW) / (COVER_HIGH - COVER_LOW), 0.0, 1.0)
    margin, other_id = _off_topic(whole, similarity, reference, others)
    points = reference.key_points
    contradictions, contradicted, swapping = contradiction_cues(text, units, unit_sims, reference)
    # A point said the wrong way round ("upsamples" for "Downsamples feature maps") is
    # not stated, nor is one that a sentence mixing up two labelled points comes near
    # ("BERT is decoder-only"): the person is told it is missing, and why, by the flag.
    mute = swapping[:, None] | _too_short_to_state(units, points)
    stated = stated_key_points(np.where(mute, 0.0, unit_sims)) & ~contradicted
    answer_tokens, reference_tokens = embedder.embed_tokens([text, reference.text])
    return Signals(
        similarity=similarity,
        coverage=float(soft.mean()),
        key_point_similarities=tuple(float(s) for s in kp_sims),
        covered=tuple(p for p, said in zip(points, stated, strict=True) if said),
        missed=tuple(p for p, said in zip(points, stated, strict=True) if not said),
        off_topic_margin=margin,
        off_topic_card=other_id,
        salad=salad_score(text),
        contradictions=tuple(contradictions),
        word_count=len(text.split()),
        on_topic_words=_on_topic_words(text, units, unit_vectors, unit_sims, embedder),
        recall=reference_recall(answer_tokens, reference_tokens, reference.terms),
    )


def _too_short_to_state(units: list[str], points: Sequence[str]) -> np.ndarray:
    """Which unit cannot state which point (rows: units): "padding", said alone in a list
    of terms, does not state "Padding is inside the border and shows the background"."""
    unit_words = np.array([len(unit.split()) for unit in units])[:, None]
    point_words = np.array([len(point.split()) for point in points])[None, :]
    return unit_words < np.minimum(_CLAIM_WORDS, point_words)


def matched_spans(text: str, reference: Reference) -> tuple[list[str], list[str]]:
    """The answer's units, and the spans they meet the key points as (without the
    question's words): what `compute_signals` embeds besides the whole answer."""
    units = answer_units(text) or [text]
    return units, answer_spans(units, reference.terms)


def plainly_stated(key_point_similarities: Sequence[float]) -> list[bool]:
    """Which key points the answer puts in words close to the notes' (cosine at
    COVERED_AT or above): the ones the rubric's floors count."""
    return [similarity >= COVERED_AT for similarity in key_point_similarities]


def stated_key_points(unit_sims: np.ndarray) -> np.ndarray:
    """Which key points the answer states, from its units' cosines (rows: units, columns:
    key points): a unit speaks to the key point it is nearest, if near enough."""
    stated = unit_sims.max(axis=0) >= STATED_CLEARLY_AT
    nearest = unit_sims.argmax(axis=1)
    for unit, point in enumerate(nearest):
        if unit_sims[unit, point] >= STATED_AT:
            stated[point] = True
    return stated


def _on_topic_words(
    text: str, units: list[str], vectors: np.ndarray, sims: np.ndarray, embedder: Embedder
) -> int:
    """Words of the answer's sentences that are about the question: their best key-point
    cosine reaches ON_TOPIC_AT and is not clearly below their likeness to filler.
    `vectors` and `sims` are the units' vectors and key-point cosines, row by row."""
    # Every sentence is a unit: its vector is already there, no second embedding.
    row_of = {unit: row for row, unit in enumerate(units)}
    rows = [row_of[s] for s in dict.fromkeys(_sentences(text))]
    rows = [row for row in rows if sims[row].max() >= ON_TOPIC_AT]
    if not rows:
        return 0
    filler = embedder.embed(list(FILLER_SENTENCES))
    chatter = (vectors[rows] @ filler.T).max(axis=1)
    return sum(
        len(units[row].split())
        for row, talk in zip(rows, chatter, strict=True)
        if sims[row].max() + FILLER_MARGIN > talk
    )


def _off_topic(
    whole: np.ndarray, similarity: float, reference: Reference, others: Sequence[Reference]
) -> tuple[float, str]:
    """How much closer the answer is to another card than to its own (reference and,
    when known, question + reference), and which card that is."""
    candidates = [o for o in others if o.card_id != reference.card_id]
    if not candidates:
        return -1.0, ""
    sims = np.stack([o.vector for o in candidates]) @ whole
    margin = float(sims.max() - similarity)
    card_vectors = [o.card_vector for o in candidates]
    if reference.card_vector is not None and all(v is not None for v in card_vectors):
        card_sims = np.stack(card_vectors) @ whole  # type: ignore[arg-type]
        own = float(reference.card_vector @ whole)
        margin = (margin + float(card_sims.max()) - own) / 2
        sims = (sims + card_sims) / 2
    return margin, candidates[int(np.argmax(sims))].card_id
