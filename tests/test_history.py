"""The history database: migrations, backups, permissions, commits, concurrency, damage."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coach import history
from coach.errors import HistoryError
from coach.history import Attempt

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def attempt(card_id: str = "card-1", grade: float = 3.0, at: datetime = T0) -> Attempt:
    return Attempt(
        card_id=card_id,
        topic="CNNs",
        question="What is pooling?",
        answer="It downsamples.\nAnd gives some invariance.",
        grade=grade,
        verdict="partial",
        mode="offline",
        practice_mode="default",
        signals={"missed": ["Max pooling is most common"], "similarity": 0.61},
        seconds=12.5,
        created_at=at,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "home" / "history.sqlite3"
    history.open_history(path, T0)
    return path


def applied(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def test_new_database_is_private_wal_and_fully_migrated(db: Path) -> None:
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert applied(db) == [name for name, _ in history.MIGRATIONS]
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    history.open_history(db, T0 + timedelta(days=1))  # nothing pending: no-op, no backup
    assert list(db.parent.glob("*.bak")) == []


def test_record_commits_at_once_and_reads_back(db: Path) -> None:
    saved = history.record_attempt(db, attempt())
    assert saved.id == 1
    # A separate connection sees it: committed, not waiting on a session's close.
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
    (row,) = history.attempts(db)
    assert row == saved
    assert row.to_json()["created_at"] == "2026-01-05T09:00:00.000000Z"
    assert row.to_json()["score"] == 60


def test_reschedule_sees_the_previous_state(db: Path) -> None:
    seen: list[str | None] = []

    def reschedule(stored: str | None) -> tuple[str, datetime]:
        seen.append(stored)
        return f"state-{len(seen)}", T0 + timedelta(minutes=len(seen))

    history.record_attempt(db, attempt(), reschedule)
    history.record_attempt(db, attempt(at=T0 + timedelta(minutes=5)), reschedule)
    assert seen == [None, "state-1"]
    row = history.schedules(db)["card-1"]
    assert (row.state, row.due) == ("state-2", T0 + timedelta(minutes=2))


def test_attempts_filter_by_card_and_keep_time_order(db: Path) -> None:
    history.record_attempt(db, attempt("b", at=T0 + timedelta(hours=1)))
    history.record_attempt(db, attempt("a", at=T0))
    history.record_attempt(db, attempt("b", at=T0 + timedelta(hours=2)))
    assert [a.card_id for a in history.attempts(db)] == ["a", "b", "b"]
    assert len(history.attempts(db, "b")) == 2
    assert history.attempts(db, "zzz") == []


def test_a_failed_reschedule_saves_nothing(db: Path) -> None:
    def broken(stored: str | None) -> tuple[str, datetime]:
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        history.record_attempt(db, attempt(), broken)
    assert history.attempts(db) == []


def test_pending_migration_backs_up_first(db: Path) -> None:
    history.record_attempt(db, attempt())
    # Pretend this database predates the second migration.
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DROP TABLE card_schedule")
        conn.execute("DELETE FROM _migrations WHERE name = 'm002_card_schedule'")
    history.open_history(db, T0)
    (backup,) = db.parent.glob("*.bak")
    assert backup.name == "history.sqlite3.20260105T090000.bak"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
        assert "card_schedule" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert applied(db)[-1] == "m002_card_schedule"
    assert len(history.attempts(db)) == 1


def test_a_second_backup_never_overwrites_the_first(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        first = history.backup(db, T0, conn)
        second = history.backup(db, T0, conn)
    assert first != second and first.exists() and second.exists()


def test_history_from_a_newer_coach_is_refused(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("INSERT INTO _migrations VALUES ('m999_future', 'x')")
    with pytest.raises(HistoryError, match="newer coach"):
        history.open_history(db, T0)


def test_damaged_file_is_one_line_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(HistoryError) as caught:
        history.open_history(path, T0)
    message = str(caught.value)
    assert str(path) in message and "damaged" in message and "\n" not in message
    assert path.read_bytes() == garbage


def test_unwritable_location_is_a_history_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(HistoryError, match="cannot use the history"):
        history.open_history(blocker / "history.sqlite3", T0)


def _write_many(path: str, card_id: str, count: int) -> None:
    for index in range(count):
        history.record_attempt(
            Path(path),
            attempt(card_id, at=T0 + timedelta(seconds=index)),
            lambda stored: ((stored or "") + "x", T0),
        )


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"  # both processes race to create and migrate it
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_both, args=(str(path), card_id)) for card_id in ("left", "right")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    rows = history.attempts(path)
    assert len(rows) == 60
    # Same card from both sides: every reschedule saw the one before it.
    assert history.schedules(path)["shared"].state == "x" * 20


def _both(path: str, card_id: str) -> None:
    history.open_history(Path(path), T0)
    _write_many(path, card_id, 20)
    _write_many(path, "shared", 10)
