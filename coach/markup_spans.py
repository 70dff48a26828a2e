"""Inline markup of Org, AsciiDoc and reStructuredText as the notes parser reads it: code as
a Markdown code span, emphasis as its bare words."""

from __future__ import annotations

import re


def render_spans(text: str, spans: re.Pattern[str], *, in_heading: bool = False) -> str:
    """`text` with each match of `spans` rendered. The pattern names the inner text of each
    kind of span `code…` or `plain…` (`code`, `code2`, `plain`); other groups are markers.

    A heading's code is left bare too: the heading is a card's question, read as words."""

    def render(match: re.Match[str]) -> str:
        name, inner = next(
            (name, value)
            for name, value in match.groupdict().items()
            if value is not None and name.startswith(("code", "plain"))
        )
        if name.startswith("code"):
            return inner if in_heading else f"`{inner}`"
        # "*the =x= flag*": emphasis may hold code.
        return render_spans(inner, spans, in_heading=in_heading)

    return spans.sub(render, text)
