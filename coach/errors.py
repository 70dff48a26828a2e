"""The few errors a person can fix: each becomes one line and exit code 1 in the CLI."""

from __future__ import annotations


class CoachError(Exception):
    """User-fixable problem: one line, exit 1, no traceback."""


class StoreMissingError(CoachError):
    """No index yet: run `coach ingest`."""


class StoreError(CoachError):
    """The store exists but cannot be used (damaged, other model, unreachable)."""


class EmbeddingError(CoachError):
    """The embedding model cannot be loaded."""


class InputError(CoachError):
    """Bad input to a command: a file, a row, an id."""


class RubricError(CoachError):
    """The LLM endpoint failed or replied off-schema; grading falls back to offline."""


class HistoryError(CoachError):
    """The history database cannot be read or written."""
