"""One module per command; each exposes `register(app)`."""

from __future__ import annotations

import typer


def register_all(app: typer.Typer) -> None:
    """Add every command to the app, in the order `coach --help` lists them."""
    from coach.commands import ask, cards, doctor, grade, history, ingest, practice, stats
    from coach.commands import eval as eval_

    for module in (ingest, cards, ask, practice, history, stats, grade, eval_, doctor):
        module.register(app)
