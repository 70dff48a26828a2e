"""`coach eval ROWS.jsonl [--json]`: how well the grader agrees with human scores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coach.rows import GradeRow


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def eval_command(
    rows_path: Annotated[Path, typer.Argument(help="JSONL rows with a human `score` (0-5).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Grade offline only.")] = False,
) -> None:
    """Grade labelled answers and report agreement with the human scores."""
    from coach.cli import emit_json, stdout, user_errors
    from coach.evaluation import evaluate
    from coach.render_grade import eval_tables

    with user_errors():
        labelled = _grade_labelled(rows_path, offline)
        keys = [str(i) for i in range(len(labelled))]
        report = evaluate(
            keys,
            [row.kind for row, _ in labelled],
            [float(row.score or 0) for row, _ in labelled],
            [grade for _, grade in labelled],
        )
        if as_json:
            body = report.to_json()
            for worst in body["worst"]:  # type: ignore[attr-defined]
                row = labelled[int(worst["id"])][0]
                worst.update(id=row.id, question=row.question, answer=row.answer)
            emit_json(body)
        else:
            texts = {
                k: (row.question, row.answer, row.id)
                for k, (row, _) in zip(keys, labelled, strict=True)
            }
            for renderable in eval_tables(report, texts):
                stdout.print(renderable)


def _grade_labelled(rows_path: Path, offline: bool) -> list[tuple[GradeRow, float]]:
    """Each row with a human score, with its grade; rows that fail are reported and left out."""
    from coach.cli import stderr
    from coach.commands.grade import build_grader, grade_rows
    from coach.errors import InputError
    from coach.rows import GradeRow, read_rows

    rows = list(read_rows(rows_path))
    if not any(isinstance(r, GradeRow) and r.score is not None for r in rows):
        raise InputError(f"{rows_path}: no rows with a question, an answer and a score")
    # Rows are paired with their grades by position: ids may repeat in a file.
    labelled: list[tuple[GradeRow, float]] = []
    with build_grader(offline, needs_store=False) as grader:
        for row, output in grade_rows(grader, rows):
            if "error" in output:
                stderr.print(f"skipped {output['id']}: {output['error']}")
            elif isinstance(row, GradeRow) and row.score is not None:
                labelled.append((row, float(output["grade"])))  # type: ignore[arg-type]
    return labelled
