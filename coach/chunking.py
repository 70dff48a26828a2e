"""Prose that asks no question becomes overlapping context chunks for retrieval."""

from __future__ import annotations

import hashlib
import re

from coach.models import Chunk

TARGET_WORDS = 200
MAX_WORDS = 300
MIN_WORDS = 8
OVERLAP_WORDS = 40


def chunk_prose(lines: list[tuple[int, str, str]], source: str, prefix: str) -> list[Chunk]:
    """Group (line, topic, text) rows by topic and paragraph into ~100-300-word chunks."""
    chunks: list[Chunk] = []
    for topic, paragraphs in _sections(lines):
        for line, text in _pack(paragraphs):
            if len(text.split()) < MIN_WORDS:
                continue
            digest = hashlib.sha1(f"{topic}\n{text}".encode()).hexdigest()[:10]
            chunks.append(
                Chunk(id=f"{prefix}-c{digest}", topic=topic, text=text, source=source, line=line)
            )
    return chunks


def _sections(lines: list[tuple[int, str, str]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Consecutive rows under one topic; a gap in line numbers starts a new paragraph."""
    sections: list[tuple[str, list[tuple[int, str]]]] = []
    previous_line = -2
    for line, topic, text in lines:
        if not sections or sections[-1][0] != topic:
            sections.append((topic, []))
            previous_line = -2
        paragraphs = sections[-1][1]
        if paragraphs and line == previous_line + 1:
            start, body = paragraphs[-1]
            paragraphs[-1] = (start, f"{body}\n{text}")
        else:
            paragraphs.append((line, text))
        previous_line = line
    return sections


def _pack(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Fill chunks to about TARGET_WORDS; each new chunk repeats the previous one's tail."""
    pieces = [(line, piece) for line, text in paragraphs for piece in _split_long(text)]
    chunks: list[tuple[int, str]] = []
    start, words = 0, list[str]()
    for line, piece in pieces:
        if words and len(words) + len(piece.split()) > MAX_WORDS:
            chunks.append((start, " ".join(words)))
            words = words[-OVERLAP_WORDS:]
            start = line
        if not words:
            start = line
        words.extend(piece.split())
        if len(words) >= TARGET_WORDS:
            chunks.append((start, " ".join(words)))
            words, start = words[-OVERLAP_WORDS:], line
    if words and (not chunks or len(words) > OVERLAP_WORDS):
        chunks.append((start, " ".join(words)))
    return chunks


def _split_long(text: str) -> list[str]:
    """A paragraph longer than a chunk is cut at sentence ends."""
    if len(text.split()) <= MAX_WORDS:
        return [text]
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
