"""Anki's "Notes in Plain Text" export: one note a line, fields split by tabs, with HTML
inside fields, and (since Anki 2.1.55) `#key:value` header lines naming the columns that
are not fields (`#tags column:3`). Rewritten as `Q:`/`A:` lines, one for one, so a
warning's line number still points into the person's file."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_HEADER = re.compile(r"^#(?P<key>[a-z ]+):(?P<value>.*)$", re.I)
_NOT_FIELDS = re.compile(r"^(?:tags|deck|notetype|guid) column$", re.I)
_BREAK = re.compile(r"<br\s*/?>|</?(?:div|p|li)[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def rewrite_anki_rows(lines: list[str], is_question: Callable[[str], bool]) -> list[str]:
    """`lines` with each exported note as `Q: front A: back`, or as they were when the
    file is no Anki export (no header lines, and no tab-separated question)."""
    headers = [m for line in lines if (m := _HEADER.match(line.strip()))]
    exported = any(m["key"].lower() == "separator" and m["value"].lower() == "tab" for m in headers)
    skipped = {
        int(m["value"]) - 1
        for m in headers
        if _NOT_FIELDS.match(m["key"].strip()) and m["value"].strip().isdigit()
    }
    out = list(lines)
    for index, line in enumerate(lines):
        if exported and _HEADER.match(line.strip()):
            out[index] = ""
            continue
        if "\t" not in line:
            continue
        fields = [cell for n, cell in enumerate(line.split("\t")) if n not in skipped]
        front, back = (_text(cell) for cell in [*fields, "", ""][:2])
        if front and back and (exported or is_question(front)):
            # One line of the file, the answer's own line breaks kept.
            out[index] = f"Q: {' '.join(front.split())} A: {back}"
    return out


def _text(field: str) -> str:
    """A field's HTML as plain text, line breaks kept."""
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", field))).replace("\u00a0", " ")
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
