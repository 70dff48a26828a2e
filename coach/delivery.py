"""How an answer was said: length, speaking time, fillers, hedges. Never changes the grade."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS_PER_MINUTE = 150
_FILLER = re.compile(
    r"\b(?:u+h+m*|u+m+|e+r+m+|h+m+|you know|i mean|basically|sort of|kind of|like(?=\s*,))\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:i think|i guess|i believe|probably|maybe|perhaps|not sure|i'?m not certain|"
    r"something like|more or less|if i remember|i don'?t remember)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Delivery:
    """Delivery metrics of one answer."""

    word_count: int
    speaking_seconds: float
    filler_count: int
    filler_rate: float
    hedge_count: int


def analyse_delivery(answer: str) -> Delivery:
    """Count words, fillers and hedges; estimate speaking time at 150 words a minute."""
    words = re.findall(r"\S+", answer)
    fillers = len(_FILLER.findall(answer))
    return Delivery(
        word_count=len(words),
        speaking_seconds=round(len(words) * 60.0 / WORDS_PER_MINUTE, 1),
        filler_count=fillers,
        filler_rate=round(fillers / len(words), 3) if words else 0.0,
        hedge_count=len(_HEDGE.findall(answer)),
    )
