"""Picking cards, grading and recording attempts, stats, rendering, answer input, and the
practice/history/stats commands driven through CliRunner (stdin not a terminal)."""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console
from typer.testing import CliRunner

from coach import history, practice
from coach.answer_input import Reply, StreamInput, TerminalInput, parse_reply
from coach.cli import app
from coach.config import Settings
from coach.embedding import Embedder
from coach.errors import InputError
from coach.history import Attempt
from coach.models import Card
from coach.practice import CardProgress, Mode, pick_cards
from coach.practice_grading import StoreGrader, revealed
from coach.render_practice import feedback, question_panel, session_summary, stats_table
from coach.scheduling import load_schedule, review
from coach.snapshot import read_snapshot, write_snapshot
from coach.stats import compute_stats, streak_days, summarise_session, trend
from coach.store import open_store

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
runner = CliRunner()


def card(n: int, topic: str = "CNNs") -> Card:
    return Card(
        id=f"c{n}",
        topic=topic,
        question=f"Question {n}?",
        answer=f"Answer {n}.",
        key_points=[f"first point of card {n} here", "second"],
        source="deck.txt",
        line=n,
    )


CARDS = [card(1), card(2), card(3, "RNNs"), card(4, "RNNs")]


def scheduled(card_id: str, grade: float, at: datetime, grades: tuple[float, ...]) -> CardProgress:
    stored, _ = review(card_id, None, grade, at)
    return CardProgress(grades=grades, schedule=load_schedule(card_id, stored))


def render(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


# -- picking ---------------------------------------------------------------------------


def test_default_is_due_most_overdue_first_then_new() -> None:
    progress = {
        "c1": scheduled("c1", 4.0, NOW - timedelta(minutes=20), (4.0,)),  # due 10 min ago
        "c2": scheduled("c2", 5.0, NOW, (5.0,)),  # due in 8 days
        "c3": scheduled("c3", 1.0, NOW - timedelta(hours=1), (1.0,)),  # due 59 min ago
    }

    def ids(mode: Mode, count: int = 10) -> list[str]:
        return [c.id for c in pick_cards(CARDS, progress, mode, count, NOW, random.Random(0))]

    assert ids("default") == ["c3", "c1", "c4"]
    assert ids("due") == ["c3", "c1"]
    assert ids("new") == ["c4"]
    assert ids("default", 1) == ["c3"]


def test_weak_orders_by_recent_grades_and_random_is_seeded() -> None:
    progress = {
        "c1": CardProgress(grades=(0.0, 5.0, 5.0, 5.0)),  # fixed since: not weak
        "c2": CardProgress(grades=(2.0,)),
        "c3": CardProgress(grades=(2.5, 1.0)),
    }
    weak = pick_cards(CARDS, progress, "weak", 10, NOW, random.Random(0))
    assert [c.id for c in weak] == ["c3", "c2", "c1"]
    first = pick_cards(CARDS, {}, "random", 3, NOW, random.Random(7))
    again = pick_cards(CARDS, {}, "random", 3, NOW, random.Random(7))
    assert first == again and len({c.id for c in first}) == 3


def test_topic_and_card_lookups_fail_with_one_line() -> None:
    assert [c.id for c in practice.select_topic(CARDS, "rnns")] == ["c3", "c4"]
    with pytest.raises(InputError, match="topics: CNNs, RNNs"):
        practice.select_topic(CARDS, "GANs")
    with pytest.raises(InputError, match="no card 'nope'"):
        practice.find_card(CARDS, "nope")


def test_hints_start_with_what_was_missed_last_time() -> None:
    progress = CardProgress(grades=(2.0,), last_missed=("second",))
    assert practice.hints(card(1), progress) == ["second", "first point of …"]
    assert practice.gist("one two three four five six seven eight nine ten eleven") == (
        "one two three four five …"
    )


# -- grading and recording -----------------------------------------------------------------


@pytest.fixture
def grader(ingested_home: Path, embedder: Embedder) -> Iterator[tuple[StoreGrader, list[Card]]]:
    config = Settings()
    with open_store(str(config.store_dir), config.embed_model_name) as store:
        grader = StoreGrader(config, store, embedder)
        grader.prepare()
        yield grader, store.cards()


def test_graded_answers_are_recorded_and_scheduled(
    grader: tuple[StoreGrader, list[Card]], coach_home: Path
) -> None:
    store_grader, cards = grader
    resnet = next(c for c in cards if c.question == "What made ResNet revolutionary?")
    good = store_grader.grade(
        resnet,
        "Skip connections: the block learns a residual and adds the input back, y = F(x) + x,"
        " so gradients flow straight through, which made networks with over 100 layers trainable.",
    )
    bad = store_grader.grade(resnet, "um, I don't know")
    assert good.grade > 3.0 > bad.grade and good.mode == "offline"
    assert good.signals["delivery"]["word_count"] > 20  # type: ignore[index]

    path = Settings().history_path
    history.open_history(path, NOW)
    saved = practice.record(path, resnet, "um, I don't know", bad, "new", 4.2, NOW)
    practice.record(path, resnet, "again", revealed(resnet), "new", 1.0, NOW + timedelta(hours=1))
    rows = history.attempts(path)
    assert [(r.id, r.grade, r.mode) for r in rows] == [
        (saved.id, bad.grade, "offline"),
        (2, 0.0, "revealed"),
    ]
    progress = practice.load_progress(path)[resnet.id]
    assert progress.grades == (bad.grade, 0.0)
    assert progress.last_missed == tuple(resnet.key_points)
    assert progress.schedule is not None and progress.schedule.state == "learning"
    assert progress.schedule.due == NOW + timedelta(hours=1, minutes=1)


# -- stats ----------------------------------------------------------------------------


def saved(card_id: str, topic: str, grade: float, at: datetime) -> Attempt:
    return Attempt(
        card_id=card_id,
        topic=topic,
        question=f"{card_id}?",
        answer="a",
        grade=grade,
        verdict="x",
        mode="offline",
        practice_mode="default",
        signals={},
        seconds=3.0,
        created_at=at,
    )


def test_trend_and_streak() -> None:
    assert trend([1.0]) is None
    assert trend([1.0, 3.0]) == 2.0
    assert trend([1.0, 1.0, 1.0, 1.0, 1.0, 4.0, 4.0, 4.0, 4.0, 4.0, 2.0]) == pytest.approx(
        (4 * 4 + 2) / 5 - (1 * 5 + 4) / 6
    )
    days = [NOW - timedelta(days=d) for d in (1, 2, 3, 5)]
    assert streak_days(days, NOW) == 3  # nothing yet today: yesterday's streak stands
    assert streak_days([*days, NOW], NOW) == 4
    assert streak_days([NOW - timedelta(days=2)], NOW) == 0


def test_compute_stats_per_topic() -> None:
    attempts = [
        saved("c1", "CNNs", 2.0, NOW - timedelta(days=1)),
        saved("c1", "CNNs", 4.0, NOW),
        saved("c3", "RNNs", 1.0, NOW),
    ]
    schedules = {
        "c1": scheduled("c1", 4.0, NOW, ()).schedule,
        "c3": scheduled("c3", 1.0, NOW - timedelta(hours=1), ()).schedule,
    }
    stats = compute_stats(attempts, CARDS, schedules, NOW)  # type: ignore[arg-type]
    out = stats.to_json()
    assert out["attempts"] == 3 and out["cards_practised"] == 2 and out["streak_days"] == 2
    assert out["due_now"] == 1 and out["new"] == 2 and out["mean_grade"] == 2.33
    assert out["topics"] == [
        {
            "topic": "CNNs",
            "cards": 2,
            "attempts": 2,
            "mean_grade": 3.0,
            "trend": 2.0,
            "due_now": 0,
            "new": 1,
        },
        {
            "topic": "RNNs",
            "cards": 2,
            "attempts": 1,
            "mean_grade": 1.0,
            "trend": None,
            "due_now": 1,
            "new": 1,
        },
    ]
    assert "streak 2 days" in render(stats_table(stats, NOW))


# -- rendering -------------------------------------------------------------------------


def test_question_feedback_and_summary_render(grader: tuple[StoreGrader, list[Card]]) -> None:
    store_grader, cards = grader
    pooling = next(c for c in cards if "Pooling" in c.question)
    graded = store_grader.grade(pooling, "It downsamples feature maps, um, mostly max pooling.")
    panel = render(question_panel(pooling, 2, 5, "offline"))
    assert "2 of 5" in panel and pooling.topic in panel
    assert "Enter on an empty line submits" in panel
    shown = render(feedback(pooling, graded))
    assert "/ 5" in shown and "✓" in shown and "✗" in shown
    assert "reference answer" in shown and "words" in shown and "1 filler ·" in shown
    attempt = saved(pooling.id, pooling.topic, graded.grade, NOW)
    summary = summarise_session([attempt], [(pooling, NOW + timedelta(minutes=10))], skipped=1)
    text = render(session_summary(summary, NOW))
    assert "in 10 min" in text and "1 skipped" in text and pooling.question in text


# -- answer input -----------------------------------------------------------------------


def test_stream_input_reads_blocks_separated_by_blank_lines() -> None:
    script = "\n\nline one\nline two\n\n/skip\n\n/HINT\nlast\x1b[31m red\n"
    source = StreamInput(io.StringIO(script))
    assert source.read_reply() == Reply("answer", "line one\nline two")
    assert source.read_reply() == Reply("skip")
    assert source.read_reply() == Reply("answer", "/HINT\nlast red")  # a command only alone
    assert source.read_reply() == Reply("quit")
    assert parse_reply("  /Quit ") == Reply("quit")


def test_terminal_input_submits_on_an_empty_line() -> None:
    with create_pipe_input() as keys:
        source = TerminalInput(keys, DummyOutput())
        keys.send_text("\rfirst line\rsecond\r\r")  # a leading Enter submits nothing
        assert source.read_reply() == Reply("answer", "first line\nsecond")
        keys.send_text("/hint\r")
        assert source.read_reply() == Reply("hint")
        keys.send_text("\r")
        assert source.wait_for_next() is True
        keys.send_text("/quit\r")
        assert source.wait_for_next() is False
        keys.send_text("half an answer\x04\x03")
        assert source.read_reply() == Reply("quit")  # Ctrl-C ends cleanly
        keys.send_text("\x04")
        assert source.read_reply() == Reply("quit")  # Ctrl-D too


# -- snapshot ----------------------------------------------------------------------------


def test_snapshot_round_trip_and_damage(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "cards.json"
    assert read_snapshot(path, "m") is None
    write_snapshot(path, CARDS, "m")
    assert read_snapshot(path, "m") == CARDS
    assert read_snapshot(path, "other-model") is None
    path.write_text("{broken")
    assert read_snapshot(path, "m") is None


# -- commands ----------------------------------------------------------------------------


def test_scripted_practice_then_history_and_stats(
    ingested_home: Path, tmp_path: Path, embedder: Embedder
) -> None:
    script = (
        "Skip connections add the input back so gradients flow.\n\n/skip\n\n/hint\n\n"
        "It downsamples the feature maps\nand adds some translation invariance.\n\n"
    )
    result = runner.invoke(app, ["practice", "-n", "3", "--mode", "new"], input=script)
    assert result.exit_code == 0, result.output
    assert "1 of 3" in result.stdout and "3 of 3" in result.stdout and "hint:" in result.stdout
    rows = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert len(rows) == 2 and rows[1]["answer"].count("\n") == 1
    assert rows[1]["signals"]["hints"] == 1 and rows[0]["practice_mode"] == "new"
    one = json.loads(runner.invoke(app, ["history", "--card", rows[0]["card_id"], "--json"]).stdout)
    assert [r["id"] for r in one] == [rows[0]["id"]]

    stats = runner.invoke(app, ["stats", "--json", "--png", str(tmp_path / "g.png")])
    assert stats.exit_code == 0, stats.output
    figures = json.loads(stats.stdout)
    assert figures["attempts"] == 2 and figures["new"] == 48 and figures["streak_days"] == 1
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plain = runner.invoke(app, ["stats"])
    assert plain.exit_code == 0 and "grades over time" in plain.stdout


def test_unknown_card_is_one_line_exit_1(ingested_home: Path, embedder: Embedder) -> None:
    for args in (["practice", "--card", "nope"], ["history", "--card", "nope"]):
        result = runner.invoke(app, args, input="")
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines() == [
            "error: no card 'nope': `coach cards` lists the ids"
        ]


def test_history_and_stats_on_a_fresh_home(coach_home: Path) -> None:
    assert json.loads(runner.invoke(app, ["history", "--json"]).stdout) == []
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["attempts"] == 0 and stats["topics"] == [] and stats["next_due"] is None
    assert not (coach_home / "history.sqlite3").exists()
    # In words, not an empty table: the person learns what to run next.
    history = runner.invoke(app, ["history"])
    assert history.exit_code == 0 and "no attempts yet" in history.stdout
    assert "┏" not in history.stdout
    stats_text = runner.invoke(app, ["stats"])
    assert stats_text.exit_code == 0 and "no notes ingested yet" in stats_text.stdout


def test_narrow_history_gives_the_question_room(ingested_home: Path) -> None:
    from datetime import UTC, datetime

    from rich.console import Console

    from coach.history import Attempt
    from coach.render_practice import history_table

    attempt = Attempt(
        card_id="c1",
        topic="CNNs (Convolutional Neural Networks)",
        question="What is the purpose of Pooling?",
        answer="it shrinks the feature maps",
        grade=2.0,
        verdict="weak",
        mode="offline",
        practice_mode="due",
        signals={},
        seconds=12.0,
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
    )
    for width in (80, 120):
        console = Console(width=width, record=True)
        console.print(history_table([attempt], width))
        text = console.export_text()
        assert max(len(line) for line in text.splitlines()) <= width
        # Squeezed by seven columns, the question read "What / is the / purpo… / Pooli…".
        assert "What is the purpose" in text and "Pooling?" in text
        assert ("offline" in text) == (width >= 100)
    from coach.render_practice import stats_table
    from coach.stats import compute_stats

    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    console = Console(width=100, record=True)
    console.print(stats_table(compute_stats([attempt], [], {}, now), now))
    assert "1 attempt on 1 card ·" in console.export_text()


def test_nothing_due_says_so_and_exits_0(ingested_home: Path) -> None:
    for mode in ("due", "weak"):
        result = runner.invoke(app, ["practice", "--mode", mode], input="")
        assert result.exit_code == 0
        assert f"Nothing to practise in mode '{mode}'" in result.stderr
    assert runner.invoke(app, ["practice", "--mode", "sometimes"]).exit_code == 2


def test_a_follow_up_is_answered_graded_and_saved_apart(
    ingested_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openai_server import ScriptedServer

    with ScriptedServer("all4") as server:
        monkeypatch.setenv("COACH_OFFLINE", "0")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-key")
        monkeypatch.setenv("COACH_LLM_MODEL", "scripted")
        cards = json.loads(runner.invoke(app, ["cards", "--json"]).stdout)
        resnet = next(c for c in cards if c["question"] == "What made ResNet revolutionary?")
        script = (
            "Skip connections add the input back so gradients flow.\n\n"
            "Because the identity path keeps the gradient from vanishing.\n\n"
        )
        result = runner.invoke(app, ["practice", "--card", resnet["id"]], input=script)
        assert result.exit_code == 0, result.output
        assert "follow-up" in result.stdout
        asked = [r.text for r in server.requests]
    rows = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert [r["practice_mode"] for r in rows] == ["card", "follow-up"]
    assert [r["mode"] for r in rows] == ["llm", "llm"]
    assert rows[1]["question"] != resnet["question"]
    assert rows[1]["signals"]["follow_up_of"] == resnet["question"]
    assert any("identity path keeps the gradient" in text for text in asked)
