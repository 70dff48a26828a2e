"""Attempts and card schedules in SQLite under COACH_HOME, upgraded by named migrations.

One connection per unit of work (`closing(connect(path))`, `with conn:`), WAL so that a
reader (`coach history`) never waits for a session that is writing, and a busy timeout so
two sessions writing at once queue instead of failing with "database is locked".
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from coach.errors import HistoryError
from coach.models import score_for

BUSY_TIMEOUT_SECONDS = 15.0
Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


class Attempt(BaseModel):
    """One graded answer, as saved the moment it was graded."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    card_id: str
    topic: str
    question: str
    answer: str
    grade: float
    verdict: str
    mode: str
    practice_mode: str
    signals: dict[str, Any]
    seconds: float
    created_at: datetime

    def to_json(self) -> dict[str, object]:
        """One element of `coach history --json`."""
        return {
            "id": self.id,
            "card_id": self.card_id,
            "topic": self.topic,
            "question": self.question,
            "answer": self.answer,
            "grade": self.grade,
            "score": score_for(self.grade),
            "verdict": self.verdict,
            "mode": self.mode,
            "practice_mode": self.practice_mode,
            "signals": self.signals,
            "seconds": round(self.seconds, 1),
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True)
class ScheduleRow:
    """A card's spaced-repetition state as stored: the scheduler's JSON and its due time."""

    card_id: str
    state: str
    due: datetime


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its name is what the table records."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_attempts(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL,
            topic TEXT NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            grade REAL NOT NULL,
            verdict TEXT NOT NULL,
            mode TEXT NOT NULL,
            practice_mode TEXT NOT NULL,
            signals TEXT NOT NULL,
            seconds REAL NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX attempts_card ON attempts (card_id, created_at)")


@migration
def m002_card_schedule(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE card_schedule (
            card_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            due TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


def _iso(moment: datetime) -> str:
    # One fixed UTC format, so that text order in SQL is time order.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@contextmanager
def _failures(path: Path) -> Iterator[None]:
    """sqlite3 and file errors become one line naming the file and what to do."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, sqlite3.OperationalError):
            raise HistoryError(
                f"cannot use the history at {path} ({reason}): check that its disk has free "
                "space and COACH_HOME is writable"
            ) from exc
        raise HistoryError(
            f"the history at {path} is damaged ({reason}): move it aside to start a new one"
        ) from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise HistoryError(
            f"cannot use the history at {path} ({reason}): check that its disk has free "
            "space and COACH_HOME is writable"
        ) from exc


def _create_private(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite would honour the umask, often 0644);
    SQLite gives the -wal and -shm files the database file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def connect(path: Path) -> sqlite3.Connection:
    """A connection with WAL and a busy timeout; the caller closes it."""
    _create_private(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def open_history(path: Path, now: datetime) -> None:
    """Create or upgrade the database; every command calls this before reading or writing.

    Raises:
        HistoryError: the file cannot be created, read, or was written by a newer coach.
    """
    with _failures(path), closing(connect(path)) as conn:
        if not _pending(conn):
            return
        if _applied(conn):
            backup(path, now, conn)
        # IMMEDIATE takes the write lock first: two processes starting at once on a new
        # file then migrate one after the other, and the second finds nothing to do.
        conn.execute("BEGIN IMMEDIATE")
        try:
            _ensure_migrations_table(conn)
            for name, fn in _pending(conn):
                fn(conn)
                conn.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (name, _iso(now))
                )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


def _applied(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def _pending(conn: sqlite3.Connection) -> list[tuple[str, Migration]]:
    applied = _applied(conn)
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise HistoryError(
            f"the history was written by a newer coach (migration {unknown[0]}): upgrade coach"
        )
    return [(name, fn) for name, fn in MIGRATIONS if name not in applied]


def _ensure_migrations_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def backup(path: Path, now: datetime, conn: sqlite3.Connection) -> Path:
    """Copy the database beside itself (0600, never over an older copy) before a migration."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.bak")
    suffix = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{stamp}-{suffix}.bak")
        suffix += 1
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    with closing(sqlite3.connect(target)) as copy:
        conn.backup(copy)
    return target


def record_attempt(
    path: Path,
    attempt: Attempt,
    reschedule: Callable[[str | None], tuple[str, datetime]] | None = None,
) -> Attempt:
    """Save an attempt, and the card's new schedule, in one transaction committed at once.

    `reschedule` maps the card's stored scheduler state (None for a new card) to its new
    state and due time. It runs under the write lock, so two sessions reviewing the same
    card never lose each other's review.
    """
    with _failures(path), closing(connect(path)) as conn, conn:
        conn.execute("BEGIN IMMEDIATE")
        cursor = conn.execute(
            "INSERT INTO attempts (card_id, topic, question, answer, grade, verdict, mode,"
            " practice_mode, signals, seconds, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                attempt.card_id,
                attempt.topic,
                attempt.question,
                attempt.answer,
                attempt.grade,
                attempt.verdict,
                attempt.mode,
                attempt.practice_mode,
                json.dumps(attempt.signals, ensure_ascii=False),
                attempt.seconds,
                _iso(attempt.created_at),
            ),
        )
        if reschedule is not None:
            _reschedule_card(conn, attempt, reschedule)
    return attempt.model_copy(update={"id": cursor.lastrowid})


def _reschedule_card(
    conn: sqlite3.Connection,
    attempt: Attempt,
    reschedule: Callable[[str | None], tuple[str, datetime]],
) -> None:
    row = conn.execute(
        "SELECT state FROM card_schedule WHERE card_id = ?", (attempt.card_id,)
    ).fetchone()
    state, due = reschedule(row[0] if row else None)
    conn.execute(
        "INSERT OR REPLACE INTO card_schedule (card_id, state, due, updated_at)"
        " VALUES (?, ?, ?, ?)",
        (attempt.card_id, state, _iso(due), _iso(attempt.created_at)),
    )


def attempts(path: Path, card_id: str | None = None) -> list[Attempt]:
    """Saved attempts, oldest first (only one card's with `card_id`)."""
    query = "SELECT * FROM attempts"
    params: tuple[str, ...] = ()
    if card_id is not None:
        query, params = query + " WHERE card_id = ?", (card_id,)
    with _failures(path), closing(connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(query + " ORDER BY created_at, id", params).fetchall()
    return [_attempt(row) for row in rows]


def _attempt(row: sqlite3.Row) -> Attempt:
    values = dict(row)
    values["signals"] = json.loads(values["signals"])
    values["created_at"] = _parse_time(values["created_at"])
    return Attempt(**values)


def schedules(path: Path) -> dict[str, ScheduleRow]:
    """Every scheduled card's state, by card id."""
    with _failures(path), closing(connect(path)) as conn:
        rows = conn.execute("SELECT card_id, state, due FROM card_schedule").fetchall()
    return {card_id: ScheduleRow(card_id, state, _parse_time(due)) for card_id, state, due in rows}
