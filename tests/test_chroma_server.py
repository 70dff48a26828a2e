"""COACH_CHROMA_URL: the same commands against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest

from coach.config import bundled_dir
from coach.embedding import Embedder

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma run exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"no Chroma server at {url} after {seconds} s")


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A real Chroma server, persisting under tmp, for this test only."""
    assert CHROMA.exists(), "the chromadb package's `chroma` CLI is missing from the venv"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        str(CHROMA),
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--path",
        str(tmp_path / "server"),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_coach(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=env, timeout=180
    )


def test_ingest_ask_and_grade_against_a_server(
    chroma_url: str, coach_home: Path, embedder: Embedder
) -> None:
    env = {**os.environ, "COACH_CHROMA_URL": chroma_url}
    # The first eight cards of the bundled deck, up to ResNet: enough to match, quick to embed.
    deck = coach_home.parent / "deck.txt"
    bundled = (bundled_dir("knowledge") / "dl-architectures.txt").read_text().splitlines()
    deck.write_text("\n".join(bundled[:18]) + "\n")

    empty = run_coach("cards", env=env)
    assert empty.returncode == 1
    assert "coach ingest" in empty.stderr and "Traceback" not in empty.stderr

    ingested = run_coach("ingest", str(deck), "--json", env=env)
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["added"] == 8
    assert not (coach_home / "store").exists(), "a server store must not write a local one"

    again = run_coach("ingest", str(deck), "--json", env=env)
    assert json.loads(again.stdout)["unchanged"] == 8

    asked = run_coach("ask", "why do skip connections help deep networks?", "--json", env=env)
    assert asked.returncode == 0, asked.stderr
    assert "ResNet" in json.loads(asked.stdout)[0]["question"]

    if find_spec("coach.commands.grade") is not None:
        graded = run_coach(
            "grade",
            "--question",
            "What made ResNet revolutionary?",
            "--answer",
            "Skip connections let gradients flow through 100+ layers.",
            "--offline",
            "--json",
            env=env,
        )
        assert graded.returncode == 0, graded.stderr
        row = json.loads(graded.stdout.splitlines()[0])
        assert row["matched_question"] == "What made ResNet revolutionary?"
        assert 0 <= row["grade"] <= 5


def test_an_unreachable_server_is_one_line(coach_home: Path) -> None:
    env = {**os.environ, "COACH_CHROMA_URL": f"http://127.0.0.1:{free_port()}"}
    result = run_coach("cards", env=env)
    assert result.returncode == 1
    assert "Chroma server" in result.stderr and "Traceback" not in result.stderr
