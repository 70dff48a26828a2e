"""How much of the reference an answer meets, word piece by word piece, in context.

Each content word piece of the reference is matched to the answer's piece nearest to it,
both as the model reads them in their sentences (as BERTScore's recall, Zhang et al.
2020), and the cosines are averaged. Unlike key-point coverage, which compares whole
clauses, this sees which of a reference's words an answer gives a counterpart to: a short
exam answer that says most of a one-sentence reference in its own words scores high, one
that names the topic and stops does not.
"""

from __future__ import annotations

import re

import numpy as np

from coach.embedding import TokenVectors
from coach.stemming import FUNCTION_STEMS, stem

_CONTENT = re.compile(r"[a-z0-9]")


def reference_recall(
    answer: TokenVectors, reference: TokenVectors, terms: frozenset[str] = frozenset()
) -> float:
    """Mean over the reference's content pieces of the best cosine an answer piece gives
    it; pieces of function words, punctuation and the question's own words (`terms`, see
    question_words) take no part on either side. 0 when the answer has none left."""
    kept = _content(reference, terms)
    if not kept.any():
        # A reference made only of the question's words: then they are what is said.
        terms = frozenset()
        kept = _content(reference, terms)
    said = _content(answer, terms)
    if not kept.any() or not said.any():
        return 0.0
    cosines = reference.vectors[kept] @ answer.vectors[said].T
    return float(cosines.max(axis=1).mean())


def _content(tokens: TokenVectors, terms: frozenset[str]) -> np.ndarray:
    """Which pieces belong to a content word that is not one of the question's."""
    dropped = FUNCTION_STEMS | terms
    return np.array(
        [bool(_CONTENT.search(word)) and stem(word) not in dropped for word in tokens.words],
        dtype=bool,
    )
