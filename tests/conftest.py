"""Every test runs against a tmp COACH_HOME, offline, with no LLM configured."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from coach.config import PERSONAL_ENVIRONMENT, Settings, bundled_dir
from coach.embedding import Embedder, load_embedder
from coach.signals import Reference, build_references

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def coach_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exported_model_dir: Path | None
) -> Path:
    """COACH_HOME in tmp, offline, no `.env` from the developer's checkout; the run's
    exported model is shared so no command exports its own (~6 s each)."""
    home = tmp_path / "home"
    if exported_model_dir is not None:
        (home / "cache").mkdir(parents=True)
        (home / "cache" / "onnx").symlink_to(exported_model_dir, target_is_directory=True)
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_OFFLINE", "1")
    for name in PERSONAL_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture(scope="session", autouse=True)
def dont_write_to_home_directory() -> Iterator[None]:
    """Fail the run if any test forgot its tmp COACH_HOME and wrote to the real one."""
    real = Path(platformdirs.user_data_dir("coach", appauthor=False))
    existed = real.exists()
    yield
    assert existed or not real.exists(), f"a test wrote to the real data dir {real}"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real packaged model, loaded once per run."""
    return load_embedder(None, cache_dir=_session_cache())


@pytest.fixture(scope="session")
def exported_model_dir(embedder: Embedder) -> Path | None:
    """The folder holding this run's ONNX export (None when sentence-transformers runs)."""
    embedder.embed(["export the model once per test run"])
    model_file = getattr(embedder, "model_file", None)
    return Path(model_file).parent if model_file is not None else None


def _session_cache() -> Path:
    # The ONNX export is ~90 MB and byte-identical: share one per test run.
    path = Path(__import__("tempfile").gettempdir()) / "coach-test-cache"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def prepared_home(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A COACH_HOME with the bundled deck ingested, built once; copy it, don't modify it."""
    from coach.ingest import ingest
    from coach.store import open_store

    home = tmp_path_factory.mktemp("prepared") / "home"
    settings = Settings(home=home)
    with open_store(str(settings.store_dir), settings.embed_model_name, create=True) as store:
        ingest([bundled_dir("knowledge")], store, lambda: embedder)
    return home


@pytest.fixture
def ingested_home(prepared_home: Path, coach_home: Path) -> Path:
    """This test's COACH_HOME, holding a copy of the ingested bundled deck."""
    shutil.copytree(prepared_home, coach_home, symlinks=True, dirs_exist_ok=True)
    return coach_home


@pytest.fixture
def settings(coach_home: Path) -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def tcp_udp(embedder: Embedder) -> Reference:
    """A card from notes no tuning saw, whose points the question's two names label."""
    (card,) = build_references(
        [
            (
                "t",
                "What is the difference between TCP and UDP?",
                "TCP is connection-oriented and reliable: it retransmits lost packets and "
                "delivers them in order. UDP is connectionless, with no delivery guarantee, "
                "and has lower latency.",
            )
        ],
        embedder,
    )
    return card
