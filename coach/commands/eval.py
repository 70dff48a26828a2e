"""`coach eval ROWS.jsonl [--json]`: how well the grader agrees with human scores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def eval_command(
    rows_path: Annotated[Path, typer.Argument(help="JSONL rows with a human `score` (0-5).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Grade offline only.")] = False,
) -> None:
    """Grade labelled answers and report agreement with the human scores."""
    from coach.cli import emit_json, stderr, stdout, user_errors
    from coach.commands.grade import grade_rows, make_grader
    from coach.errors import InputError
    from coach.evaluation import evaluate
    from coach.render_grade import eval_tables
    from coach.rows import GradeRow, read_rows

    with user_errors():
        rows = {r.id: r for r in read_rows(rows_path) if isinstance(r, GradeRow)}
        labelled = {k: r for k, r in rows.items() if r.score is not None}
        if not labelled:
            raise InputError(f"{rows_path}: no rows with a question, an answer and a score")
        outputs = grade_rows(make_grader(offline, needs_store=False), rows_path)
        graded = [o for o in outputs if "grade" in o and str(o["id"]) in labelled]
        for failed in (o for o in outputs if "error" in o):
            stderr.print(f"skipped {failed['id']}: {failed['error']}")
        ids = [str(o["id"]) for o in graded]
        report = evaluate(
            ids,
            [labelled[i].kind for i in ids],
            [float(labelled[i].score or 0) for i in ids],
            [float(o["grade"]) for o in graded],  # type: ignore[arg-type]
        )
        texts = {i: (labelled[i].question, labelled[i].answer) for i in ids}
        if as_json:
            body = report.to_json()
            for worst in body["worst"]:  # type: ignore[union-attr]
                worst["question"], worst["answer"] = texts[worst["id"]]
            emit_json(body)
        else:
            for renderable in eval_tables(report, texts):
                stdout.print(renderable)
