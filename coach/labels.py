"""The sides a card's key points compare: the names ("BERT: ...", or "MLE picks..." for
"MLE vs MAP?"), the words each says of its side alone and the words its notes deny."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from coach.clause_words import denied_stems, named_at, opens_with, operators_named, word_stems
from coach.contradiction import LABEL
from coach.stemming import FUNCTION_STEMS, stem, stems


class LabelledPoints(NamedTuple):
    """A card's labels (as stems), whether each must open a clause to count, the body
    words each label alone uses, and the words the notes deny of each."""

    labels: tuple[frozenset[str], ...]
    openers: tuple[bool, ...]
    exclusive: tuple[frozenset[str], ...]
    aliases: tuple[tuple[re.Pattern[str], str], ...]
    lacks: tuple[frozenset[str], ...]


@lru_cache(maxsize=512)
def labelled_points(key_points: tuple[str, ...], question: str) -> LabelledPoints | None:
    """The labelled bodies of a card's points, once per card rather than once per answer;
    None when fewer than two labels are found."""
    key_points = tuple(map(operators_named, key_points))
    named = stems(operators_named(question)) - FUNCTION_STEMS
    # "A constructor is called whenever an object is created, whereas a function needs
    # to be called explicitly": being called explicitly is the function's.
    found = [
        labelled
        for point in key_points
        for labelled in _continued(
            [(part, _labelled(part, named)) for part in _CONTRAST.split(point)]
        )
    ]
    parts = [part for part, _ in found]
    matches = [m for _, m in found if m]
    # The splitter may repeat a label per list item ("BERT: Encoder-only",
    # "BERT: bidirectional"), and the notes may write it in the plural: merge those back
    # into one labelled body.
    grouped: dict[frozenset[str], set[str]] = {}
    lacking: dict[frozenset[str], set[str]] = {}
    named_only: dict[frozenset[str], bool] = {}
    keys = {frozenset(stems(label)) for label, _, _ in matches}
    for label, body, by_name in matches:
        key = frozenset(stems(label))
        # "UDP sends datagrams with no guarantee of delivery": what the notes deny of a
        # name is not its word.
        denied = denied_stems(body)
        lacking.setdefault(key, set()).update(denied - FUNCTION_STEMS)
        for owner, words in _split_at_names(key, body, keys):
            grouped.setdefault(owner, set()).update(set(words) - denied)
        named_only[key] = named_only.get(key, True) and by_name
    labels = list(grouped)
    unlabelled = _add_following_points(found, grouped)
    exclusive = _exclusive_words(labels, list(grouped.values()), unlabelled)
    short_names = [
        m for m in (_ALIASED.match(part) for part in parts) if m and _abbreviates(m[2], m[1])
    ]
    aliases = tuple((_whole_word(m.group(2)), m.group(1)) for m in short_names)
    yardsticks = _yardsticks(matches, short_names)
    compared = _compared(labels, named, named_only)
    kept = [i for i, label in enumerate(labels) if label in compared]
    if len(kept) < 2:
        return None
    return LabelledPoints(
        tuple(labels[i] for i in kept),
        tuple(named_only[labels[i]] or labels[i] in yardsticks for i in kept),
        tuple(exclusive[i] for i in kept),
        aliases,
        # "reliable but not valid" denies a name, which says nothing of either side.
        tuple(frozenset(lacking.get(labels[i], set()) - set().union(*labels)) for i in kept),
    )


def _continued(
    parts: list[tuple[str, tuple[str, str, bool] | None]],
) -> list[tuple[str, tuple[str, str, bool] | None]]:
    """The parts of one point with its label carried past "but" or "whereas" to a part
    that opens with no name: in "Antagonist: affinity but zero efficacy, blocks agonist's
    effect" the zero efficacy is the antagonist's, though it names the agonist."""
    out = parts[:1]
    for part, match in parts[1:]:
        previous = out[-1][1]
        if match is None and previous is not None:
            match = (previous[0], part, previous[2])
        out.append((part, match))
    return out


def _add_following_points(
    found: list[tuple[str, tuple[str, str, bool] | None]], grouped: dict[frozenset[str], set[str]]
) -> list[str]:
    """Add to each written label ("REST: many endpoints...") the words of the points that
    follow it up to the next name ("Plain GET responses cache well in HTTP caches"), and
    return the points that belong to no label."""
    unlabelled = []
    current: frozenset[str] | None = None
    for part, match in found:
        if match:
            current = None if match[2] else frozenset(stems(match[0]))
            # A point whose words all went to names it mentions ("Trilinear: bilinear in
            # two levels") has no body of its own to extend.
            current = current if current in grouped else None
            continue
        words = word_stems(part)
        if current is not None and not any(named_at(words, label) for label in grouped):
            grouped[current].update(set(words) - denied_stems(part))
        else:
            current = None
            unlabelled.append(part)
    return unlabelled


def _yardsticks(
    matches: list[tuple[str, str, bool]], short_names: list[re.Match[str]]
) -> set[frozenset[str]]:
    """Labels another point measures against: "Second normal form (2NF): 1NF, and every
    non-key column..." makes 1NF a yardstick, the subject of a clause ("it's in 1NF
    and...") only when the clause opens with it."""
    names = [(frozenset(stems(label)), label) for label, _, _ in matches]
    names += [(frozenset(stems(m.group(1))), m.group(2)) for m in short_names]
    return {
        key
        for key, name in names
        for label, body, _ in matches
        if key != frozenset(stems(label)) and _whole_word(name).search(body)
    }


def _compared(
    labels: list[frozenset[str]], named: set[str], named_only: dict[frozenset[str], bool]
) -> set[frozenset[str]]:
    """The labels a swap may be between: the ones the question names when it names two
    or more ("REST" and "GraphQL", not the notes' "Costs: ..."), else the ones the notes
    write as labels ("Xavier: ..." and "He: ..." for a question on initialisation). One
    name of the question is no comparison: "Depreciation costs no cash" is not a side
    against "Income statement: ..." when the question asks what depreciation does."""
    asked = {
        label
        for label in labels
        if all(_abbreviated_in(word, named) for word in label - FUNCTION_STEMS)
    }
    return asked if len(asked) >= 2 else {label for label in labels if not named_only[label]}


def _abbreviated_in(word: str, named: set[str]) -> bool:
    """The question names the word, or a word it is short for: "Eig:" for
    "eigendecomposition", "Absolute adv:" for "absolute advantage"."""
    return word in named or (len(word) >= 3 and any(name.startswith(word) for name in named))


def _split_at_names(
    key: frozenset[str], body: str, keys: set[frozenset[str]]
) -> list[tuple[frozenset[str], list[str]]]:
    """A body's words by the label they are said of: in "Operating leverage comes from the
    cost structure, financial leverage from the capital structure" the capital structure
    is financial leverage's. Only a clause that opens with the other name changes hands:
    in "Correlation is covariance normalised by..." covariance is an object."""
    owner, out = key, []
    for clause in re.split(r"[,;]", body):
        owner = next((other for other in keys - {key} if opens_with(clause, other)), owner)
        out.append((owner, word_stems(clause)))
    return out


def _exclusive_words(
    labels: list[frozenset[str]], bodies: list[set[str]], unlabelled: list[str]
) -> list[frozenset[str]]:
    """The body words each label alone uses. A point that names a label without being
    labelled by it lends that label its words: "async/await is built on promises" makes
    "async" no word of callbacks alone, though "the async operation" is in theirs."""
    all_labels = set().union(*labels)
    lent: list[set[str]] = [set() for _ in labels]
    for point in unlabelled:
        words = word_stems(point)
        # "...turns the LEFT JOIN back into an inner one" is about the LEFT JOIN.
        named = [(at[0], i) for i, label in enumerate(labels) if (at := named_at(words, label))]
        if named:
            lent[min(named)[1]] |= set(words)
    # Function words say nothing of either label ("a" in one body, "an" in the other),
    # nor does the "s" of "table's" against the "s" of "there's".
    return [
        frozenset(w for w in body - all_labels - FUNCTION_STEMS - _LIGHT_VERBS if len(w) > 1)
        - frozenset().union(*(bodies[j] | lent[j] for j in range(len(bodies)) if j != i))
        for i, body in enumerate(bodies)
    ]


# Verbs that say little of their own: "Financial leverage comes from borrowing" does not
# borrow "comes" from "Operating leverage comes from the cost structure".
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in "come comes go goes get gets make makes take takes use uses have has do does "
    "give gives mean means say says keep keeps put puts let lets need needs".split()
)


def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I)


# "Second normal form (2NF): ...": an answer may say either name.
_ALIASED = re.compile(r"^\W*([A-Za-z][\w\-/ ]{0,24}?)\s*\(([\w-]{2,12})\)\s*:")


def _abbreviates(short: str, name: str) -> bool:
    """ "3NF" is short for "Third normal form": its letters are initials of the name, in
    order. "Cardioselective (β1)" names the receptor, not the drugs."""
    initials = iter(word[0] for word in name.lower().split())
    return all(letter in initials for letter in short.lower() if letter.isalpha())


def _labelled(key_point: str, named: set[str]) -> tuple[str, str, bool] | None:
    """A key point's label, its body, and whether the label is only the question's name it
    opens with ("MLE picks the parameters...", "Covariance, Cov(X,Y) = ...") rather than
    written as one ("GPT: decoder-only")."""
    if (m := LABEL.match(key_point)) and not _glossed(m.group(1), named):
        return None if _not_a_name(m.group(1)) else (m.group(1), m.group(2), False)
    # "A LEFT (OUTER) JOIN returns every row...": the aside is not part of the name.
    key_point = _ASIDE.sub("", key_point)
    words = list(_LEADING_WORD.finditer(key_point))
    start = 1 if words and words[0].group(0).lower() in _ARTICLES else 0
    end = start
    while end < min(len(words), start + 3) and _named(words[end].group(0), named):
        end += 1
    if end == start:
        return None
    label = key_point[words[start].start() : words[end - 1].end()]
    body = key_point[words[end - 1].end() :]
    if re.match(r"\.\w", body):
        return None  # "`Promise.all` runs steps in parallel" is not said of promises
    return label, body, True


_ASIDE = re.compile(r"\s*\([^()]{1,30}\)")


def _not_a_name(label: str) -> bool:
    """A heading ("Why it matters:", "Also:") labels no side, and one letter ("A: 1 cloth
    = 2 wine", country A) cannot be told from an answer's article."""
    words = label.lower().split()
    return len(label.strip()) == 1 or not words or words[0] in _HEADING_WORDS


def _glossed(label: str, named: set[str]) -> bool:
    """Prose notes name a side and gloss it before the colon: "Reliability is consistency:
    does the measure..." names reliability, the question's word."""
    parts = _COPULA.split(label, maxsplit=1)
    name = [w for w in parts[0].split() if w.lower() not in _ARTICLES]
    return len(parts) == 2 and bool(name) and all(_named(w, named) for w in name)


_COPULA = re.compile(r"\s+(?:is|are|means)\s+", re.I)
_HEADING_WORDS = frozenset("why how when where what which who also so then note both".split())


def _named(word: str, named: set[str]) -> bool:
    """The word is one the question names; a hyphenated one when each part is
    ("non-clustered" for "clustered and non-clustered")."""
    return all(stem(part) in named for part in word.lower().split("-") if part)


_CONTRAST = re.compile(r"[,;]?\s*\b(?:whereas|while|unlike|but)\b\s*", re.I)


_LEADING_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*")
_ARTICLES = frozenset(("the", "a", "an"))
