"""Cheap contradiction cues: opposite words, wrong numbers, swapped labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A general lexicon of opposites (domain-neutral or broadly technical), as
# stems. Never card-specific: held-out decks come from other fields.
_OPPOSITES = [
    ("increas", "decreas"), ("increas", "reduc"), ("grow", "shrink"), ("rais", "lower"),
    ("more", "fewer"), ("more", "less"), ("larger", "smaller"), ("bigger", "smaller"),
    ("higher", "lower"), ("highest", "lowest"), ("high", "low"), ("large", "small"),
    ("maximum", "minimum"), ("max", "min"), ("maxim", "minim"), ("most", "least"),
    ("upsampl", "downsampl"), ("expand", "reduc"), ("expand", "compress"), ("wider", "narrower"),
    ("before", "after"), ("forward", "backward"), ("previous", "future"), ("past", "future"),
    ("first", "last"), ("earlier", "later"), ("local", "global"), ("encod", "decod"),
    ("add", "remov"), ("add", "subtract"), ("plus", "minus"), ("multipl", "divid"),
    ("sum", "product"), ("concaten", "averag"), ("vanish", "explod"), ("faster", "slower"),
    ("stabl", "unstabl"), ("easier", "harder"), ("sharper", "blurri"), ("soft", "hard"),
    ("always", "never"), ("all", "none"), ("same", "different"), ("ident", "different"),
    ("independ", "depend"), ("correl", "uncorrel"), ("linear", "quadrat"), ("linear", "nonlinear"),
    ("dens", "spars"), ("shallow", "deep"), ("bidirect", "unidirect"), ("bidirect", "causal"),
    ("parallel", "sequenti"), ("overfit", "underfit"), ("posit", "negat"), ("true", "false"),
    ("reject", "accept"), ("bias", "unbias"), ("random", "fix"), ("finit", "infinit"),
    ("prior", "posterior"), ("supervis", "unsupervis"), ("real", "fake"), ("union", "intersect"),
    ("union", "overlap"), ("confid", "overconfid"), ("short", "long"), ("cpu", "gpu"),
    ("preserv", "chang"), ("keep", "discard"), ("keep", "remov"), ("insid", "outsid"),
    ("mean", "median"), ("variance", "bias"), ("one", "two"), ("singl", "multipl"),
    ("wors", "better"), ("cheap", "expens"), ("narrow", "wide"), ("halv", "doubl"),
]
_OPPOSITE_OF: dict[str, set[str]] = {}
for _a, _b in _OPPOSITES:
    _OPPOSITE_OF.setdefault(_a, set()).add(_b)
    _OPPOSITE_OF.setdefault(_b, set()).add(_a)

_WORD = re.compile(r"[a-z][a-z0-9]*")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_NUMBER_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "half": "0.5"}


@dataclass(frozen=True)
class Contradiction:
    """Contradiction cues between an answer and its reference."""

    opposites: tuple[str, ...]
    wrong_numbers: tuple[str, ...]
    swapped_labels: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.opposites) + len(self.wrong_numbers) + len(self.swapped_labels)


def stems(text: str) -> set[str]:
    """Lower-cased word stems; crude suffix stripping is enough for the lexicon."""
    return {_stem(w) for w in _WORD.findall(text.lower())}


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ing", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _lexicon_stems(word_stems: set[str]) -> set[str]:
    out = set()
    for key in _OPPOSITE_OF:
        if any(s == key or (len(key) >= 4 and s.startswith(key)) for s in word_stems):
            out.add(key)
    return out


def find_opposites(answer: str, reference: str) -> list[str]:
    """Words of the answer whose opposite the reference uses instead."""
    ans, ref = _lexicon_stems(stems(answer)), _lexicon_stems(stems(reference))
    found = []
    for word in sorted(ans - ref):
        clash = _OPPOSITE_OF[word] & ref
        if clash:
            found.append(f"{word}/{sorted(clash)[0]}")
    return found


def find_wrong_numbers(answer: str, reference: str) -> list[str]:
    """Numbers in the answer that differ from every number of the reference."""
    ref_numbers = set(_NUMBER.findall(reference))
    if not ref_numbers:
        return []
    text = answer.lower()
    ans_numbers = set(_NUMBER.findall(text))
    return sorted(n for n in ans_numbers - ref_numbers if len(n) >= 2 and not _is_year_like_near(n, ref_numbers))


def _is_year_like_near(number: str, ref_numbers: set[str]) -> bool:
    return False


_LABEL = re.compile(r"^\W*([A-Za-z][\w\-/ ]{0,24}?)\s*:\s*(.+)$")


def find_swapped_labels(answer_clauses: list[str], key_points: list[str]) -> list[str]:
    """Clauses that attach one labelled point's body to another point's label."""
    labelled = [m for m in (_LABEL.match(k) for k in key_points) if m]
    if len(labelled) < 2:
        return []
    labels = [stems(m.group(1)) for m in labelled]
    bodies = [stems(m.group(2)) for m in labelled]
    exclusive = [b - set().union(*(o for j, o in enumerate(bodies) if j != i)) - set().union(*labels)
                 for i, b in enumerate(bodies)]
    swaps = []
    for clause in answer_clauses:
        words = stems(clause)
        heads = [i for i, lab in enumerate(labels) if lab and lab <= words]
        if len(heads) != 1:
            continue
        own = len(words & exclusive[heads[0]])
        for j, ex in enumerate(exclusive):
            if j != heads[0] and len(words & ex) > own:
                swaps.append(clause)
                break
    return swaps
