from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coach.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_ingest_then_cards_then_ask(coach_home: Path) -> None:
    first = run("ingest", "--json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout) == {
        "cards": 50,
        "chunks": 0,
        "added": 50,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
    }
    assert json.loads(run("ingest", "--json").stdout)["unchanged"] == 50

    cards = json.loads(run("cards", "--json").stdout)
    assert len(cards) == 50
    assert set(cards[0]) == {"id", "topic", "question", "answer", "key_points", "source"}
    assert len({c["question"] for c in cards}) == 50
    assert not any("Last updated" in c["answer"] for c in cards)
    assert any("\\frac" in c["answer"] for c in cards if "output size" in c["question"])
    assert cards[0]["source"].endswith("dl-architectures.txt:3")

    cnn = json.loads(run("cards", "--topic", "Transformers", "--json").stdout)
    assert len(cnn) == 11 and {c["topic"] for c in cnn} == {"Transformers"}

    asked = json.loads(run("ask", "why do resnets train so deep", "--json").stdout)
    assert asked[0]["question"] == "What made ResNet revolutionary?"
    assert set(asked[0]) == {"card_id", "question", "answer", "similarity"}
    assert asked[0]["similarity"] > asked[1]["similarity"]


def test_markdown_file_gives_one_card_per_heading_question(tmp_path: Path) -> None:
    notes = tmp_path / "stats.md"
    notes.write_text(
        "## Tests\n\n### What is a p-value?\n\nThe probability of data at least this extreme"
        " under the null.\n\n### What is power?\n\n- 1 minus the type II error rate\n"
        "- grows with sample size\n"
    )
    result = run("ingest", str(notes), "--json")
    assert json.loads(result.stdout)["cards"] == 2
    cards = json.loads(run("cards", "--json").stdout)
    assert [c["question"] for c in cards] == ["What is a p-value?", "What is power?"]
    assert cards[1]["key_points"] == ["1 minus the type II error rate", "grows with sample size"]


def test_user_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    missing_store = run("cards")
    assert missing_store.exit_code == 1
    assert missing_store.stderr.strip().splitlines() == [
        "error: no notes ingested yet: run `coach ingest` first"
    ]
    missing_path = run("ingest", str(tmp_path / "nope.md"))
    assert missing_path.exit_code == 1 and "no such file" in missing_path.stderr
    assert "Traceback" not in missing_path.stderr + missing_path.stdout


def test_bad_notes_warn_but_do_not_crash(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "blob.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "notes" / "ok.md").write_text("### What is X?\n\nX is Y.\n### What is Z?\n")
    result = run("ingest", str(tmp_path / "notes"), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["cards"] == 1
    assert "blob.txt:1: binary file" in result.stderr
    assert "ok.md:4: question has no answer" in result.stderr


def test_python_dash_m_coach_works() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "coach", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and "ingest" in result.stdout


def test_help_shows_flags_without_a_value() -> None:
    # A flag shown as "--json <bool>" reads as if it wanted "--json true".
    for command in ("grade", "eval", "ingest", "practice"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--help" in result.stdout
        assert "<bool>" not in result.stdout, command


def test_a_folder_without_cards_is_one_line_and_exit_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("ingest", str(empty))
    assert result.exit_code == 1 and "no notes files" in result.stderr
    (empty / "short.md").write_text("just a few words here\n")
    result = run("ingest", str(empty))
    assert result.exit_code == 1
    assert "short.md:1: no questions found" in result.stderr
    assert "no questions or notes found" in result.stderr


def _open_files() -> int:
    # Chroma closes a thread's SQLite connection when the object is collected.
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="counts files through /proc")
def test_commands_release_the_store_they_open(
    ingested_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command closes its store: the practice loop, the tests and any tool that runs
    commands in one process would otherwise keep ~20 files and sockets open per store."""
    commands = (
        ("cards", "--json"),
        ("ask", "padding"),
        ("grade", "--question", "What is Padding?", "--answer", "zeros around", "--json"),
        ("ingest", "--json"),
        ("doctor",),
    )
    # A first round on a copy of the store loads what a process keeps for good (models,
    # thread pools); Chroma would keep that copy's store open too, were it not closed.
    warm_up = tmp_path / "warm-up"
    shutil.copytree(ingested_home, warm_up, symlinks=True)
    with monkeypatch.context() as patch:
        patch.setenv("COACH_HOME", str(warm_up))
        for args in commands:
            assert run(*args).exit_code in (0, 1), args
    before = _open_files()
    for args in commands:
        result = run(*args)
        assert result.exit_code in (0, 1), result.output
        assert _open_files() <= before, args
