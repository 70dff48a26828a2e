"""Small pieces of English shared by the renderers."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """ "1 word", "2 words": a count with its noun in the right number."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def listed(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
