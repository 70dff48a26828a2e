from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.config import Settings, bundled_dir
from coach.embedding import Embedder
from coach.errors import InputError, StoreError, StoreMissingError
from coach.ingest import ingest
from coach.store import Store, open_store

BUNDLED = bundled_dir("knowledge") / "dl-architectures.txt"


class CountingFactory:
    """Hands out the real embedder and remembers whether anyone asked for it."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder, self.calls = embedder, 0

    def __call__(self) -> Embedder:
        self.calls += 1
        return self.embedder


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with open_store(str(settings.store_dir), settings.embed_model_name, create=True) as store:
        yield store


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    path = tmp_path / "notes" / "deck.txt"
    path.parent.mkdir()
    path.write_bytes(BUNDLED.read_bytes())
    return path


def test_first_ingest_adds_every_card_then_nothing_changes(
    store: Store, deck: Path, embedder: Embedder
) -> None:
    first = ingest([deck], store, CountingFactory(embedder))
    assert first.as_json() == {
        "cards": 50,
        "chunks": 0,
        "added": 50,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
    }
    again = CountingFactory(embedder)
    second = ingest([deck], store, again)
    assert (second.unchanged, second.added, second.updated, second.removed) == (50, 0, 0, 0)
    assert again.calls == 0, "an ingest with nothing to do must not load the model"
    assert store.count() == 50


def test_edits_update_and_deletions_remove(store: Store, deck: Path, embedder: Embedder) -> None:
    ingest([deck], store, lambda: embedder)
    text = deck.read_text()
    text = text.replace("Step size of the filter.", "How far the filter moves each step.")
    text = text.replace("5. What is Stride?", "5. What is Stride, really?")
    text = text.replace("6. What is Padding?\n", "").replace(
        'Adding zeros around the input. "Same" padding preserves spatial dimensions. '
        '"Valid" = no padding.\n',
        "",
    )
    deck.write_text("DL Architectures\nExtra title line\n" + text.split("\n", 1)[1])
    report = ingest([deck], store, lambda: embedder)
    # The renamed question is a new card (its id is its question); the old one and padding go.
    assert (report.added, report.removed, report.updated, report.unchanged) == (1, 2, 0, 48)
    assert report.cards == 49 and store.count() == 49
    resnet = next(c for c in store.cards() if c.question == "What made ResNet revolutionary?")
    assert resnet.line == deck.read_text().splitlines().index("8. " + resnet.question) + 1


def test_answer_edit_counts_as_updated(store: Store, deck: Path, embedder: Embedder) -> None:
    ingest([deck], store, lambda: embedder)
    deck.write_text(deck.read_text().replace("Won ImageNet 2012.", "Won ILSVRC 2012."))
    report = ingest([deck], store, lambda: embedder)
    assert (report.updated, report.unchanged) == (1, 49)
    alexnet = next(c for c in store.cards() if "AlexNet" in c.question)
    assert alexnet.key_points[-1] == "Won ILSVRC 2012"
    assert len(store.key_point_vectors(alexnet)) == 5


def test_other_files_are_left_alone(
    store: Store, deck: Path, tmp_path: Path, embedder: Embedder
) -> None:
    ingest([deck], store, lambda: embedder)
    extra = tmp_path / "extra.md"
    extra.write_text("## Misc\n\n### What is a tensor?\n\nA multi-dimensional array.\n")
    report = ingest([extra], store, lambda: embedder)
    assert (report.cards, report.added, report.removed) == (1, 1, 0)
    assert store.count() == 51


def test_chunks_are_stored_for_prose_notes(
    store: Store, tmp_path: Path, embedder: Embedder
) -> None:
    prose = tmp_path / "prose.md"
    prose.write_text("# Notes\n\n" + " ".join(["Gradient descent follows the slope."] * 60))
    report = ingest([prose], store, lambda: embedder)
    assert report.cards == 0 and report.chunks >= 1
    hits = store.nearest_chunks(embedder.embed(["gradient descent"])[0])
    assert hits and "Gradient descent" in hits[0].text


def test_a_store_built_with_another_model_asks_for_rebuild(
    settings: Settings, deck: Path, embedder: Embedder
) -> None:
    with open_store(str(settings.store_dir), settings.embed_model_name, create=True) as store:
        ingest([deck], store, lambda: embedder)
    with pytest.raises(StoreError, match="--rebuild"):
        open_store(str(settings.store_dir), "some-other-model")


def test_missing_store_and_missing_path(
    settings: Settings, store: Store, embedder: Embedder
) -> None:
    with pytest.raises(StoreMissingError):
        open_store(str(settings.home / "nowhere"), settings.embed_model_name)
    with pytest.raises(InputError, match="no such file"):
        ingest([Path("does-not-exist.md")], store, lambda: embedder)


def test_rebuild_starts_over(store: Store, deck: Path, embedder: Embedder) -> None:
    ingest([deck], store, lambda: embedder)
    store.reset()
    assert store.count() == 0
    assert ingest([deck], store, lambda: embedder).added == 50


def test_a_folder_ingest_reads_notes_in_other_markup_and_spreadsheets(
    store: Store, tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "notes"
    (folder / "more").mkdir(parents=True)
    (folder / "comp.org").write_text("* Parsing\n** What is a lexer?\nIt makes tokens.\n")
    (folder / "deng.adoc").write_text("== Storage\n=== What is CDC?\nChange data capture.\n")
    (folder / "more" / "gfx.rst").write_text("Why mipmap?\n-----------\nTo stop shimmer.\n")
    (folder / "mkt.csv").write_text("Question,Answer\nWhat is CAC?,Cost per new customer.\n")
    (folder / "mkt.tsv").write_text("Front\tBack\nWhat is LTV?\tMargin over churn.\n")
    (folder / "diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = ingest([folder], store, lambda: embedder)
    assert (report.cards, report.added, report.warnings) == (5, 5, [])
    assert {Path(card.source).name for card in store.cards()} == {
        "comp.org",
        "deng.adoc",
        "gfx.rst",
        "mkt.csv",
        "mkt.tsv",
    }
