"""Cards kept in a spreadsheet and exported as CSV or TSV: a header row names the question
and answer columns, any other column (tags, deck) is left out. Each row becomes a
`Q: question A: answer` line at the row's first line of the file, its answer's line breaks
kept, and the lines a quoted field ran on over go blank, so a warning's line number still
points at the row."""

from __future__ import annotations

import csv

_QUESTION_NAMES = frozenset(("question", "questions", "front", "prompt", "q"))
_ANSWER_NAMES = frozenset(("answer", "answers", "back", "response", "a"))


def rewrite_csv_rows(lines: list[str], delimiters: str = ",;\t") -> list[str]:
    """`lines` with each row as a `Q:`/`A:` line, as many lines as there were; as they were
    when no header row names a question and an answer column. The first of `delimiters`
    that reads such a header splits the file (Excel writes ";" where "," is a decimal
    comma)."""
    for delimiter in delimiters:
        rows = _rows(lines, delimiter)
        header = next((n for n, (_, cells) in enumerate(rows) if "".join(cells).strip()), 0)
        if rows and (columns := _columns(rows[header][1])):
            return _cards(len(lines), rows[header + 1 :], *columns)
    return lines


def _rows(lines: list[str], delimiter: str) -> list[tuple[int, list[str]]]:
    """Each row with the index of the line it starts on, up to a row csv cannot read."""
    reader = csv.reader((line + "\n" for line in lines), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 0
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num
    except csv.Error:
        pass  # a field over csv's size limit: the rows before it still count
    return rows


def _columns(header: list[str]) -> tuple[int, int] | None:
    """The question's and the answer's column, when the header names both."""
    names = [cell.strip().lower() for cell in header]
    question = next((n for n, name in enumerate(names) if name in _QUESTION_NAMES), None)
    answer = next((n for n, name in enumerate(names) if name in _ANSWER_NAMES), None)
    return None if question is None or answer is None else (question, answer)


def _cards(count: int, rows: list[tuple[int, list[str]]], question: int, answer: int) -> list[str]:
    out = [""] * count
    for start, cells in rows:
        front, back = (cells[n].strip() if n < len(cells) else "" for n in (question, answer))
        if front:
            back = "\n".join(line.rstrip() for line in back.splitlines()).strip()
            out[start] = f"Q: {' '.join(front.split())}" + (f" A: {back}" if back else "")
    return out
