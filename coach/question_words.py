"""The question's own words, which state nothing when an answer repeats them.

"Question demoting", as in Mohler, Bunescu and Mihalcea (2011): saying "stride" to "What
is Stride?" states nothing, yet it pulled "Stride is the step size" nearer to "Stride=2
halves the output size" (cosine 0.72) than to "Step size of the filter" (0.48). Answer
spans and key points are compared without those words: Mohler r 0.41 -> 0.48, dev and
stats-dev Spearman within 0.01.

Both sides also meet with plural acronyms read as singular (`singular_acronyms`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from coach.plaintext import plain_text
from coach.stemming import FUNCTION_STEMS, stem, stems

# "K" of "QK^T", "d" of "d_k": symbols, not words a question and an answer share.
_SHORTEST_TERM = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_POINT_LABEL = re.compile(r"^\s*([^:]{1,30}):\s")


def demoting_terms(question: str, key_points: Sequence[str]) -> frozenset[str]:
    """Stems of the question's content words, less those a key point cannot do without:
    names that label points ("BERT vs GPT?": "BERT: encoder-only", "GPT: decoder-only"),
    and the words of a point that says nothing else (a yes/no question restated)."""
    terms = {t for t in stems(plain_text(question)) if len(t) >= _SHORTEST_TERM}
    terms -= FUNCTION_STEMS
    for point in key_points:
        if label := _POINT_LABEL.match(point):
            terms -= stems(label.group(1))
    for point in key_points:
        if not has_content(demote(point, frozenset(terms))):
            terms -= stems(point)
    return frozenset(terms)


def demote(text: str, terms: frozenset[str]) -> str:
    """`text` without the words whose stems are `terms`."""
    if not terms:
        return text
    kept = _WORD.sub(lambda m: "" if stem(m.group(0).lower()) in terms else m.group(0), text)
    return re.sub(r"\s+", " ", kept).strip()


def has_content(text: str) -> bool:
    """A word is left that is not a function word ("It is the ." says nothing)."""
    return any(stem(word.lower()) not in FUNCTION_STEMS for word in _WORD.findall(text))


def demoted_points(key_points: Sequence[str], terms: frozenset[str]) -> list[str]:
    """The key points as matched against answers."""
    return [
        singular_acronyms(kept if has_content(kept := demote(p, terms)) else p) for p in key_points
    ]


def answer_spans(units: Sequence[str], terms: frozenset[str]) -> list[str]:
    """The answer's units as matched against key points; "" for one that said nothing
    but the question's words."""
    return [
        singular_acronyms(span) if has_content(span := demote(unit, terms)) else ""
        for unit in units
    ]


def singular_acronyms(text: str) -> str:
    """ "ReLUs" as "ReLU": MiniLM splits a plural acronym into other word pieces ("It used
    ReLUs" met "ReLU activation" at cosine 0.30, "It used ReLU" at 0.54)."""
    return _PLURAL_ACRONYM.sub(r"\1", text)


_PLURAL_ACRONYM = re.compile(r"\b([A-Z][A-Za-z0-9]*[A-Z])s\b")
