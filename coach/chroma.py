"""Connecting to Chroma (embedded under COACH_HOME, or a server) and turning its many
failure modes into one line a person can act on."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from coach.errors import StoreError, StoreMissingError

if TYPE_CHECKING:
    from chromadb.api.client import Client


@contextmanager
def translate_failures(location: str) -> Iterator[None]:
    """Chroma fails in many ways on a damaged folder; each becomes one fixable line."""
    # Imported here: only code that already talks to Chroma gets this far.
    from chromadb.errors import ChromaError

    try:
        yield
    except (StoreError, StoreMissingError):
        raise
    # What a damaged, full or unreachable store raises: Chroma's own errors, SQLite's,
    # the file system's, and the Key/Value errors of records that no longer parse.
    # Anything else is a bug in coach and stays a traceback.
    except (ChromaError, sqlite3.Error, OSError, ValueError, KeyError, RuntimeError) as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        if _is_write_failure(exc):
            raise StoreError(
                f"cannot write to the store at {location} ({first_line}): "
                "free some disk space or make COACH_HOME writable"
            ) from exc
        if location.startswith(("http://", "https://")):
            # A server that is down or refuses us is not fixed by rebuilding anything.
            raise StoreError(f"the Chroma server at {location} failed ({first_line})") from exc
        raise StoreError(
            f"the store at {location} cannot be read ({first_line}): run `coach ingest --rebuild`"
        ) from exc


_WRITE_FAILURES = ("disk is full", "no space left", "readonly", "read-only", "permission denied")


def _is_write_failure(exc: BaseException) -> bool:
    """A full disk or a read-only home is not damage: rebuilding would not help."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES):
        return True
    return any(marker in str(exc).lower() for marker in _WRITE_FAILURES)


def open_client(store_dir: str, chroma_url: str | None, create: bool) -> Client:
    """An embedded client under COACH_HOME, or an HTTP client for a shared Chroma server.

    Both are `Client`s, which can be closed, though chromadb annotates them as `ClientAPI`.
    """
    from pathlib import Path

    # Imported here: chromadb costs ~0.6 s and most commands never touch the store.
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=True)
    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        with translate_failures(chroma_url):
            http_client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=settings,
            )
        return cast("Client", http_client)
    path = Path(store_dir)
    if not create and not (path / "chroma.sqlite3").exists():
        raise StoreMissingError("no notes ingested yet: run `coach ingest` first")
    path.mkdir(parents=True, exist_ok=True)
    with translate_failures(str(path)):
        return cast("Client", chromadb.PersistentClient(path=str(path), settings=settings))
