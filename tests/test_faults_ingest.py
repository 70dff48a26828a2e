"""Killing an ingest at any moment, or damaging the store, never leaves a broken deck."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coach.config import Settings
from coach.store import open_store


def coach(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@pytest.fixture
def env(coach_home: Path) -> dict[str, str]:
    return {**os.environ, "COACH_HOME": str(coach_home)}


@pytest.mark.parametrize("delay", [0.8, 2.0, 3.5])
def test_kill_during_first_ingest_then_ingest_again(delay: float, env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "coach", "ingest"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    again = coach("ingest", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["cards"] == 50
    settings = Settings()
    with open_store(str(settings.store_dir), settings.embed_model_name) as store:
        cards = store.cards()
        assert len(cards) == 50 and len({c.id for c in cards}) == 50
        for card in cards:
            assert len(store.key_point_vectors(card)) == len(card.key_points)
        assert set(store.reference_vectors()) == {c.id for c in cards}


def test_garbage_store_file_is_one_line(ingested_home: Path, env: dict[str, str]) -> None:
    database = ingested_home / "store" / "chroma.sqlite3"
    database.write_bytes(b"this is not a database" * 100)
    result = coach("cards", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "coach ingest --rebuild" in lines[0]


def test_deleted_store_folder_says_ingest(ingested_home: Path, env: dict[str, str]) -> None:
    import shutil

    shutil.rmtree(ingested_home / "store")
    result = coach("ask", "what is a GAN", env=env)
    assert result.returncode == 1 and "coach ingest" in result.stderr
    assert "Traceback" not in result.stderr
