"""`coach practice`: ask, listen, grade, give feedback, remember, schedule.

The input loop lives here; coach.practice picks the cards and records the attempts, and
coach.commands.warm_start gets the first question on screen while the grader loads.
"""

from __future__ import annotations

import random
import time
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from coach.answer_input import AnswerSource, Reply
    from coach.background import Background
    from coach.commands.warm_start import Ready
    from coach.config import Settings
    from coach.history import Attempt
    from coach.models import Card
    from coach.practice import CardProgress, Mode
    from coach.practice_grading import Graded

DEFAULT_COUNT = 5


class PracticeMode(StrEnum):
    due = "due"
    new = "new"
    weak = "weak"
    random = "random"


def register(app: typer.Typer) -> None:
    app.command("practice")(practice_command)


def practice_command(
    mode: Annotated[
        PracticeMode | None,
        typer.Option("--mode", help="due, new, weak or random (default: due cards, then new)."),
    ] = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Only this topic.")] = None,
    count: Annotated[
        int | None,
        typer.Option("-n", "--count", min=1, help=f"How many questions (default {DEFAULT_COUNT})."),
    ] = None,
    card_id: Annotated[
        str | None, typer.Option("--card", help="Drill one card (ids: `coach cards`).")
    ] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Grade offline only.")] = False,
) -> None:
    """Rehearse answers: a question, your answer, graded feedback; cards come back when due."""
    from coach.cli import settings, user_errors

    with user_errors():
        config = settings(offline=offline)
        session = prepare(config, mode.value if mode else "default", topic, count, card_id)
        with closing(session):
            session.run()


def prepare(
    config: Settings, mode: Mode, topic: str | None, count: int | None, card_id: str | None
) -> Session:
    """Everything a session needs before its first question."""
    from coach import history, practice
    from coach.answer_input import answer_source
    from coach.commands.warm_start import load_deck
    from coach.practice_grading import grading_label

    now = datetime.now(UTC)
    history.open_history(config.history_path, now)
    cards, loading, is_fresh = load_deck(config)
    drill = None
    if card_id is not None:
        if not is_fresh and card_id not in {c.id for c in cards}:
            # The copy may be older than the store: ask the store before saying "no such card".
            cards = loading.start().result().cards
        drill = practice.find_card(cards, card_id)
    cards = practice.select_topic(cards, topic)
    progress = practice.load_progress(config.history_path)
    rng = random.Random()
    total = count or (1 if drill else DEFAULT_COUNT)
    if drill is None:
        total = len(practice.pick_cards(cards, progress, mode, total, now, rng))
    source, label = answer_source(), grading_label(config)
    return Session(config, cards, progress, mode, topic, drill, total, source, loading, rng, label)


@dataclass
class Session:
    """One run of `coach practice`: the loop over questions, and what it has recorded."""

    config: Settings
    cards: list[Card]
    progress: dict[str, CardProgress]
    mode: Mode
    topic: str | None
    drill: Card | None
    total: int
    source: AnswerSource
    loading: Background[Ready]
    rng: random.Random
    label: str
    attempts: list[Attempt] = field(default_factory=list)
    asked: set[str] = field(default_factory=set)
    skipped: int = 0
    question_by_id: dict[str, str] = field(default_factory=dict)

    def run(self) -> None:
        """Ask until done or told to stop (/quit, Ctrl-C, Ctrl-D); then the summary."""
        from coach.cli import stdout

        if self.total == 0:
            self._nothing_to_do()
            return
        try:
            for index in range(1, self.total + 1):
                card = self._next_card()
                if card is None or not self._ask(card, index):
                    break
        except KeyboardInterrupt:
            stdout.print()
        self._finish()

    def close(self) -> None:
        """Release the store the grader opened. A grader still loading is left to the
        process exit: closing it mid-load would race the loading thread."""
        ready = self.loading.value_if_done()
        if ready is not None:
            ready.store.close()

    def _questions(self) -> dict[str, str]:
        """Every stored card's question by id, once the store is loaded (built once: at
        10,000 cards a rebuild after every answer costs a millisecond for nothing)."""
        if not self.question_by_id and self.loading.is_ready:
            self.question_by_id = {c.id: c.question for c in self.loading.result().cards}
        return self.question_by_id

    def _current_cards(self) -> list[Card]:
        """The store's cards once loaded (the copy may be stale), in this session's topic."""
        if not self.loading.is_ready:
            return self.cards
        fresh = self.loading.result().cards
        if self.topic:
            fresh = [c for c in fresh if c.topic.lower() == self.topic.lower()]
        return fresh

    def _next_card(self) -> Card | None:
        from coach.practice import pick_cards

        if self.drill is not None:
            return self.drill
        remaining = [c for c in self._current_cards() if c.id not in self.asked]
        now = datetime.now(UTC)
        picked = pick_cards(remaining, self.progress, self.mode, 1, now, self.rng)
        return picked[0] if picked else None

    def _ask(self, card: Card, index: int) -> bool:
        """One question; False when the person wants to stop."""
        from coach.cli import stdout
        from coach.errors import CoachError
        from coach.practice_grading import revealed
        from coach.render_practice import feedback, question_panel, saving_failed

        self.asked.add(card.id)
        stdout.print(question_panel(card, index, self.total, self.label))
        self.loading.start()
        started = time.monotonic()
        reply, hints_used = self._read(card)
        if reply.kind == "quit":
            return False
        if reply.kind == "skip":
            self.skipped += 1
            return True
        try:
            live: Card | None = card
            if reply.kind == "reveal":
                graded = revealed(card)
            else:
                graded, live = self._grade(card, reply.text)
            if live is None:
                return True
            self._save(live, reply.text, graded, time.monotonic() - started, hints_used)
        except (CoachError, KeyboardInterrupt):
            # Whatever stopped it (the model, the store, the history, ^C while grading),
            # the typed answer is not lost.
            if reply.text:
                stdout.print(saving_failed(reply.text))
            raise
        stdout.print(feedback(live, graded, self._questions()))
        follow_up = graded.result.follow_up if graded.result is not None else None
        if follow_up and not self._follow_up(live, follow_up):
            return False
        # After the last question the summary follows at once: nothing to wait for.
        return index == self.total or self.source.wait_for_next()

    def _follow_up(self, card: Card, question: str) -> bool:
        """The interviewer's next question on this card: answered, graded, saved as its
        own attempt; an empty answer or /skip moves on. False on /quit."""
        from coach.cli import stderr, stdout
        from coach.errors import CoachError
        from coach.practice import record_follow_up
        from coach.render_practice import feedback, follow_up_panel, saving_failed

        stdout.print(follow_up_panel(question))
        started = time.monotonic()
        reply = self.source.read_reply()
        if reply.kind == "quit":
            return False
        if reply.kind != "answer" or not reply.text:
            return True
        try:
            with stderr.status("Grading…"):
                graded = self.loading.result().grader.grade_follow_up(card, question, reply.text)
            attempt = record_follow_up(
                self.config.history_path,
                card,
                question,
                reply.text,
                graded,
                time.monotonic() - started,
                datetime.now(UTC),
            )
        except (CoachError, KeyboardInterrupt):
            stdout.print(saving_failed(reply.text))
            raise
        self.attempts.append(attempt)
        stdout.print(feedback(card, graded, self._questions()))
        return True

    def _read(self, card: Card) -> tuple[Reply, int]:
        """The reply that ends this question, and how many hints were shown before it."""
        from coach.cli import stderr, stdout
        from coach.practice import hints
        from coach.render_practice import hint_line

        gists, used = hints(card, self.progress.get(card.id)), 0
        while True:
            reply = self.source.read_reply()
            if reply.kind == "hint":
                stdout.print(hint_line(gists[used] if used < len(gists) else None))
                used = min(used + 1, len(gists))
            elif reply.kind == "answer" and not reply.text:
                stderr.print("That answer is empty: say what you know, or /skip.")
            else:
                return reply, used

    def _grade(self, card: Card, answer: str) -> tuple[Graded, Card | None]:
        """Grade against the store's version of the card (None: it left the notes)."""
        from coach.cli import stderr
        from coach.practice_grading import revealed

        if not self.loading.is_ready:
            with stderr.status("Loading the grader…"):
                ready = self.loading.result()
        ready = self.loading.result()
        live = next((c for c in ready.cards if c.id == card.id), None)
        if live is None:
            stderr.print("This card is no longer in your notes: not graded.")
            self.skipped += 1
            return revealed(card), None
        with stderr.status("Grading…"):
            graded = ready.grader.grade(live, answer)
        if graded.result is not None and graded.result.llm_error:
            stderr.print(f"LLM rubric unavailable, graded offline: {graded.result.llm_error}")
        return graded, live

    def _save(self, card: Card, answer: str, graded: Graded, seconds: float, hints: int) -> None:
        """Commit the attempt before any feedback is shown."""
        from coach.practice import record

        graded = replace(graded, signals={**graded.signals, "hints": hints})
        mode = "card" if self.drill else self.mode
        attempt = record(
            self.config.history_path, card, answer, graded, mode, seconds, datetime.now(UTC)
        )
        self.attempts.append(attempt)

    def _finish(self) -> None:
        from coach.cli import stdout
        from coach.practice import load_progress, next_due
        from coach.render_practice import session_summary
        from coach.stats import summarise_session

        progress = load_progress(self.config.history_path)
        upcoming = next_due(self._current_cards(), progress)
        summary = summarise_session(self.attempts, upcoming, self.skipped)
        stdout.print(session_summary(summary, datetime.now(UTC)))

    def _nothing_to_do(self) -> None:
        from coach.cli import stderr
        from coach.practice import next_due
        from coach.render_practice import relative_time

        upcoming = next_due(self.cards, self.progress, 1)
        when = ""
        if upcoming:
            when = f"; the next is due {relative_time(upcoming[0][1], datetime.now(UTC))}"
        stderr.print(
            f"Nothing to practise in mode {self.mode!r}{when}. Try --mode random or --mode weak."
        )
