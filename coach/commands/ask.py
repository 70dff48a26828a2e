"""`coach ask TEXT [--json]`: the cards nearest to a free question."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)


def ask_command(
    text: Annotated[str, typer.Argument(help="A question in your own words.")],
    limit: Annotated[int, typer.Option("-n", "--limit", min=1, help="How many cards.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """Find the cards nearest to a question."""
    from coach.cli import emit_json, settings, stdout, user_errors
    from coach.commands.common import load_embedder, open_store
    from coach.errors import InputError
    from coach.render import matches_table

    with user_errors():
        if not text.strip():
            raise InputError("the question is empty")
        config = settings()
        with open_store(config) as store:
            vector = load_embedder(config).embed([text])[0]
            matches = store.nearest_card_texts(vector, limit)
        if as_json:
            rows = [
                {
                    "card_id": m.card.id,
                    "question": m.card.question,
                    "answer": m.card.answer,
                    "similarity": round(m.similarity, 4),
                }
                for m in matches
            ]
            emit_json(rows)
        else:
            stdout.print(matches_table(matches))
