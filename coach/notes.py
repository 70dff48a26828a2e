"""Notes files -> cards: numbered plain-text decks, Markdown headings, Q/A pairs, bold questions."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from coach.asking import is_question
from coach.chunking import chunk_prose
from coach.keypoints import split_key_points
from coach.models import Card, ParsedNotes, ParseWarning
from coach.note_lines import DIALECT_SUFFIXES, note_lines
from coach.textsafety import read_notes_text

NOTE_SUFFIXES = (".txt", ".md", ".markdown", *DIALECT_SUFFIXES)

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^(?:-{3,}|\*{3,}|_{3,}|<br\s*/?>|<hr\s*/?>)$", re.I)
_FOOTER = re.compile(r"^(?:last\s+(?:updated|edited|modified|reviewed)|updated\s*:)", re.I)
_NUMBERED = re.compile(r"^(\d{1,4})[.)]\s+(.+)$")
# re.S: a rewritten Anki note is one line of the file holding its answer's line breaks.
_Q_MARK = re.compile(r"^(?:\*\*)?Q(?:uestion)?\s*\d*\s*[:.](?:\*\*)?\s*(.*)$", re.I | re.S)
_A_MARK = re.compile(r"^(?:\*\*)?A(?:nswer)?\s*\d*\s*[:.](?:\*\*)?\s*(.*)$", re.I)
_INLINE_A = re.compile(r"\s+(?:\*\*)?A(?:nswer)?:(?:\*\*)?\s*")
_BOLD_LINE = re.compile(r"^(?:\d{1,4}[.)]\s*)?\*\*(.+?)\*\*(.*)$")
_TAG = re.compile(
    r"^(?:\s*(?:\[[^\]]{1,24}\]|\([^)]{1,24}\)|`[^`]{1,24}`|#[\w-]+|[-–—|·]"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+))*\s*$"
)
_PREFIX = re.compile(r"^(?:Q(?:uestion)?\s*\d*\s*[:.]\s*|\d{1,4}[.)]\s*)", re.I)


def parse_file(path: Path) -> ParsedNotes:
    """Parse one notes file; problems become warnings, never exceptions."""
    source = str(path)
    text, warnings = read_notes_text(path)
    if text is None:
        return ParsedNotes(source=source, warnings=warnings)
    parsed = parse_text(text, source)
    parsed.warnings[:0] = warnings
    return parsed


def parse_text(text: str, source: str) -> ParsedNotes:
    """Parse notes already decoded to text."""
    lines = note_lines(text, Path(source).suffix, is_question)
    outside = _outside_code(lines)
    parser = _Parser(source, lines, _uses_markup_questions(outside), _asking_level(outside))
    parser.run()
    chunks = chunk_prose(parser.prose, source, _slug(source))
    if not parser.cards and not chunks and not parser.warnings:
        parser.warn(1, "no questions found, and too little text to keep as notes")
    return ParsedNotes(source=source, cards=parser.cards, chunks=chunks, warnings=parser.warnings)


def _uses_markup_questions(lines: list[str]) -> bool:
    """Markdown-style decks ask with headings, bold lines or Q: marks; then numbered lines
    inside answers are lists, not questions (`lines`: those outside code blocks)."""
    for line in lines:
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading and is_question(heading.group(2)):
            return True
        if _Q_MARK.match(stripped) and not _NUMBERED.match(stripped):
            return True
        bold = _BOLD_LINE.match(stripped)
        if bold and is_question(_PREFIX.sub("", bold.group(1))):
            return True
    return False


def _asking_level(lines: list[str]) -> int:
    """The heading level that asks: `###` under `#`/`##` topics, or `##` (or `#`) in notes
    that ask at no deeper level (`# Title`, then `## What is X?` per card)."""
    asking = {
        len(heading.group(1))
        for line in lines
        if (heading := _HEADING.match(line.strip())) and is_question(heading.group(2))
    }
    return min(max(asking, default=3), 3)


def _outside_code(lines: list[str]) -> list[str]:
    """The lines outside fenced code blocks: "# install deps" in a shell snippet is a
    comment, not a heading."""
    outside, fenced = [], False
    for line in lines:
        if _FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            outside.append(line)
    return outside


_FENCE = re.compile(r"^(?:```|~~~)")


def _slug(source: str) -> str:
    stem = Path(source).stem.lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "notes"


@dataclass
class _OpenCard:
    question: str
    line: int
    answer: list[str] = field(default_factory=list)


class _Parser:
    """A line-at-a-time state machine; each line either opens, extends or closes a card."""

    def __init__(self, source: str, lines: list[str], markup: bool, asking_level: int) -> None:
        self.source, self.lines, self.markup = source, lines, markup
        self.asking_level = asking_level
        self.fenced = False
        self.topic = ""
        self.card: _OpenCard | None = None
        self.cards: list[Card] = []
        self.prose: list[tuple[int, str, str]] = []
        self.warnings: list[ParseWarning] = []
        self._seen: dict[str, int] = {}

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(source=self.source, line=line, message=message))

    def run(self) -> None:
        for index, raw in enumerate(self.lines):
            self._line(index, raw.strip())
        self._close()

    def _line(self, index: int, line: str) -> None:
        number = index + 1
        if (fence := _FENCE.match(line) is not None) or self.fenced:
            # Code stays in the answer as written; key points leave it out.
            self.fenced = self.fenced != fence
            self._append(self.lines[index], number)
        elif not line:
            self._append("")
        elif _FOOTER.match(line) or _SEPARATOR.match(line):
            self._close()
        elif heading := _HEADING.match(line):
            self._heading(number, len(heading.group(1)), heading.group(2))
        elif (
            self._marked_question(number, line)
            or self._bold_question(number, line)
            or self._table_row(index, line)
        ):
            return
        elif (mark := _A_MARK.match(line)) and self.card and not self.card.answer:
            self._append(mark.group(1))
        elif (
            not self.markup
            and (numbered := _NUMBERED.match(line))
            and is_question(numbered.group(2))
        ):
            self._open(numbered.group(2), number)
        elif self._is_section_heading(index, line):
            self._close()
            self.topic = line
        else:
            self._append(line, number)

    def _heading(self, number: int, level: int, text: str) -> None:
        self._close()
        if level >= self.asking_level and is_question(text):
            self._open(_PREFIX.sub("", text), number)
        elif level <= 2:
            self.topic = text.strip("*").strip()
        else:
            self.prose.append((number, self.topic, text))

    def _marked_question(self, number: int, line: str) -> bool:
        mark = _Q_MARK.match(line)
        if not mark or not mark.group(1).strip():
            return False
        question, answer = _split_inline_answer(mark.group(1))
        self._open(question, number)
        if answer:
            self._append(answer)
        return True

    def _bold_question(self, number: int, line: str) -> bool:
        bold = _BOLD_LINE.match(line)
        if not bold:
            return False
        inner = _PREFIX.sub("", bold.group(1).strip())
        if not is_question(inner):
            return False
        self._open(inner, number)
        trailing = bold.group(2).strip()
        if trailing and not _TAG.match(trailing):
            self._append(trailing)
        return True

    def _table_row(self, index: int, line: str) -> bool:
        """A flash-card table: `| Question? | Answer |` rows are cards, and the header and
        separator rows above them are left out. Other rows are text of the answer above."""
        cells = _cells(line)
        if not cells:
            return False
        if len(cells) >= 2 and is_question(cells[0]) and any(cells[1:]):
            self._open(cells[0], index + 1)
            self._append(_BREAK.sub("\n", "; ".join(cell for cell in cells[1:] if cell)))
            self._close()
            return True
        if all(_RULE.match(cell) for cell in cells):
            return True
        after = [_cells(later) for later in self.lines[index + 1 : index + 3]]
        # The header: the rule below it, then a card.
        return (
            len(after) == 2
            and bool(after[0])
            and all(_RULE.match(cell) for cell in after[0])
            and bool(after[1])
            and is_question(after[1][0])
        )

    def _is_section_heading(self, index: int, line: str) -> bool:
        """In a numbered deck, a short unpunctuated line right before a question is a
        section; in a deck of Q: marks, only one in capitals ("CARDIOVASCULAR"), since an
        answer's last line stands there too."""
        if self.card is not None and not any(self.card.answer):
            return False
        if len(line.split()) > 8 or line[-1] in ".:;,!?" or "$" in line:
            return False
        following = next((n.strip() for n in self.lines[index + 1 :] if n.strip()), "")
        if self.markup:
            marked = _Q_MARK.match(following)
            return bool(marked and marked.group(1).strip()) and line.isupper()
        numbered = _NUMBERED.match(following)
        return bool(numbered and is_question(numbered.group(2)))

    def _open(self, question: str, number: int) -> None:
        self._close()
        question = " ".join(re.sub(r"\*\*|__", "", question).split())
        self.card = _OpenCard(question=question, line=number)

    def _append(self, text: str, number: int = 0) -> None:
        if self.card is not None:
            if text or self.card.answer:
                self.card.answer.append(text)
        elif text:
            self.prose.append((number, self.topic, text))

    def _close(self) -> None:
        card, self.card = self.card, None
        if card is None:
            return
        answer = re.sub(r"\n{3,}", "\n\n", "\n".join(card.answer)).strip()
        if not answer:
            self.warn(card.line, f"question has no answer: {card.question!r}")
            return
        self.cards.append(self._card(card, answer))

    def _card(self, card: _OpenCard, answer: str) -> Card:
        key = " ".join(card.question.lower().split())
        card_id = f"{_slug(self.source)}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"
        if key in self._seen:
            self.warn(card.line, f"duplicate question (first at line {self._seen[key]})")
            card_id += f"-{card.line}"
        self._seen.setdefault(key, card.line)
        return Card(
            id=card_id,
            topic=self.topic or Path(self.source).stem,
            question=card.question,
            answer=answer,
            key_points=split_key_points(answer) or [answer],
            source=self.source,
            line=card.line,
        )


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row, or [] for any other line."""
    line = line.strip()
    if len(line) < 3 or not line.startswith("|") or not line.endswith("|"):
        return []
    return [cell.strip() for cell in line[1:-1].split("|")]


_RULE = re.compile(r"^:?-{3,}:?$")
_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)


def _split_inline_answer(text: str) -> tuple[str, str]:
    """ "What is X? **A:** It is Y" on one line: the question and the answer."""
    parts = _INLINE_A.split(text, maxsplit=1)
    question = parts[0].strip().rstrip("*").strip()
    return (question, parts[1].strip()) if len(parts) == 2 else (question, "")
