"""Outliner pages (Logseq, and Markdown kept as one nested list): every line is a bullet,
a card is a bullet that asks (`- What is X? #card`) with its answer in the bullets nested
under it, and a bullet holding cards is their topic. Rewritten as Markdown headings and
answer bullets, one line for one line, so a warning's line number still points into the
person's file."""

from __future__ import annotations

import re
from collections.abc import Callable

_BULLET = re.compile(r"^(?P<indent>\s*)[-*+]\s+(?P<text>.*)$")
# Logseq's page and block properties ("title:: Epidemiology", "card-last-score:: 5").
_PROPERTY = re.compile(r"^\s*(?:[-*+]\s+)?(?P<key>[A-Za-z][\w-]*)::\s(?P<value>.*)$")
_TAGS = re.compile(r"(?:\s+#(?:\[\[[^\]]+\]\]|[\w/-]+))+\s*$")
# Most of the lines that say something must be bullets for the page to be an outline.
_OUTLINE_SHARE = 0.8


def rewrite_outline_cards(lines: list[str], is_question: Callable[[str], bool]) -> list[str]:
    """`lines` (tabs expanded) with each asking bullet that has nested bullets as a `###`
    question, its topic bullets as `##` headings and the page title as `#`; unchanged
    when the page is no outline or no bullet asks."""
    said = [line for line in lines if line.strip() and not _PROPERTY.match(line)]
    bullets = [_BULLET.match(line) for line in lines]
    if not said or sum(map(bool, bullets)) < _OUTLINE_SHARE * len(said):
        return lines
    depths = [len(m["indent"]) if m else None for m in bullets]
    cards = {
        i
        for i, m in enumerate(bullets)
        if m and is_question(_TAGS.sub("", m["text"])) and _nesting(depths, i) > 0
    }
    if not cards:
        return lines
    out = list(lines)
    topics = {_parent(depths, i) for i in cards} - {None}
    for i, line in enumerate(lines):
        prop = _PROPERTY.match(line)
        if prop:
            out[i] = f"# {prop['value']}" if prop["key"].lower() == "title" else ""
        elif i in cards or i in topics:
            text = _TAGS.sub("", bullets[i]["text"]).strip()  # type: ignore[index]
            out[i] = f"### {text}" if i in cards else f"## {text}"
    for i in cards:
        depth, step = depths[i], _nesting(depths, i)
        for j in range(i + 1, len(lines)):
            indent = len(lines[j]) - len(lines[j].lstrip())
            if lines[j].strip() and indent <= depth:  # type: ignore[operator]
                if j not in cards and j not in topics and bullets[j]:
                    # A note among the cards: a heading below the questions' level ends
                    # the card above, and keeps the note as context, not as its answer.
                    out[j] = f"#### {bullets[j]['text'].strip()}"  # type: ignore[index]
                break
            # The answer's bullets one level up: the top-level items of the answer.
            out[j] = out[j][min(indent, depth + step) :]  # type: ignore[operator]
    return out


def _parent(depths: list[int | None], index: int) -> int | None:
    depth = depths[index]
    for j in range(index - 1, -1, -1):
        if depths[j] is not None and depths[j] < depth:  # type: ignore[operator]
            return j
    return None


def _nesting(depths: list[int | None], index: int) -> int:
    """How much deeper the next bullet sits than this one: 0 when it has no nested bullet."""
    below = next((d for d in depths[index + 1 :] if d is not None), None)
    return max(0, below - depths[index]) if below is not None else 0  # type: ignore[operator]
