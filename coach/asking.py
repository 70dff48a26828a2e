"""Whether a line of notes asks something: the test that tells a card's question from a
topic, a field name or a line of its answer."""

from __future__ import annotations

import re

_ASKING_WORDS = frozenset(
    (
        "what why how when where which who whose whom is are can could does do did should "
        "would will explain describe define write compare contrast list name give state "
        "derive outline summarize summarise discuss distinguish differentiate walk tell"
    ).split()
)


def is_question(text: str) -> bool:
    """A line reads as a question: it ends in '?', opens with an asking word, or is "X vs Y"."""
    text = text.strip().strip("*").strip()
    if not text:
        return False
    first = re.split(r"[\s,:]", text, maxsplit=1)[0].lower()
    return text.endswith("?") or first in _ASKING_WORDS or bool(re.search(r"\bvs\.?\b", text))
