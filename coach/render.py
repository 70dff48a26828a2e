"""Rich renderables for command output; data never holds a console."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from coach.ingest import IngestReport
from coach.models import Card, ParseWarning
from coach.store import Match


def warning_line(warning: ParseWarning) -> Text:
    return Text.assemble(("warning: ", "yellow"), str(warning))


def ingest_summary(report: IngestReport) -> Text:
    parts = [f"{report.cards} cards", f"{report.chunks} chunks"]
    changes = [
        f"{n} {label}"
        for n, label in (
            (report.added, "added"),
            (report.updated, "updated"),
            (report.unchanged, "unchanged"),
            (report.removed, "removed"),
        )
        if n
    ]
    return Text(", ".join(parts) + (f" ({', '.join(changes)})" if changes else ""))


def cards_table(cards: list[Card]) -> Table:
    table = Table(show_lines=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    # The question is what a person scans for: a long topic may not take its room.
    table.add_column("topic", style="cyan", max_width=18)
    table.add_column("question")
    table.add_column("points", justify="right")
    for card in cards:
        table.add_row(
            Text(card.id), Text(card.topic), Text(card.question), str(len(card.key_points))
        )
    table.caption = f"{len(cards)} cards"
    return table


def matches_table(matches: list[Match]) -> Table:
    table = Table(expand=False)
    table.add_column("similarity", justify="right")
    table.add_column("question")
    table.add_column("answer", style="dim")
    for match in matches:
        table.add_row(f"{match.similarity:.2f}", Text(match.card.question), Text(match.card.answer))
    return table


class IngestProgress:
    """A progress bar on stderr while embedding; silent when there is nothing to embed."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("embedding notes"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> IngestProgress:
        return self

    def start(self, total: int) -> None:
        if total:
            self._progress.start()
            self._task = self._progress.add_task("embed", total=total)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._progress.advance(self._task, count)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()
