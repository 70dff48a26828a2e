"""`coach history [--card ID] [--json]`: the saved attempts, oldest first."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("history")(history_command)


def history_command(
    card_id: Annotated[
        str | None, typer.Option("--card", help="Only this card's attempts.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List your saved attempts."""
    from datetime import UTC, datetime

    from coach import history
    from coach.cli import emit_json, settings, stdout, user_errors
    from coach.errors import InputError
    from coach.render_practice import history_table, nothing_yet_line
    from coach.snapshot import known_cards

    with user_errors():
        config = settings()
        path = config.history_path
        rows: list[history.Attempt] = []
        if path.exists():
            history.open_history(path, datetime.now(UTC))
            rows = history.attempts(path, card_id)
        if card_id is not None and not rows and card_id not in {c.id for c in known_cards(config)}:
            raise InputError(f"no card {card_id!r}: `coach cards` lists the ids")
        if as_json:
            emit_json([attempt.to_json() for attempt in rows])
        elif not rows:
            stdout.print(nothing_yet_line(card_id))
        else:
            stdout.print(history_table(rows, stdout.width))
