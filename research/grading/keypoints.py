"""Split a reference answer into atomic key points."""

from __future__ import annotations

import re

# Abbreviations whose trailing dot does not end a sentence.
_ABBREV = re.compile(r"\b(e\.g|i\.e|vs|etc|cf|approx|i\.i\.d|resp)\.", re.IGNORECASE)
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$(\"'`*\\\[])|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_LABEL = re.compile(r"(?:(?<=^)|(?<=\s))([A-Z][\w\-/()'’ ]{0,30}?):\s+(?=\S)")
_PLACEHOLDER = "\u0000"


def _protect(text: str) -> str:
    return _ABBREV.sub(lambda m: m.group(0).replace(".", _PLACEHOLDER), text)


def _split_outside_brackets(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0 and "$" not in text[start:i].replace("$$", "")[:0]:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _in_math(text: str) -> bool:
    return text.count("$") >= 2


def _is_item_list(items: list[str]) -> bool:
    # A comma list of short noun phrases ("ReLU activation, Dropout, GPU
    # training"), not a clause with commas ("…, preventing learning of …").
    if len(items) < 3 or len(items[0].split()) > 4:
        return False
    return all(1 <= len(it.split()) <= 8 for it in items)


def _split_list(sentence: str) -> list[str]:
    if _in_math(sentence):
        return [sentence]
    body = sentence.rstrip(".!? ")
    items = _split_outside_brackets(body, ",")
    if items and re.match(r"^(and|or)\s", items[-1]):
        items[-1] = re.sub(r"^(and|or)\s+", "", items[-1])
    if len(items) >= 2:
        last = re.split(r"\s+(?:and|or)\s+", items[-1])
        if len(last) == 2 and all(len(x.split()) <= 4 for x in last):
            items = items[:-1] + last
    return items if _is_item_list(items) else [sentence]


def _split_labels(sentence: str) -> list[str]:
    """'Forget: a. Input: b.' style segments inside one sentence."""
    starts = [m.start() for m in _LABEL.finditer(sentence)]
    if len(starts) < 2:
        return [sentence]
    cuts = [0] + starts[1:] + [len(sentence)]
    return [sentence[a:b].strip(" ,;.") for a, b in zip(cuts, cuts[1:]) if sentence[a:b].strip(" ,;.")]


def split_key_points(answer: str) -> list[str]:
    """Split a reference answer into short, separately checkable claims."""
    text = _protect(answer.strip())
    points: list[str] = []
    for line in text.split("\n"):
        line = _BULLET.sub("", line).strip()
        for sentence in _SENT_END.split(line):
            for clause in _split_outside_brackets(sentence, ";"):
                for seg in _split_labels(clause):
                    points.extend(_split_list(seg))
    cleaned = [p.replace(_PLACEHOLDER, ".").strip(" .") for p in points]
    return [p.rstrip(":") for p in cleaned if _is_claim(p)]


_FUNCTION_ONLY = re.compile(r"^(?:and|or|but|so|then|also|fixes|corrections|note)\W*$", re.IGNORECASE)


def _is_claim(point: str) -> bool:
    # Connectives and bare headers ("Fixes:") left over from splitting say nothing.
    return bool(re.search(r"\w", point)) and not _FUNCTION_ONLY.match(point)
