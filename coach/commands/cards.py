"""`coach cards [--topic T] [--json]`."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("cards")(cards_command)


def cards_command(
    topic: Annotated[str | None, typer.Option("--topic", help="Only this topic.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list.")] = False,
) -> None:
    """List the cards in the store."""
    from coach.cli import emit_json, settings, stdout, user_errors
    from coach.commands.common import open_store
    from coach.errors import InputError
    from coach.render import cards_table

    with user_errors():
        with open_store(settings()) as store:
            cards = store.cards(topic)
            if topic and not cards:
                topics = sorted({c.topic for c in store.cards()})
                raise InputError(f"no topic {topic!r}; topics: {', '.join(topics)}")
        if as_json:
            emit_json([c.to_json() for c in cards])
        else:
            stdout.print(cards_table(cards))
