"""Swapped labels: a clause that says one named thing's point of another ("BERT is
decoder-only" against "BERT: Encoder-only" and "GPT: Decoder-only")."""

from __future__ import annotations

import re

from coach.clause_words import denied_stems, named_at, opens_with, operators_named, word_stems
from coach.contradiction import NEGATABLE_WORD, NEGATION
from coach.labels import LabelledPoints, labelled_points


def find_swapped_labels(clauses: list[str], key_points: list[str], question: str = "") -> list[str]:
    """Clauses that attach one labelled point's body ("GPT: decoder-only") to another's label.
    A point that opens with a name the question asks about is labelled by it too: "MLE picks
    the parameters..." against "MAP picks the mode of the posterior" for "MLE vs MAP?"."""
    labelled = labelled_points(tuple(key_points), question)
    if labelled is None:
        return []
    swapped = []
    for clause in clauses:
        said = _spelled_out(operators_named(clause), labelled.aliases)
        if _negates_its_subject(said):
            # "LayerNorm doesn't depend on the batch" contrasts the two, it does not swap
            # them (dev: one false flag on a spoken answer gone, all 22 true ones kept).
            continue
        denied = denied_stems(said)
        if any(_swaps(part, head, labelled, denied) for part, head in _about(said, labelled)):
            swapped.append(clause)
    return swapped


def _spelled_out(clause: str, aliases: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    """The clause with each label's short name written out: "3NF means..." is about
    "Third normal form (3NF): ..."."""
    for short, name in aliases:
        clause = short.sub(name, clause)
    return clause


def _negates_its_subject(clause: str) -> bool:
    """A negation outside any subordinate clause: "LayerNorm doesn't depend on the batch",
    not "INNER JOIN puts NULLs where the right table has no match"."""
    # A comma ends a subordinate clause: "LayerNorm, which is used in transformers, does
    # not normalize across the batch" negates LayerNorm's verb.
    for part in clause.lower().split(","):
        subordinate = False
        for word in NEGATABLE_WORD.findall(part):
            # "... but does not create an object" is the subject's again.
            subordinate = (subordinate or word in _SUBORDINATING) and word != "but"
            if NEGATION.search(word) and not subordinate:
                return True
    return False


_SUBORDINATING = frozenset("where when which that who whose if unless because since".split())


def _about(clause: str, labelled: LabelledPoints) -> list[tuple[list[str], int]]:
    """The clause's word stems and the label they are about, if any. A clause naming two
    labels is about the one it opens with, up to where it names another: "An INNER JOIN
    returns the left table's rows, while a LEFT JOIN..." is about the INNER JOIN up to
    "LEFT JOIN"; a later name may be an object ("Correlation divides the covariance")."""
    words = word_stems(clause)
    # "range queries hit every shard" does not name range sharding: a name's words stand
    # together.
    heads = [i for i, label in enumerate(labelled.labels) if label and named_at(words, label)]
    if len(heads) == 1:
        head = heads[0]
        if labelled.openers[head] and not opens_with(clause, labelled.labels[head]):
            # "MAP maximises the posterior, so it is MLE plus a prior" names MLE as a
            # yardstick; a swap says "MLE maximises the posterior".
            return []
        first = min(i for i, w in enumerate(words) if w in labelled.labels[head])
        # What comes before the name is not said of it: "Several dependent steps lead to
        # nested callback hell" says nothing of callbacks' steps.
        return [(words[first : first + len(labelled.labels[head]) + _REACH], head)]
    opening = [i for i in heads if opens_with(clause, labelled.labels[i])]
    if len(opening) != 1:
        return []
    head = opening[0]
    size = len(labelled.labels[head])
    start = named_at(words, labelled.labels[head])[0] + size
    later = [
        position
        for other in heads
        if other != head
        for position in named_at(words, labelled.labels[other])
        if position >= start
    ]
    return [(words[: min(later, default=start + _REACH)], head)]


# How many words past its name a clause still speaks of it. Swaps say it within a few
# ("BERT is decoder-only"; db deck: "Durability means the database keeps running when a
# node goes down, basically high availability", 13); a long sentence that mentions GPT
# ended 22 words on with "a fine-tuned encoder is still hard to beat" (dev too_long).
_REACH = 15


def _without_spelled_out(words: list[str], label: frozenset[str]) -> list[str]:
    """The words, less a run that spells out the label's letters: "KPI is key performance
    indicator" says nothing of OKR's key results."""
    (name,) = label if len(label) == 1 else ("",)
    size = len(name)
    if not 2 <= size <= 5 or not name.isalpha():
        return words
    for start in range(len(words) - size + 1):
        if "".join(word[0] for word in words[start : start + size]) == name:
            return words[:start] + words[start + size :]
    return words


def _swaps(words: list[str], head: int, labelled: LabelledPoints, denied: set[str]) -> bool:
    """The words hold more of another label's own body words than of their label's (not
    counting what the clause denies: "done outside the nucleus"). What the notes deny of
    the other label speaks for this one: "TCP guarantees delivery" against UDP's "no
    guarantee of delivery"."""
    said = set(_without_spelled_out(words, labelled.labels[head])) - denied
    own = len(said & labelled.exclusive[head])
    if not labelled.exclusive[head]:
        # Where the notes say nothing of this side alone ("Faraday: induced EMF =
        # -dPhi/dt", each word shared with Lenz's points), one word of the other's
        # ("minus") is too little to go by.
        own = 1
    return any(
        len(said & ex) > own + len(said & labelled.lacks[j] - labelled.lacks[head])
        for j, ex in enumerate(labelled.exclusive)
        if j != head
    )
