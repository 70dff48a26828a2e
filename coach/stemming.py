"""Crude English word stems, and the function words that carry no content."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z][a-z0-9]*")


def stems(text: str) -> set[str]:
    """Lower-cased word stems; crude suffix stripping is enough for the lexicon."""
    return {stem(w) for w in _WORD.findall(text.lower())}


def stem(word: str) -> str:
    """A lower-case word without its commonest English suffix."""
    for suffix in ("ations", "ation", "ing", "ed", "es", "s", "e", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


FUNCTION_WORDS = frozenset(
    (
        "a an the is are was were be been being it its this that these those of to in on at "
        "for with as by from into over than then so and or but if when which who because "
        "while whereas each every all any some no not does do did has have had can will would "
        "should may might you we they he she i your their our there here how what why where "
        "also just only more most less same other another one two both either neither up down "
        "out off"
    ).split()
)
FUNCTION_STEMS = frozenset(stem(w) for w in FUNCTION_WORDS)
