"""Cheap contradiction cues: opposite words, changed numbers, swapped labels."""

from __future__ import annotations

import re
from typing import NamedTuple

# A general lexicon of opposites, as crude stems. Never card-specific: held-out
# decks come from other fields, so only broadly technical pairs belong here.
_OPPOSITES = [
    ("increas", "decreas"),
    ("increas", "reduc"),
    ("grow", "shrink"),
    ("rais", "lower"),
    ("more", "fewer"),
    ("more", "less"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("higher", "lower"),
    ("highest", "lowest"),
    ("large", "small"),
    ("maxim", "minim"),
    ("upsampl", "downsampl"),
    ("expand", "reduc"),
    ("expand", "compress"),
    ("wider", "narrower"),
    ("before", "after"),
    ("forward", "backward"),
    ("previous", "future"),
    ("past", "future"),
    ("earlier", "later"),
    ("local", "global"),
    ("encod", "decod"),
    ("add", "remov"),
    ("add", "subtract"),
    ("plus", "minus"),
    ("multipl", "divid"),
    ("concaten", "averag"),
    ("vanish", "explod"),
    ("shrink", "explod"),
    ("vanish", "grow"),
    ("faster", "slower"),
    ("stabl", "unstabl"),
    ("easier", "harder"),
    ("sharper", "blurri"),
    ("soft", "hard"),
    ("always", "never"),
    ("same", "different"),
    ("independ", "depend"),
    ("correl", "uncorrel"),
    ("linear", "quadrat"),
    ("linear", "nonlinear"),
    ("dens", "spars"),
    ("shallow", "deep"),
    ("bidirect", "unidirect"),
    ("bidirect", "causal"),
    ("parallel", "sequenti"),
    ("overfit", "underfit"),
    ("reject", "accept"),
    ("bias", "unbias"),
    ("finit", "infinit"),
    ("supervis", "unsupervis"),
    ("union", "intersect"),
    ("short", "long"),
    ("cpu", "gpu"),
    ("preserv", "chang"),
    ("keep", "discard"),
    ("insid", "outsid"),
    ("wors", "better"),
    ("cheap", "expens"),
    ("halv", "doubl"),
    ("overconfid", "confid"),
]
_OPPOSITE_OF: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE_OF.setdefault(_a, set()).add(_b)
    _OPPOSITE_OF.setdefault(_b, set()).add(_a)

_WORD = re.compile(r"[a-z][a-z0-9]*")
_NEGATABLE_WORD = re.compile(r"[a-z][a-z0-9']*")  # keeps "doesn't" whole
_NEGATION = re.compile(r"\b(?:not|no|never|without|neither|nor)\b|n't\b", re.I)
# "GPT: decoder-only", and "Binomial(n, p): the number of successes..." with its arguments.
_LABEL = re.compile(r"^\W*([A-Za-z][\w\-/ ]{0,24}?)(?:\s*\([^()]{0,20}\))?\s*:\s*(.+)$")


def stems(text: str) -> set[str]:
    """Lower-cased word stems; crude suffix stripping is enough for the lexicon."""
    return {stem(w) for w in _WORD.findall(text.lower())}


def stem(word: str) -> str:
    """A lower-case word without its commonest English suffix."""
    for suffix in ("ations", "ation", "ing", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _lexicon_terms(word_stems: set[str]) -> set[str]:
    # "overconfid" must not also count as "confid": prefer the longest key.
    found = set()
    for stem in word_stems:
        keys = [k for k in _OPPOSITE_OF if stem == k or (len(k) >= 4 and stem.startswith(k))]
        if keys:
            found.add(max(keys, key=len))
    return found


class Opposite(NamedTuple):
    """An answer's word whose opposite the key point uses: lexicon terms, and the words
    as written ("upsamples" for "Downsamples")."""

    said: str
    meant: str
    said_word: str
    meant_word: str

    def __str__(self) -> str:
        return f"{self.said_word}~{self.meant_word}"


def find_opposites(clause: str, key_point: str, reference: str) -> list[Opposite]:
    """Words of an answer clause whose opposite its aligned key point uses instead."""
    clause, key_point, reference = (_joined(t) for t in (clause, key_point, reference))
    said = _lexicon_terms(stems(clause))
    # "It fails without a finite variance": an answer that says "infinite" agrees.
    point = _lexicon_terms(stems(key_point)) - _negated_terms(key_point)
    whole = _lexicon_terms(stems(reference))
    found = []
    for term in sorted(said - whole):
        clash = _OPPOSITE_OF[term] & point
        if clash:
            meant = sorted(clash)[0]
            found.append(Opposite(term, meant, _spelled(term, clause), _spelled(meant, key_point)))
    return found


def _joined(text: str) -> str:
    """`text` with hyphenated negating prefixes joined: "non-linearities" is the lexicon's
    "nonlinear", not "linear" (it flagged "nonlinearity" as its opposite)."""
    return _PREFIX_HYPHEN.sub(r"\1", text)


_PREFIX_HYPHEN = re.compile(r"\b(non|un|in|im|anti|semi)-(?=[A-Za-z])", re.I)


def _spelled(term: str, text: str) -> str:
    """The first word of `text` that is the lexicon term `term`."""
    words = _WORD.findall(text.lower())
    return next((w for w in words if _lexicon_terms({stem(w)}) == {term}), term)


def _negated_terms(text: str) -> set[str]:
    """Lexicon terms with a negation up to three words before them."""
    words = _NEGATABLE_WORD.findall(text.lower())
    return {
        term
        for i, word in enumerate(words)
        if any(_NEGATION.fullmatch(w) or w.endswith("n't") for w in words[max(0, i - 3) : i])
        for term in _lexicon_terms({stem(word)})
    }


def find_swapped_labels(clauses: list[str], key_points: list[str]) -> list[str]:
    """Clauses that attach one labelled point's body ("GPT: decoder-only") to another's label."""
    matches = [m for m in (_LABEL.match(k) for k in key_points) if m]
    if len(matches) < 2:
        return []
    # The splitter may repeat a label per list item ("BERT: Encoder-only",
    # "BERT: bidirectional"): merge those back into one labelled body.
    grouped: dict[str, set[str]] = {}
    for m in matches:
        grouped.setdefault(m.group(1).strip().lower(), set()).update(stems(m.group(2)))
    if len(grouped) < 2:
        return []
    labels = [stems(label) for label in grouped]
    bodies = list(grouped.values())
    all_labels = set().union(*labels)
    exclusive = [
        body - all_labels - set().union(*(b for j, b in enumerate(bodies) if j != i))
        for i, body in enumerate(bodies)
    ]
    swapped = []
    for clause in clauses:
        if _NEGATION.search(clause):
            # "LayerNorm doesn't depend on the batch" contrasts the two, it does not swap
            # them (dev: one false flag on a spoken answer gone, all 22 true ones kept).
            continue
        words = stems(clause)
        heads = [i for i, label in enumerate(labels) if label and label <= words]
        if len(heads) != 1:
            continue
        own = len(words & exclusive[heads[0]])
        if any(len(words & ex) > own for j, ex in enumerate(exclusive) if j != heads[0]):
            swapped.append(clause)
    return swapped
