"""A notes file's text -> the lines the notes parser reads, always one for one, so a
warning's line number points into the person's file. Markdown and plain text are read as
written (Anki exports and other tools' card syntaxes rewritten); notes in another markup
language, told by the file's suffix, are rewritten as Markdown."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from coach.anki_text import rewrite_anki_rows
from coach.asciidoc_text import rewrite_asciidoc_lines
from coach.card_syntaxes import rewrite_card_syntaxes
from coach.csv_rows import rewrite_csv_rows
from coach.org_text import rewrite_org_lines
from coach.outline_cards import rewrite_outline_cards
from coach.rst_text import rewrite_rst_lines

_DIALECTS: dict[str, Callable[[list[str]], list[str]]] = {
    ".org": rewrite_org_lines,
    ".adoc": rewrite_asciidoc_lines,
    ".asciidoc": rewrite_asciidoc_lines,
    ".asc": rewrite_asciidoc_lines,
    ".rst": rewrite_rst_lines,
    ".csv": rewrite_csv_rows,
    ".tsv": partial(rewrite_csv_rows, delimiters="\t"),
}
DIALECT_SUFFIXES = tuple(_DIALECTS)


def note_lines(text: str, suffix: str, is_question: Callable[[str], bool]) -> list[str]:
    """The lines of `text` as the parser reads them; `suffix` is the file's (".org")."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    rewrite = _DIALECTS.get(suffix.lower())
    if rewrite is not None:
        # Anki rows and Obsidian's "::" are Markdown habits; in these files a tab or a
        # "::" (reStructuredText's literal block) means something else.
        return [line.expandtabs(4).rstrip() for line in rewrite(lines)]
    lines = rewrite_anki_rows(lines, is_question)
    lines = rewrite_card_syntaxes([line.expandtabs(4).rstrip() for line in lines], is_question)
    return rewrite_outline_cards(lines, is_question)
