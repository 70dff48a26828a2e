"""`coach stats [--json] [--png FILE]`: progress per topic, streak, and grades over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_command)


def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw grades over time into this PNG file.")
    ] = None,
) -> None:
    """Attempts, mean grade and trend per topic; due cards; your streak; a plot."""
    from coach import history
    from coach.cli import emit_json, settings, stderr, stdout, user_errors
    from coach.practice import CardProgress, load_progress
    from coach.render_practice import no_notes_line, stats_table
    from coach.snapshot import known_cards
    from coach.stats import compute_stats

    with user_errors():
        config = settings()
        # Local time: a streak counts the person's days, not UTC's.
        now = datetime.now().astimezone()
        rows: list[history.Attempt] = []
        progress: dict[str, CardProgress] = {}
        if config.history_path.exists():
            history.open_history(config.history_path, now)
            rows = history.attempts(config.history_path)
            progress = load_progress(config.history_path)
        schedules = {card_id: p.schedule for card_id, p in progress.items() if p.schedule}
        cards = known_cards(config)
        stats = compute_stats(rows, cards, schedules, now)
        if png is not None:
            stderr.print(f"wrote {write_png(stats.grades, png)}")
        if as_json:
            emit_json(stats.to_json())
            return
        if not cards and not rows:
            stdout.print(no_notes_line())
            return
        stdout.print(stats_table(stats, now))
        if len(rows) >= 2:
            from coach.plots import terminal_plot

            stdout.print(terminal_plot(stats.grades, stdout.width - 2), highlight=False)


def write_png(grades: Sequence[tuple[datetime, float]], path: Path) -> Path:
    """The PNG of grades over time; a user error when there is nothing to draw."""
    from coach.errors import InputError
    from coach.plots import save_png

    if not grades:
        raise InputError("no attempts yet to plot: run `coach practice` first")
    return save_png(grades, path)
