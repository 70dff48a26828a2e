"""Small pieces of English shared by the renderers."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """ "1 word", "2 words": a count with its noun in the right number."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
