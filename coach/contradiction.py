"""Cheap contradiction cues: words whose opposite the notes use (swapped labels: swaps.py)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import NamedTuple

from coach.stemming import FUNCTION_STEMS, stem, stems

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
    ("forward", "backward"),
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
    ("positiv", "negativ"),
    ("ascent", "descent"),
    ("convex", "concav"),
]
_OPPOSITE_OF: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE_OF.setdefault(_a, set()).add(_b)
    _OPPOSITE_OF.setdefault(_b, set()).add(_a)

# Terms with an opposite in common say the same ("grow" and "explode"), and so do the
# verbs of one direction: "raise", "increase" and "↑".
_UP, _DOWN = {"increas", "rais", "higher"}, {"decreas", "reduc", "lower"}
_OPPOSED_DIRECTION = {**dict.fromkeys(_UP, _DOWN), **dict.fromkeys(_DOWN, _UP)}
_SAME_AS = {
    term: {other for other in _OPPOSITE_OF if _OPPOSITE_OF[other] & _OPPOSITE_OF[term]}
    | {term}
    | (_UP if term in _UP else _DOWN if term in _DOWN else set())
    for term in _OPPOSITE_OF
}

# Whole words among the keys ("more", "same") are matched by their stems ("mor"); the
# others are stems already, and stemming them again would read "spare" as "sparse".
_WHOLE_WORD_KEYS = frozenset("more less same large before always plus minus bias compress".split())
_KEY_STEMS = {key: stem(key) if key in _WHOLE_WORD_KEYS else key for key in _OPPOSITE_OF}

WORD = re.compile(r"[a-z][a-z0-9]*")
NEGATABLE_WORD = re.compile(r"[a-z][a-z0-9'’]*")  # keeps "doesn't" whole
# Typed answers drop the apostrophe ("doesnt", "cant") or curl it ("doesn’t").
NEGATION = re.compile(
    r"\b(?:not|no|never|without|neither|nor|cannot"
    r"|(?:do|does|did|is|are|was|were|ca|wo|has|have|had|should|could|would|need)nt)\b"
    r"|n['’]t\b",
    re.I,
)
# "GPT: decoder-only", and "Binomial(n, p): the number of successes..." with its arguments.
LABEL = re.compile(r"^\W*([A-Za-z][\w\-/ ]{0,24}?)(?:\s*\([^()]{0,20}\))?\s*:\s*(.+)$")


def _lexicon_terms(word_stems: set[str]) -> set[str]:
    # "overconfid" must not also count as "confid": prefer the longest key.
    found = set()
    for word_stem in word_stems:
        keys = [
            k
            for k, k_stem in _KEY_STEMS.items()
            if word_stem in (k, k_stem) or (len(k) >= 4 and word_stem.startswith(k))
        ]
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


def find_opposites(
    clause: str,
    key_point: str,
    reference: str,
    key_points: tuple[str, ...],
    question: str = "",
) -> list[Opposite]:
    """Words of an answer clause whose opposite its aligned key point uses instead, and
    words of amount whose opposite a key point says of the same thing ("more parameters"
    where the notes say "fewer parameters"). A pair the question names only one side of
    is no cue: in "a local variable inside a member function?" the words "local" and
    "inside" name what is asked about, so "globally accessible" and "outside the class"
    are not said against them (when it names both, as "Intersection over Union", their
    order is what is asked)."""
    clause, key_point = _joined(clause), _joined(key_point)
    # "It cannot be used outside the function" says what "only inside" says.
    said = _lexicon_terms(stems(clause)) - _negated_terms(clause)
    # "It fails without a finite variance": an answer that says "infinite" agrees.
    point = _lexicon_terms(stems(key_point)) - _negated_terms(key_point)
    whole = _reference_terms(reference)
    joined_reference = _joined(reference)
    asked = _question_terms(question)
    found = []
    for term in sorted(said):
        if term in whole or term in _QUALIFIERS or (term in _DIRECTIONS and _SAME_AS[term] & whole):
            # A direction is read against the point the clause states: "a price rise
            # raises revenue" is the inelastic point's, not against the elastic one's ↓.
            against = (key_point,) if term in _OPPOSED_DIRECTION else key_points
            clash = _measured_clash(term, clause, joined_reference, against)
            if term in _OPPOSED_DIRECTION and _other_case(clause, key_point):
                clash = set()
            meant_in = joined_reference
        else:
            clash = _OPPOSITE_OF[term] & point
            meant_in = key_point
        clash = {meant for meant in clash if (meant in asked) == (term in asked)}
        if clash:
            meant = sorted(clash)[0]
            found.append(Opposite(term, meant, _spelled(term, clause), _spelled(meant, meant_in)))
    return found


def _measured_clash(
    term: str, clause: str, joined_reference: str, key_points: tuple[str, ...]
) -> set[str]:
    """Opposites of `term` that a key point puts before a word the clause puts `term`
    before, where the notes never put `term` there themselves. Labelled points are left
    out: "Two-stage: More accurate" allows "one-stage is less accurate"."""
    if term in _negated_terms(clause):
        return set()
    # What the notes say of a thing in other words counts: "reduce CYP activity" where
    # they write "↓ CYP activity".
    measured = _qualified(term, clause) - frozenset().union(
        *(_qualified(same, joined_reference) for same in _SAME_AS[term])
    )
    # "same pw ≠ same hash" denies "same hash": "different hashes" agrees with it.
    points = [(p, _denied_by_clause(p)) for p in map(_joined, key_points) if not LABEL.match(p)]
    return {
        meant
        for meant in _OPPOSITE_OF[term] | _OPPOSED_DIRECTION.get(term, set())
        for point, denied in points
        if measured & _qualified(meant, point) and meant not in denied
    }


def _denied_by_clause(text: str) -> set[str]:
    """Lexicon terms a clause of the text denies: in "adds no cost, faster training" the
    negation does not reach "faster"."""
    return set().union(*(_negated_terms(clause) for clause in re.split(r"[,;:.]", text)))


def _other_case(clause: str, key_point: str) -> bool:
    """The clause speaks of the case the point negates: "inelastic" against "elastic",
    where the opposite direction is what the notes say too ("P↑ ⇒ TR ↑")."""
    said, point = set(WORD.findall(clause.lower())), set(WORD.findall(key_point.lower()))
    return any(
        f"{prefix}{word}" in other
        for one, other in ((said, point), (point, said))
        for word in one
        if len(word) >= 4
        for prefix in ("in", "un", "non")
    )


@lru_cache(maxsize=512)
def _question_terms(question: str) -> frozenset[str]:
    return frozenset(_lexicon_terms(stems(_joined(question))))


@lru_cache(maxsize=512)
def _reference_terms(reference: str) -> frozenset[str]:
    """The lexicon terms of a card's whole reference, once per card rather than per clause."""
    return frozenset(_lexicon_terms(stems(_joined(reference))))


@lru_cache(maxsize=4096)
def _qualified(term: str, text: str) -> frozenset[str]:
    """Stems of the words that `term` directly qualifies ("more parameters"); only for
    words of size and amount, whose next word is what they measure."""
    if term not in _QUALIFIERS | _DIRECTIONS:
        return frozenset()
    # "raises the plasma level" measures the plasma level.
    words = [stem(w) for w in WORD.findall(text.lower()) if w not in ("the", "its", "their")]
    return frozenset(
        after
        for word, after in itertools.pairwise(words)
        if _lexicon_terms({word}) == {term}
        and after not in FUNCTION_STEMS
        and not _lexicon_terms({after})
    )


# Words of direction clash over the same thing where the notes use both ("inducers ↑
# enzyme synthesis → ↓ plasma level").
_DIRECTIONS = frozenset(_OPPOSED_DIRECTION)
# Words of amount, size and frequency are said of anything ("overfits less", "a small
# sample"): one clashes only where the notes say its opposite of the same thing.
_QUALIFIERS = frozenset(
    (
        "more less fewer larger smaller bigger higher lower highest lowest large small wider "
        "narrower faster slower short long cheap expens always never same different"
    ).split()
)


def _joined(text: str) -> str:
    """`text` with hyphenated negating prefixes joined: "non-linearities" is the lexicon's
    "nonlinear", not "linear" (it flagged "nonlinearity" as its opposite). Arrows are
    written out before what they measure: "inflation ↓" and "↓ inflation" both read
    "decreases inflation"."""
    text = text.replace("≠", " is not ")
    text = _ARROW_AFTER.sub(lambda m: f"{_ARROWS[m[2]]} {m[1]}", text)
    text = _ARROW_BEFORE.sub(lambda m: f"{_ARROWS[m[1]]} ", text)
    return _PREFIX_HYPHEN.sub(r"\1", text)


_ARROWS = {"↑": "increases", "↓": "decreases"}
_ARROW_AFTER = re.compile(r"\b([A-Za-z][\w-]*)\s*([↑↓])(?!\s*[A-Za-z])")
_ARROW_BEFORE = re.compile(r"([↑↓])\s*")


_PREFIX_HYPHEN = re.compile(r"\b(non|un|in|im|anti|semi)-(?=[A-Za-z])", re.I)


def _spelled(term: str, text: str) -> str:
    """The first word of `text` that is the lexicon term `term`."""
    words = WORD.findall(text.lower())
    return next((w for w in words if _lexicon_terms({stem(w)}) == {term}), term)


def _negated_terms(text: str) -> set[str]:
    """Lexicon terms with a negation up to three words before them."""
    return _lexicon_terms(negated_stems(text))


def negated_stems(text: str) -> set[str]:
    """Stems of the words up to three after a negation ("no guarantee of delivery")."""
    words = NEGATABLE_WORD.findall(text.lower())
    return {
        stem(after)
        for i, word in enumerate(words)
        if NEGATION.search(word)
        for after in words[i + 1 : i + 4]
    }
