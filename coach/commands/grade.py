"""`coach grade --question Q --answer A [--json]` and `coach grade --batch ROWS.jsonl`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coach.grader import Grader
    from coach.llm_grading import CombinedGrade
    from coach.models import Card
    from coach.rows import GradeRow, RowError
    from coach.signals import Reference


# Answers embedded together before grading: big enough for long length-sorted batches,
# small enough that a thousand long answers never hold all their vectors at once.
PREFETCH_ROWS = 256


def register(app: typer.Typer) -> None:
    app.command("grade")(grade_command)


def grade_command(
    question: Annotated[str | None, typer.Option("--question", "-q", help="The question.")] = None,
    answer: Annotated[
        str | None, typer.Option("--answer", "-a", help="Your answer ('-' reads stdin).")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="Grade every row of a JSONL file.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Grade offline only.")] = False,
) -> None:
    """Grade an answer (or a JSONL batch) against the notes."""
    from coach.cli import emit_json, stderr, stdout, user_errors
    from coach.render_grade import grade_panel
    from coach.rows import read_rows

    with user_errors():
        if batch is not None:
            if question is not None or answer is not None:
                raise typer.BadParameter("use either --batch or --question/--answer, not both")
            rows = list(read_rows(batch))
            with build_grader(offline, needs_store=False) as grader:
                for _, output in grade_rows(grader, rows):
                    emit_json(output)
            return
        if question is None or answer is None:
            raise typer.BadParameter("give --question and --answer (or --batch ROWS.jsonl)")
        if answer == "-":
            answer = sys.stdin.read()
        with build_grader(offline) as grader:
            card, result = grade_one(grader, question, answer)
            questions = {c.id: c.question for c in grader.cards.values()}
        if result.llm_error:
            stderr.print(f"LLM rubric unavailable, graded offline: {result.llm_error}")
        if as_json:
            emit_json(output_row(None, card, result))
        else:
            stdout.print(grade_panel(card.question, card.answer, result, questions))


def build_grader(offline: bool, needs_store: bool = True) -> Grader:
    """Settings, store and embedder for grading; says once when grading is offline.

    A batch whose rows all carry a reference needs no store (`needs_store=False`).
    """
    from coach.cli import settings, stderr
    from coach.commands.common import load_embedder, open_store
    from coach.errors import StoreMissingError
    from coach.grader import Grader
    from coach.llm_grading import offline_reason

    config = settings(offline=offline)
    reason = offline_reason(config)
    if reason and not config.offline:
        stderr.print(reason)
    try:
        store = open_store(config)
    except StoreMissingError:
        if needs_store:
            raise
        store = None
    try:
        return Grader(store, load_embedder(config), config)
    except BaseException:
        if store is not None:
            store.close()
        raise


def grade_one(grader: Grader, question: str, answer: str) -> tuple[Card, CombinedGrade]:
    from coach.errors import InputError

    if not question.strip():
        raise InputError("the question is empty")
    ((card, similarity),) = grader.match_cards([question])
    if card is None:
        raise InputError(no_match_message(question, similarity))
    return card, grader.grade_card(answer, card)


def no_match_message(question: str, similarity: float) -> str:
    return (
        f"no card in the notes matches {question[:80]!r} (nearest question similarity "
        f"{similarity:.2f}); add it to your notes and run `coach ingest`"
    )


def grade_rows(
    grader: Grader, rows: list[GradeRow | RowError]
) -> Iterator[tuple[GradeRow | RowError, dict[str, object]]]:
    """Each row with its output object, in input order, as soon as it is graded; a row
    that cannot be graded becomes `{"id", "error"}` and the batch goes on."""
    from coach.errors import CoachError
    from coach.rows import GradeRow

    by_card = [r for r in rows if isinstance(r, GradeRow) and r.reference is None]
    matches = dict(
        zip(map(id, by_card), grader.match_cards([r.question for r in by_card]), strict=True)
    )
    for start in range(0, len(rows), PREFETCH_ROWS):
        part = rows[start : start + PREFETCH_ROWS]
        graded = [r for r in part if isinstance(r, GradeRow)]
        # On failure each row builds its own reference and reports its own error, in order.
        with contextlib.suppress(CoachError):
            grader.text_references(
                [(r.question, r.reference) for r in graded if r.reference and r.reference.strip()]
            )
        references = [_row_reference(grader, r, matches.get(id(r))) for r in graded]
        grader.prefetch(
            [(r.answer, ref) for r, ref in zip(graded, references, strict=True) if ref is not None]
        )
        for row in part:
            yield row, _grade_row(grader, row, matches.get(id(row)))


def _row_reference(
    grader: Grader, row: GradeRow, match: tuple[Card | None, float] | None
) -> Reference | None:
    """The reference a row is graded against, when it has one; errors are left for
    `_grade_row` to report in order."""
    from coach.errors import CoachError

    if _row_problem(row, match) is not None:
        return None
    try:
        if row.reference is not None:
            return grader.text_reference(row.question, row.reference)
        return grader.reference(match[0]) if match and match[0] else None
    except CoachError:
        return None


def _row_problem(row: GradeRow, match: tuple[Card | None, float] | None) -> str | None:
    """Why a row cannot be graded, when that is known before any embedding."""
    if row.reference is not None:
        return None if row.reference.strip() else "the reference is empty"
    card, similarity = match if match else (None, 0.0)
    return None if card is not None else no_match_message(row.question, similarity)


def _grade_row(
    grader: Grader, row: GradeRow | RowError, match: tuple[Card | None, float] | None
) -> dict[str, object]:
    from coach.errors import CoachError
    from coach.rows import RowError

    if isinstance(row, RowError):
        return row.to_json()
    try:
        return _grade_valid_row(grader, row, match)
    except CoachError as exc:
        return {"id": row.id, "error": str(exc)}


def _grade_valid_row(
    grader: Grader, row: GradeRow, match: tuple[Card | None, float] | None
) -> dict[str, object]:
    problem = _row_problem(row, match)
    if problem is not None:
        return {"id": row.id, "error": problem}
    if row.reference is not None:
        result = grader.grade_reference(row.answer, row.question, row.reference)
        return output_row(row.id, None, result, matched_question=row.question)
    card = match[0] if match else None
    assert card is not None  # _row_problem said so
    return output_row(row.id, card, grader.grade_card(row.answer, card))


def output_row(
    row_id: str | int | None,
    card: Card | None,
    result: CombinedGrade,
    matched_question: str | None = None,
) -> dict[str, object]:
    """The DESIGN.md row: id, card_id, matched_question, grade ... flags, plus delivery."""
    body = result.to_json()
    row: dict[str, object] = {
        "id": row_id,
        "card_id": card.id if card else None,
        "matched_question": card.question if card else matched_question,
        "grade": round(float(result.grade), 2),
        "score": result.score,
        "verdict": result.verdict,
        "mode": result.mode,
        "similarity": body["similarity"],
        "coverage": body["coverage"],
        "covered": body["covered"],
        "missed": body["missed"],
        "flags": body["flags"],
        "delivery": asdict(result.offline.delivery),
    }
    if "llm" in body:
        row["llm"] = body["llm"]
    return row
