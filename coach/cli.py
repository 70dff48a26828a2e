"""The `coach` command line: parse arguments, call the library, render the result.

Command modules live in coach/commands/; each imports its heavy parts inside the command,
so `coach --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.config import Settings

app = typer.Typer(
    name="coach",
    help="Rehearse interview answers from your own notes, graded offline (or by an LLM).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(value: object) -> None:
    """Machine output: one JSON document on stdout, nothing else."""
    import json

    typer.echo(json.dumps(value, ensure_ascii=False))


_debug = {"on": False}


def debug_enabled() -> bool:
    """`--debug` (before the command) or COACH_DEBUG=1: show tracebacks."""
    return _debug["on"] or os.environ.get("COACH_DEBUG", "") not in ("", "0")


@contextmanager
def user_errors() -> Iterator[None]:
    """A CoachError becomes one red line and exit 1; ^C exits 130; bugs stay tracebacks."""
    try:
        yield
    except CoachError as exc:
        if debug_enabled():
            raise
        stderr.print(f"[red]error:[/] {exc}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    except OSError as exc:
        # A home that is a file, a folder we may not enter: the person's machine, not a bug.
        if debug_enabled():
            raise
        where = f": {exc.filename}" if exc.filename else ""
        stderr.print(f"[red]error:[/] {exc.strerror or exc}{where}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        stderr.print("interrupted")
        raise typer.Exit(130) from None


def settings(offline: bool = False) -> Settings:
    """Build Settings once per command; a bad value is a user error, not a traceback."""
    from pydantic import ValidationError

    from coach.config import Settings

    try:
        built = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise CoachError(f"bad setting COACH_{field.upper()}: {first['msg']}") from None
    if offline:
        built.offline = True
    return built


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    """coach: rehearse answers from your notes."""
    _debug["on"] = debug


def _register() -> None:
    from coach.commands import register_all

    register_all(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()
