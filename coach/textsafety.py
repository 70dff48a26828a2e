"""Reading untrusted text: undecodable bytes, binary files, and terminal control sequences."""

from __future__ import annotations

import re
from pathlib import Path

from coach.models import ParseWarning

# ANSI escape sequences (CSI, OSC) and the other C0/C1 controls, except tab and newline:
# notes and answers are echoed to a terminal, where these would be executed, not shown.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SNIFF_BYTES = 8192


def strip_control(text: str) -> str:
    """Remove escape sequences and control characters, keeping tabs and newlines."""
    return _CONTROL.sub("", _ANSI.sub("", text))


def read_notes_text(path: Path) -> tuple[str | None, list[ParseWarning]]:
    """Decode a notes file; None (with a warning) when there is nothing usable in it."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, [ParseWarning(source=source, line=0, message=f"cannot read: {reason}")]
    if not raw.strip():
        return None, [ParseWarning(source=source, line=1, message="file is empty")]
    if b"\x00" in raw[:_SNIFF_BYTES]:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        message = "binary file (NUL byte), skipped"
        return None, [ParseWarning(source=source, line=line, message=message)]
    warnings: list[ParseWarning] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = "not valid UTF-8; read as Windows-1252/Latin-1, check accented characters"
        warnings.append(ParseWarning(source=source, line=line, message=message))
        text = raw.decode("cp1252", errors="replace")
    cleaned = strip_control(text.replace("\r\n", "\n"))
    if cleaned != text.replace("\r\n", "\n"):
        line = next(
            (n for n, row in enumerate(text.splitlines(), 1) if strip_control(row) != row), 1
        )
        warnings.append(
            ParseWarning(source=source, line=line, message="control characters removed")
        )
    return cleaned, warnings
