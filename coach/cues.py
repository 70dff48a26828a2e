"""Contradiction cues: words whose opposite the notes use, clauses that swap two of a
card's sides, and formulas written upside down."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from coach.contradiction import find_opposites
from coach.formulas import find_inverted_formulas
from coach.plaintext import plain_text
from coach.swaps import find_swapped_labels

if TYPE_CHECKING:
    from coach.signals import Reference

# How a swapped-labels cue opens among the contradiction cues ("swapped: BERT is causal").
SWAPPED = "swapped: "
# How an inverted formula opens among them ("formula: R = rho A / L~R = rho L / A").
INVERTED = "formula: "
# An answer clause counts as "about" a key point above this cosine, for contradiction checks
# (on spans without the question's words, which sit ~0.05 lower than whole clauses).
ALIGNED_AT = 0.35


def contradiction_cues(
    text: str, units: list[str], sims: np.ndarray, reference: Reference
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Contradiction cues, which key points a cue contradicts, and which units swap
    labelled points or hold a clause that does (`sims`: the units' cosines with the key
    points, row by row). Formulas are read from the whole `text`: a clause break may cut
    one in two."""
    # One cue per pair of terms, however many clauses say it, in the words first used.
    opposites: dict[tuple[str, str], str] = {}
    contradicted = np.zeros(len(reference.key_points), dtype=bool)
    for unit, row in zip(units, sims, strict=True):
        best = int(np.argmax(row))
        if row[best] < ALIGNED_AT:
            continue
        found = find_opposites(
            unit,
            reference.key_points[best],
            reference.text,
            reference.key_points,
            reference.question,
        )
        contradicted[best] |= bool(found)
        for opposite in found:
            opposites.setdefault((opposite.said, opposite.meant), str(opposite))
    swapped = find_swapped_labels(units, list(reference.key_points), reference.question)
    swapped = list(dict.fromkeys(swapped))
    # A sentence and its clauses are all units: name the clauses, not the sentence again.
    swapped = [c for c in swapped if not any(o != c and o in c for o in swapped)]
    swapping = np.array([any(clause in unit for clause in swapped) for unit in units], dtype=bool)
    inverted = find_inverted_formulas(text, reference.text)
    for _, meant in inverted:
        contradicted |= np.array([meant in point for point in reference.key_points], dtype=bool)
    inverted_cues = [f"{INVERTED}{_shown(said)}~{_shown(meant)}" for said, meant in inverted]
    cues = [*opposites.values(), *(f"{SWAPPED}{c}" for c in swapped), *inverted_cues]
    return cues, contradicted, swapping


def _shown(formula: str) -> str:
    # LaTeX is read out as plain text; "~" parts what was said from what the notes say.
    return plain_text(formula).replace("~", "≈")
