"""Emacs Org-mode notes rewritten as the Markdown the notes parser reads, line for line (so a
warning's line number still points into the person's file): `#+TITLE:` and `*` headings
as `#` headings, `#+BEGIN_SRC` blocks as fenced code, `=code=`/`~code~` as code spans,
`*bold*`, `/italic/`, `_underline_` and `+strike+` as their words."""

from __future__ import annotations

import re

from coach.markup_spans import render_spans

_HEADING = re.compile(
    r"^(?P<stars>\*+)\s+(?:(?:TODO|DONE|NEXT|WAITING|CANCELLED|COMMENT)\s+)?"
    r"(?:\[#[A-Za-z0-9]\]\s+)?(?P<title>.*?)(?:\s+:[\w@#%:]+:)?$"
)
_TITLE = re.compile(r"^#\+title:\s*(?P<title>.*)$", re.I)
_KEYWORD = re.compile(r"^\s*#\+\w+:")
_COMMENT = re.compile(r"^\s*#(?:\s|$)")
_BEGIN = re.compile(r"^\s*#\+begin_(?P<kind>\w+)(?:\s+(?P<language>[\w+-]+))?", re.I)
_END = re.compile(r"^\s*#\+end_(?P<kind>\w+)", re.I)
# Verbatim blocks become fenced code; a comment or export block is no text of the notes;
# quote, verse, center and the like are only a frame around ordinary text.
_VERBATIM = frozenset(("src", "example"))
_HIDDEN = frozenset(("comment", "export"))
_DRAWER = re.compile(r"^\s*:[\w-]+:\s*$")
_DRAWER_END = re.compile(r"^\s*:end:\s*$", re.I)
_PLANNING = re.compile(r"^\s*(?:SCHEDULED|DEADLINE|CLOSED):")
# A table's rule, `|---+---|`, read as a Markdown table's `|---|---|`.
_TABLE_RULE = re.compile(r"^\s*\|[-+|]+\|?\s*$")
_LINK = re.compile(r"\[\[(?P<target>[^\]]+)\](?:\[(?P<label>[^\]]+)\])?\]")
# "- term :: description", a description list item: the term labels its point.
_DESCRIPTION = re.compile(r"^(?P<bullet>\s*[-+]\s+)(?P<term>.+?)\s+::\s+")
# Org's emphasis rule: the marker opens after a space or one of -({'" and closes before
# a space or punctuation, with no space just inside either marker. So "a*b", "1/2" and
# "snake_case" are no markup.
_SPANS = re.compile(
    r"(?<![^\s\-({'\"])"
    r"(?:(?P<verbatim>[=~])(?P<code>\S|\S.*?\S)(?P=verbatim)"
    r"|(?P<emphasis>[*/_+])(?P<plain>\S|\S.*?\S)(?P=emphasis))"
    r"(?=$|[\s\-.,:!?;'\")}\[])"
)


def rewrite_org_lines(lines: list[str]) -> list[str]:
    """`lines` of an Org file as Markdown lines, as many as there were."""
    out: list[str] = []
    block, in_drawer = "", False  # block: the kind of verbatim or hidden block we are in
    # A drawer (`:PROPERTIES:` … `:END:`) is one only when its end follows.
    last_end = max((i for i, line in enumerate(lines) if _DRAWER_END.match(line)), default=-1)
    for index, line in enumerate(lines):
        if block:
            is_end = bool((end := _END.match(line)) and end["kind"].lower() == block)
            if block in _HIDDEN:
                out.append("")
            elif is_end:
                out.append("```")
            else:
                # Org escapes a code line that would read as a heading with a comma.
                out.append(re.sub(r"^(\s*),(?=\*|#\+)", r"\1", line))
            block = "" if is_end else block
        elif in_drawer:
            in_drawer = not _DRAWER_END.match(line)
            out.append("")
        elif (begin := _BEGIN.match(line)) and begin["kind"].lower() in _VERBATIM | _HIDDEN:
            block = begin["kind"].lower()
            out.append("" if block in _HIDDEN else f"```{begin['language'] or ''}")
        elif _DRAWER.match(line) and not _DRAWER_END.match(line) and index < last_end:
            in_drawer = True
            out.append("")
        else:
            out.append(_rewrite_line(line))
    return out


def _rewrite_line(line: str) -> str:
    if heading := _HEADING.match(line):
        text = _inline(heading["title"], True).strip()
        return f"{'#' * min(len(heading['stars']), 6)} {text}" if text else ""
    if title := _TITLE.match(line):
        return f"# {_inline(title['title'], True)}"
    if _KEYWORD.match(line) or _COMMENT.match(line) or _PLANNING.match(line):
        return ""
    if _BEGIN.match(line) or _END.match(line):
        return ""  # the frame of a quote, verse or center block, around ordinary text
    if _TABLE_RULE.match(line):
        return line.replace("+", "|")
    line = _DESCRIPTION.sub(lambda m: f"{m['bullet']}{m['term']}: ", line)
    return _inline(line.removesuffix("\\\\").rstrip(), False)


def _inline(text: str, in_heading: bool) -> str:
    text = _LINK.sub(lambda m: m["label"] or m["target"], text)
    return render_spans(text, _SPANS, in_heading=in_heading)
