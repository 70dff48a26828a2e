"""How a clause's words are read against a card's sides: their stems in order, the
words it denies, operators as words, and where a name stands."""

from __future__ import annotations

import re

from coach.contradiction import WORD, negated_stems
from coach.stemming import stem


def operators_named(text: str) -> str:
    """Operators written as words, so "`===`: strict equality" labels a point and "== is
    the strict one" names `==` ("===" reads "opeqeqeq"; code spans lose their backticks)."""
    return _OPERATOR.sub(
        lambda m: "op" + "".join(_OPERATOR_CHARS[c] for c in m.group(1)), text.replace("`", "")
    )


_OPERATOR_CHARS = {"=": "eq", "!": "not", "<": "lt", ">": "gt", "&": "and", "|": "or", "+": "plus"}
# Two to four operator characters standing alone: "==", "!==", "&&", "++", "<=". A lone
# "-" or "=" is a dash or an equation, and "a->b" is code inside a word.
_OPERATOR = re.compile(r"(?<![\w=!<>&|+])([=!<>&|+]{2,4})(?![\w=!<>&|+])")


def named_at(words: list[str], label: frozenset[str]) -> list[int]:
    """Where in `words` the label's words stand together."""
    size = len(label)
    return [i for i in range(len(words) - size + 1) if set(words[i : i + size]) >= label]


def denied_stems(text: str) -> set[str]:
    """Stems of the words the text denies: after a negation ("no guarantee of delivery"),
    or after "instead of", "rather than", "outside" or "unlike" ("uracil instead of
    thymine" says RNA has no thymine; "done outside the nucleus" that it is not in it)."""
    contrasted = {stem(w) for m in _CONTRASTED.finditer(text) for w in WORD.findall(m[1].lower())}
    return negated_stems(text) | contrasted


# The one or two words after the contrast, up to any punctuation.
_CONTRASTED = re.compile(
    r"\b(?:instead of|rather than|outside|unlike)\s+(?:(?:the|a|an)\s+)?([\w-]+(?:\s+[\w-]+)?)",
    re.I,
)


def word_stems(text: str) -> list[str]:
    """The text's word stems in order, with "don't" read as "do not": its "don" is not
    the "done" of "calls it when it is done"."""
    text = _CONTRACTION.sub(
        lambda m: f"{_FULL_FORMS.get(m.group(1), m.group(1))} not", text.lower()
    )
    return [stem(w) for w in WORD.findall(text)]


_CONTRACTION = re.compile(r"\b(\w+)n['’]t\b")
_FULL_FORMS = {"ca": "can", "wo": "will", "sha": "shall"}


def opens_with(clause: str, label: frozenset[str]) -> bool:
    """The clause opens with the label, past any joining words ("and MLE maximises...")."""
    words = word_stems(clause)
    start = next((i for i, w in enumerate(words) if w not in _JOINING), len(words))
    return set(words[start : start + len(label)]) >= label


_JOINING = frozenset(stem(w) for w in ("the a an and but or so while whereas then also".split()))
