"""`coach ingest [PATH ...] [--rebuild] [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coach.config import Settings
    from coach.ingest import IngestReport


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Notes files or folders (default: the bundled knowledge/)."),
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the store and start over.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Read notes into the local store (only new or edited cards are embedded)."""
    from coach.cli import emit_json, settings, stderr, stdout, user_errors
    from coach.errors import InputError
    from coach.render import ingest_summary, warning_line

    with user_errors():
        report = _ingest_with_progress(settings(), paths, rebuild)
        for warning in report.warnings:
            stderr.print(warning_line(warning))
        if report.cards == 0 and report.chunks == 0:
            raise InputError("no questions or notes found to ingest (see the warnings above)")
        if as_json:
            emit_json(report.as_json())
        else:
            stdout.print(ingest_summary(report))


def _ingest_with_progress(
    config: Settings, paths: list[Path] | None, rebuild: bool
) -> IngestReport:
    """Ingest with a progress bar on stderr, then refresh the card copy practice starts from."""
    from coach.cli import stderr
    from coach.commands.common import load_embedder, open_store
    from coach.config import bundled_dir
    from coach.ingest import ingest
    from coach.render import IngestProgress
    from coach.snapshot import refresh_snapshot

    with open_store(config, create=True) as store:
        if rebuild:
            store.reset()
        with IngestProgress(stderr) as progress:
            report = ingest(
                paths or [bundled_dir("knowledge")],
                store,
                lambda: load_embedder(config, throughput=True),
                on_start=progress.start,
                on_progress=progress.advance,
            )
        refresh_snapshot(config, store)
    return report
