"""Real `coach practice` sessions in a pseudo-terminal: typing, commands, kill -9,
two sessions at once, and a history that breaks mid-session."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pexpect
import pytest

from coach.config import Settings
from coach.embedding import Embedder
from coach.snapshot import snapshot_path, write_snapshot
from coach.store import open_store

pytestmark = pytest.mark.slow
COACH = [sys.executable, "-m", "coach"]
# prompt_toolkit turns bracketed paste on when it is ready for typing.
PROMPT = "\x1b[?2004h"
ANSWER = "Pooling downsamples the feature maps,\nreducing their spatial size.\r"


@pytest.fixture(scope="module")
def ready_home(
    prepared_home: Path, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Path:
    """The ingested deck as a first session leaves it: with the card copy and the model."""
    home = tmp_path_factory.mktemp("session") / "home"
    shutil.copytree(prepared_home, home)
    settings = Settings(home=home)
    with open_store(str(settings.store_dir), settings.embed_model_name) as store:
        cards = store.cards()
    write_snapshot(snapshot_path(settings.cache_dir), cards, settings.embed_model_name)
    return home


@pytest.fixture
def home(ready_home: Path, coach_home: Path) -> Path:
    shutil.copytree(ready_home, coach_home, symlinks=True, dirs_exist_ok=True)
    return coach_home


def spawn(home: Path, *args: str) -> pexpect.spawn:
    env = dict(os.environ, COACH_HOME=str(home), COACH_OFFLINE="1", PROMPT_TOOLKIT_NO_CPR="1")
    return pexpect.spawn(
        COACH[0],
        [*COACH[1:], "practice", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(50, 110),
    )


def answer(child: pexpect.spawn, text: str) -> None:
    """Type an answer line by line, then Enter on an empty line; wait for its feedback."""
    child.expect_exact(PROMPT)
    child.send(text)
    child.send("\r")
    child.expect("spoken")


def run_json(home: Path, *args: str) -> object:
    env = dict(os.environ, COACH_HOME=str(home), COACH_OFFLINE="1")
    done = subprocess.run(
        [*COACH, *args, "--json"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_answer_skip_answer_quit(home: Path) -> None:
    child = spawn(home, "-n", "4", "--mode", "new")
    child.expect("1 of 4")
    answer(child, ANSWER)
    child.expect("Enter for the next question")
    # Another process reads the history while this session is still running.
    assert len(run_json(home, "history")) == 1  # type: ignore[arg-type]
    child.send("\r")
    child.expect("2 of 4")
    child.expect_exact(PROMPT)
    child.send("/skip\r")
    child.expect("3 of 4")
    answer(child, "It lets the model attend\rto every position at once.\r")
    child.expect("Enter for the next question")
    child.send("\r")
    child.expect("4 of 4")
    child.expect_exact(PROMPT)
    child.send("/quit\r")
    child.expect("this session")
    child.expect("1 skipped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    cards = [c for c in run_json(home, "cards")][:4]  # type: ignore[union-attr]
    rows = run_json(home, "history")
    assert [r["card_id"] for r in rows] == [cards[0]["id"], cards[2]["id"]]  # type: ignore[index]
    first = rows[0]  # type: ignore[index]
    assert first["answer"] == "Pooling downsamples the feature maps,\nreducing their spatial size."
    assert first["mode"] == "offline" and first["practice_mode"] == "new"
    assert 0 <= first["grade"] <= 5 and first["seconds"] > 0
    with closing(sqlite3.connect(home / "history.sqlite3")) as conn:
        states = dict(conn.execute("SELECT card_id, state FROM card_schedule").fetchall())
    assert set(states) == {cards[0]["id"], cards[2]["id"]}
    fsrs_card = json.loads(states[cards[0]["id"]])
    assert fsrs_card["last_review"] is not None and fsrs_card["stability"] > 0


def test_two_sessions_at_once_then_kill_9(home: Path) -> None:
    left, right = spawn(home, "-n", "3", "--mode", "random"), spawn(home, "-n", "3")
    for child in (left, right):
        child.expect("1 of 3")
        child.expect_exact(PROMPT)
    for child in (left, right):  # both submit before either has finished grading
        child.send(ANSWER)
        child.send("\r")
    for child in (left, right):
        child.expect("spoken")
    left.kill(signal.SIGKILL)
    right.expect("Enter for the next question")
    # Read while `right` is still running and holds the database open.
    assert len(run_json(home, "history")) == 2  # type: ignore[arg-type]
    right.send("\r")
    answer(right, ANSWER)
    right.kill(signal.SIGKILL)
    for child in (left, right):
        child.expect(pexpect.EOF)
        child.close()
        assert child.signalstatus == signal.SIGKILL
    rows = run_json(home, "history")
    assert len(rows) == 3  # type: ignore[arg-type]
    with closing(sqlite3.connect(home / "history.sqlite3")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert run_json(home, "stats")["attempts"] == 3  # type: ignore[index]


def test_a_history_that_breaks_mid_session_gives_the_answer_back(home: Path) -> None:
    child = spawn(home, "-n", "1")
    child.expect_exact(PROMPT)
    database = home / "history.sqlite3"
    for leftover in (database.with_name(database.name + s) for s in ("-wal", "-shm")):
        leftover.unlink(missing_ok=True)
    database.write_bytes(b"not a database at all" * 200)
    child.send("My answer that must not be lost.\r\r")
    child.expect("Your answer was not saved")
    child.expect("My answer that must not be lost.")
    child.expect("the history at")
    child.expect("is damaged")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and "Traceback" not in child.before


def test_an_off_topic_answer_is_told_which_question_it_answers(home: Path) -> None:
    cards = run_json(home, "cards")
    convolution = next(c for c in cards if c["question"] == "What is a Convolution operation?")  # type: ignore[union-attr]
    child = spawn(home, "--card", convolution["id"])
    child.expect_exact(PROMPT)
    child.send(
        "ResNet added skip connections, so each block computes F(x) + x and the\r"
        "gradient flows straight back through the identity path.\r\r"
    )
    child.expect("spoken")
    feedback = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert "this answers another question: “What made ResNet revolutionary?”" in " ".join(
        feedback.split()
    )
    child.expect(pexpect.EOF)
