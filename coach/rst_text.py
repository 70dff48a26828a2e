"""reStructuredText notes rewritten as the Markdown the notes parser reads, line for line
(so a warning's line number still points into the person's file): titles as `#`
headings, `.. code-block::` directives and `::` literal blocks as fenced code, ``literal``
as a code span, and `*emphasis*`, `**strong**` and `interpreted text` as their words."""

from __future__ import annotations

import re

from coach.markup_spans import render_spans

# Any punctuation repeated makes a title's adornment.
_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+$")
# docutils takes an underline shorter than its title when it is at least this long.
_SHORT_UNDERLINE = 4
_BULLET = re.compile(r"^\s*(?:[-*+•‣⁃]|#\.|\d+[.)])\s")
_EXPLICIT = re.compile(r"^(?P<indent>\s*)\.\.(?:\s+(?P<rest>.*))?$")
_DIRECTIVE = re.compile(r"^(?P<name>[\w:-]+)::(?:\s+(?P<argument>.*))?$")
_CODE_DIRECTIVES = frozenset(("code-block", "code", "sourcecode"))
# Directives whose body is ordinary text of the notes; any other (image, toctree,
# include, a comment, a link target) holds nothing to say aloud.
_TEXT_DIRECTIVES = frozenset(
    "note tip hint important attention caution danger error warning admonition seealso "
    "topic sidebar rubric epigraph highlights pull-quote compound container math".split()
)
_OPTION = re.compile(r"^\s+:[\w-]+:")
_FIELD = re.compile(r"^(?P<indent>\s*):(?P<name>[^:\s][^:]*):(?:\s+|$)")
_LINE_BLOCK = re.compile(r"^(?P<indent>\s*)\|(?:\s+|$)")
_FOOTNOTE_REFERENCE = re.compile(r"\s*\[(?:#|\*|\d+|#?[\w-]+)\]_")
# docutils' rule: markup opens after a space or one of -:/'"<([{ and closes before a
# space or punctuation, with no space just inside it; so "2 * 3" and "a*b" are no markup.
_CODE_ROLE = (
    r"(?:code|literal|samp|file|command|kbd|envvar|option|program|func|meth|class|attr|mod"
    r"|obj|data|const|exc|[a-z]+:\w+)"
)
_SPANS = re.compile(
    r"(?<![^\s\-:/'\"<(\[{])"
    r"(?:``(?P<code>\S|\S.*?\S)``"
    rf"|:{_CODE_ROLE}:`(?P<code2>[^`]+)`"
    r"|\*\*(?P<plain>\S|\S.*?\S)\*\*"
    r"|\*(?P<plain2>\S|\S.*?\S)\*"
    r"|(?::[\w:+-]+:)?`(?P<plain3>[^`<]*?[^\s`<])(?:\s*<[^<>`]*>)?`(?:__?|:[\w:+-]+:)?)"
    r"(?=$|[\s\-.,:;!?\\/'\")\]}>])"
)


def rewrite_rst_lines(lines: list[str]) -> list[str]:
    """`lines` of a reStructuredText file as Markdown lines, as many as there were."""
    lines = [line.expandtabs(8).rstrip() for line in lines]  # docutils' tab stops
    out = list(lines)
    # A title's level is the order in which its adornment style first appears.
    styles: list[tuple[str, bool]] = []
    index = 0
    while index < len(lines):
        if not (step := _title(lines, out, index, styles)):
            step = _explicit_markup(lines, out, index) or _literal_block(lines, out, index)
        if not step:
            out[index] = _rewrite_line(lines, index)
            step = 1
        index += step
    return out


def _title(lines: list[str], out: list[str], index: int, styles: list[tuple[str, bool]]) -> int:
    """A title with its adornment as a heading and blanks; returns the lines it took."""
    line, below = lines[index], _line(lines, index + 1)
    if (
        _ADORNMENT.match(line)
        and below.strip()
        and not _ADORNMENT.match(below)
        and _line(lines, index + 2) == line
    ):
        text, style, taken = below.strip(), (line[0], True), 3
    elif (
        line.strip()
        and not line[0].isspace()
        and not _ADORNMENT.match(line)
        and not _BULLET.match(line)
        and (index == 0 or not lines[index - 1].strip() or not out[index - 1])
        and (adornment := _ADORNMENT.match(below))
        and len(below) >= min(len(line), _SHORT_UNDERLINE)
    ):
        text, style, taken = line, (adornment.group(1), False), 2
    else:
        return 0
    if style not in styles:
        styles.append(style)
    level = min(styles.index(style) + 1, 6)
    out[index : index + taken] = [""] * taken
    out[index + taken - 2] = f"{'#' * level} {_inline(text, True)}"
    return taken


def _explicit_markup(lines: list[str], out: list[str], index: int) -> int:
    """A `..` block: code as a fence, a text directive as its text, any other as blanks."""
    markup = _EXPLICIT.match(lines[index])
    if not markup:
        return 0
    directive = _DIRECTIVE.match(markup["rest"] or "")
    name = directive["name"].lower() if directive else ""
    end = _block_end(lines, index + 1, len(markup["indent"]))
    options = next((n for n in range(index + 1, end) if not _OPTION.match(lines[n])), end)
    out[index + 1 : options] = [""] * (options - index - 1)
    if directive and name in _CODE_DIRECTIVES:
        _fence(lines, out, index, options, end, directive["argument"] or "")
        return end - index
    if directive and name in _TEXT_DIRECTIVES:
        out[index] = _inline(directive["argument"] or "", False)
        return options - index
    out[index:end] = [""] * (end - index)
    return end - index


def _literal_block(lines: list[str], out: list[str], index: int) -> int:
    """A paragraph ending in "::" over a blank line and an indented block: the block is
    code, and "Example::" reads "Example:"."""
    line = lines[index]
    indent = len(line) - len(line.lstrip())
    if not line.endswith("::") or _line(lines, index + 1).strip():
        return 0
    end = _block_end(lines, index + 2, indent)
    if not any(lines[n].strip() for n in range(index + 2, end)):
        return 0
    text = line[:-2].rstrip() if line.strip() == "::" or line[-3].isspace() else line[:-1]
    out[index] = _rewrite_line([text], 0)
    _fence(lines, out, index + 1, index + 2, end, "")
    return end - index


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The first line from `start` back at `indent` or less (not counting blank ones)."""
    for index in range(start, len(lines)):
        line = lines[index]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            return index
    return len(lines)


def _fence(
    lines: list[str], out: list[str], start: int, body: int, end: int, language: str
) -> None:
    """The block's lines `body` to `end` as code, fenced on line `start` and on the block's
    last line. That is a blank one, unless the file breaks the rule that ends a block with
    one: then that code line is lost, and not the text after it."""
    code = [n for n in range(body, end) if lines[n].strip()]
    if not code:
        out[start] = ""
        return
    margin = min(len(lines[n]) - len(lines[n].lstrip()) for n in code)
    for n in code:
        out[n] = lines[n][margin:]
    out[start] = f"```{language}"
    if end < len(lines) or not lines[end - 1].strip():
        out[end - 1] = "```"


def _rewrite_line(lines: list[str], index: int) -> str:
    line = lines[index]
    if _ADORNMENT.match(line):
        # A transition ends a card as "---" does; any other stray adornment ("~~~" would
        # open a Markdown fence) is dropped.
        is_transition = not _line(lines, index - 1).strip() and not _line(lines, index + 1).strip()
        return "---" if is_transition and len(line) >= _SHORT_UNDERLINE else ""
    line = _FIELD.sub(lambda m: f"{m['indent']}{m['name']}: ", line)
    line = _LINE_BLOCK.sub(lambda m: m["indent"], line)
    line = re.sub(r"^(\s*)#\.(?=\s)", r"\1-", line)
    return _inline(line, False)


def _inline(text: str, in_heading: bool) -> str:
    return render_spans(_FOOTNOTE_REFERENCE.sub("", text), _SPANS, in_heading=in_heading)


def _line(lines: list[str], index: int) -> str:
    return lines[index] if 0 <= index < len(lines) else ""
