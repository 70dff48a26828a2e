"""Rich renderables for practice, history and stats; data in, renderables out, no console."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.history import Attempt
from coach.models import Card
from coach.plaintext import plain_text
from coach.practice_grading import Graded
from coach.stats import SessionSummary, Stats
from coach.wording import counted

SUBMIT_HINT = "Enter on an empty line submits · /hint /reveal /skip /quit"


def grade_style(grade: float) -> str:
    # Imported here: coach.render_grade pulls in the grader (~0.3 s); the question panel
    # is drawn before any of that is loaded.
    from coach.render_grade import grade_style as style

    return style(grade)


def question_panel(card: Card, index: int, total: int, grader_label: str) -> Panel:
    """The question, its topic, "n of N", and how to answer."""
    body = Group(
        Text(card.question, style="bold"),
        Text(""),
        Text(f"{SUBMIT_HINT} · graded {grader_label}", style="dim"),
    )
    return Panel(
        body,
        title=Text(card.topic, style="cyan"),
        subtitle=Text(f"{index} of {total}"),
        title_align="left",
        subtitle_align="right",
    )


def hint_line(hint: str | None) -> Text:
    if hint is None:
        return Text("no more hints: /reveal shows the answer", style="dim")
    return Text.assemble(("hint: ", "yellow"), hint)


def reference_panel(card: Card) -> Panel:
    # The notes' Markdown and LaTeX read better as the words they stand for.
    return Panel(
        Text(plain_text(card.answer)), title="reference answer", title_align="left", style="dim"
    )


def feedback(card: Card, graded: Graded, questions: Mapping[str, str] | None = None) -> Group:
    """Grade and verdict, key points covered and missed, comments, reference, delivery.
    `questions` (card id -> question) names the card an off-topic answer fits."""
    result = graded.result
    if result is None:
        return Group(reference_panel(card))
    # Imported here: the grade renderers pull in the grader (~0.3 s), which the first
    # question must not wait for.
    from coach.render_grade import delivery_line, flag_line, grade_line, key_point_lines

    parts: list[RenderableType] = [grade_line(result), key_point_lines(result)]
    if (flags := flag_line(result, questions)) is not None:
        parts.append(flags)
    if result.rubric is not None:
        parts.append(Text(result.rubric.feedback.strip(), style="italic"))
        parts += [Text(f"✗ {m}", style="red") for m in result.rubric.misconceptions]
        if result.follow_up:
            parts.append(Text.assemble(("follow-up: ", "bold"), result.follow_up))
    parts += [reference_panel(card), delivery_line(result)]
    return Group(*parts)


def follow_up_panel(question: str) -> Panel:
    """The interviewer's follow-up, with how to answer or move on."""
    return Panel(
        Group(
            Text(question),
            Text("\nAnswer it (Enter on an empty line submits), or just Enter to move on.", "dim"),
        ),
        title="follow-up",
        title_align="left",
    )


def relative_time(moment: datetime, now: datetime) -> str:
    """ "now", "in 10 min", "in 3 h", "in 2 days"."""
    seconds = (moment - now).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"in {round(seconds / 60)} min"
    if seconds < 86400:
        return f"in {round(seconds / 3600)} h"
    days = round(seconds / 86400)
    return f"in {days} day" + ("" if days == 1 else "s")


def session_summary(summary: SessionSummary, now: datetime) -> Group:
    """Mean grade per topic this session, the weakest answers, and what is due next."""
    if not summary.topics:
        note = "no answers graded this session"
        return Group(Text(note + (f" ({summary.skipped} skipped)" if summary.skipped else "")))
    topics = Table(title="this session", title_justify="left")
    topics.add_column("topic", style="cyan")
    topics.add_column("answers", justify="right")
    topics.add_column("mean grade", justify="right")
    for topic, count, mean in summary.topics:
        topics.add_row(topic, str(count), Text(f"{mean:.1f}", grade_style(mean)))
    parts: list[RenderableType] = [topics]
    if summary.skipped:
        parts.append(Text(f"{summary.skipped} skipped", style="dim"))
    parts.append(Text("weakest:", style="bold"))
    parts += [
        Text.assemble(("  ", ""), (f"{a.grade:.1f}", grade_style(a.grade)), f"  {a.question}")
        for a in summary.weakest
    ]
    if summary.next_due:
        parts.append(Text("next due:", style="bold"))
        parts += [
            Text(f"  {relative_time(due, now):>11}  {card.question}")
            for card, due in summary.next_due
        ]
    return Group(*parts)


def nothing_yet_line(card_id: str | None = None) -> Text:
    """What `coach history` shows before any attempt, instead of an empty table."""
    which = f"at card {card_id} " if card_id is not None else ""
    return Text(f"no attempts {which}yet: `coach practice` asks your first question", "dim")


def no_notes_line() -> Text:
    """What `coach stats` shows before any notes are ingested."""
    return Text(
        "no notes ingested yet: `coach ingest` reads yours, "
        "`coach practice` starts with the bundled ones",
        "dim",
    )


def history_table(attempts: Sequence[Attempt], width: int = 120) -> Table:
    """One row per attempt; below ~100 columns `mode` and `time` give their room to the
    question, which would otherwise wrap a word per line."""
    wide = width >= 100
    table = Table()
    table.add_column("when", no_wrap=True, style="dim")
    table.add_column("topic", style="cyan", max_width=24 if wide else 14)
    table.add_column("question")
    table.add_column("grade", justify="right")
    table.add_column("verdict")
    if wide:
        table.add_column("mode", style="dim")
        table.add_column("time", justify="right", style="dim")
    for attempt in attempts:
        cells: list[RenderableType] = [
            attempt.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            Text(attempt.topic),
            Text(attempt.question),
            Text(f"{attempt.grade:.1f}", grade_style(attempt.grade)),
            attempt.verdict,
        ]
        if wide:
            cells += [attempt.mode, f"{attempt.seconds:.0f} s"]
        table.add_row(*cells)
    table.caption = counted(len(attempts), "attempt")
    return table


def stats_table(stats: Stats, now: datetime) -> Group:
    """Per topic: attempts, mean grade, trend, due and new cards; then the overall line."""
    table = Table()
    for name, justify in (
        ("topic", "left"),
        ("cards", "right"),
        ("attempts", "right"),
        ("mean grade", "right"),
        ("trend", "right"),
        ("due", "right"),
        ("new", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for topic in stats.topics:
        mean = topic.mean_grade
        table.add_row(
            Text(topic.topic, style="cyan"),
            str(topic.cards),
            str(topic.attempts),
            Text(f"{mean:.1f}", grade_style(mean)) if mean is not None else Text("–", "dim"),
            _trend(topic.trend),
            str(topic.due_now),
            str(topic.new),
        )
    overall_mean = f"{stats.mean_grade:.1f}" if stats.mean_grade is not None else "–"
    overall = Text(
        f"{counted(stats.attempts, 'attempt')} on {counted(stats.cards_practised, 'card')} · "
        f"mean {overall_mean} · streak {counted(stats.streak_days, 'day')} · "
        f"{stats.due_now} due now"
        + (f" · next due {relative_time(stats.next_due, now)}" if stats.next_due else "")
    )
    return Group(table, overall)


def _trend(value: float | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    arrow, style = ("↑", "green") if value > 0.05 else ("↓", "red") if value < -0.05 else ("→", "")
    return Text(f"{arrow} {value:+.1f}", style=style)


def saving_failed(answer: str) -> Group:
    """Shown when an attempt cannot be saved: the typed answer, so it is not lost."""
    return Group(
        Text("Your answer was not saved; here it is:", style="bold red"),
        Panel(Text(answer), style="default"),
    )
