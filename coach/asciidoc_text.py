"""AsciiDoc notes rewritten as the Markdown the notes parser reads, line for line (so a
warning's line number still points into the person's file): `=` section titles as `#`
headings, `----` listing and `....` literal blocks as fenced code, `*bold*`, `_italic_`
and `#mark#` as their words, `+mono+` and `` `mono` `` as code spans."""

from __future__ import annotations

import re

from coach.markup_spans import render_spans

_TITLE = re.compile(r"^(?P<marks>={1,6}|#{1,6})\s+(?P<title>\S.*?)(?:\s+(?P=marks))?\s*$")
# Delimited blocks: verbatim ones hold code, compound ones (example, sidebar, quote,
# open, table) only frame ordinary text, and a comment block holds nothing to keep.
_VERBATIM = re.compile(r"^(?:-{4,}|\.{4,}|\+{4,}|`{3}.*)$")
_COMPOUND = re.compile(r"^(?:={4,}|\*{4,}|_{4,}|--|\|={3,}|!={3,})$")
_COMMENT_BLOCK = re.compile(r"^/{4,}$")
_COMMENT = re.compile(r"^//")
_ATTRIBUTE_ENTRY = re.compile(r"^:!?[\w-]+!?:(?:\s|$)")
_BLOCK_ATTRIBUTES = re.compile(r"^\[(?P<attributes>[^\]]*)\]$")
_CODE_STYLE = re.compile(r"^(?:source|listing|literal)\b(?:,\s*(?P<language>[\w+#-]+))?")
_BLOCK_TITLE = re.compile(r"^\.[^\s.]")
_LIST_ITEM = re.compile(r"^(?P<indent>\s*)(?:\*{1,5}|-|\.{1,5})\s+")
_DESCRIPTION = re.compile(r"^(?P<term>\S.*?)(?::{2,4}|;;)(?:\s+(?P<text>.*))?$")
_ADMONITION = re.compile(r"^(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):\s+")
_MACRO = re.compile(
    r"(?P<target>(?:https?://|mailto:|link:|xref:)[^\s\[]*)\[(?P<label>[^\]]*)\]"
    r"|<<(?P<anchor>[^,>]+)(?:,\s*(?P<text>[^>]+))?>>"
)
# Unconstrained (doubled) marks first, then constrained ones, which open after no word
# character and close before none: "snake_case", "C++" and "a*b" are no markup. Not the
# unconstrained "++": "C++ and C++" would read as a passthrough.
_SPANS = re.compile(
    r"`\+(?P<code>.+?)\+`|``(?P<code2>.+?)``"
    r"|\*\*(?P<plain>.+?)\*\*|__(?P<plain2>.+?)__|##(?P<plain3>.+?)##"
    r"|(?<![\w;:}])(?:`(?P<code4>\S|\S.*?\S)`|\+(?P<code5>\S|\S.*?\S)\+"
    r"|(?P<mark>[*_#])(?P<plain4>\S|\S.*?\S)(?P=mark))(?!\w)"
)


def rewrite_asciidoc_lines(lines: list[str]) -> list[str]:
    """`lines` of an AsciiDoc file as Markdown lines, as many as there were."""
    out: list[str] = []
    delimiter = ""  # that closes the verbatim or comment block we are in
    code_paragraph = False  # `[source]` over a paragraph with no delimiters
    language = ""  # of the last `[source,…]`, for the block it stands over
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if delimiter:
            is_end = line == delimiter
            out.append("" if _COMMENT_BLOCK.match(delimiter) else "```" if is_end else raw)
            delimiter = "" if is_end else delimiter
        elif code_paragraph:
            code_paragraph = bool(line.strip())
            out.append(raw if code_paragraph else "```")
        elif _COMMENT_BLOCK.match(line):
            delimiter = line
            out.append("")
        elif _VERBATIM.match(line):
            delimiter = "```" if line.startswith("```") else line
            out.append(line if line.startswith("```") else f"```{language}")
            language = ""
        elif attributes := _BLOCK_ATTRIBUTES.match(line.strip()):
            style = _CODE_STYLE.match(attributes["attributes"])
            language = (style["language"] or "") if style else ""
            # A block title may stand between the attributes and their block.
            following = next(
                (n.rstrip() for n in lines[index + 1 :] if not _BLOCK_TITLE.match(n)), ""
            )
            # A code paragraph opens its fence here; a delimited block at its delimiter.
            code_paragraph = bool(style and following.strip() and not _VERBATIM.match(following))
            out.append(f"```{language}" if code_paragraph else "")
            language = "" if code_paragraph else language
        else:
            out.append(_rewrite_line(line))
    return out


def _rewrite_line(line: str) -> str:
    if title := _TITLE.match(line):
        return f"{'#' * len(title['marks'])} {_inline(title['title'], True)}"
    stripped = line.strip()
    if (
        _COMMENT.match(stripped)
        or _ATTRIBUTE_ENTRY.match(stripped)
        or _BLOCK_TITLE.match(stripped)
        or _COMPOUND.match(stripped)
        or stripped in ("+", "<<<")
    ):
        return ""
    if stripped == "'''":
        return "---"
    line = _ADMONITION.sub("", _LIST_ITEM.sub(lambda m: f"{m['indent']}- ", line))
    if (description := _DESCRIPTION.match(line.strip())) and "::" not in description["term"]:
        line = f"{description['term']}: {description['text'] or ''}".rstrip()
    return _inline(line.removesuffix(" +"), False)


def _inline(text: str, in_heading: bool) -> str:
    text = _MACRO.sub(_macro_text, text)
    return render_spans(text, _SPANS, in_heading=in_heading)


def _macro_text(match: re.Match[str]) -> str:
    if match["anchor"] is not None:
        return match["text"] or match["anchor"]
    return match["label"] or match["target"].removeprefix("link:").removeprefix("xref:")
