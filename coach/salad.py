"""Keyword salad: an answer that lists the right terms without saying how they relate."""

from __future__ import annotations

import re

import numpy as np

from coach.stemming import FUNCTION_WORDS

_BARE_LIST_WORDS = 10
_PUNCTUATION = ".,;:!?()[]\"'“”‘’…"
_TERM_SEPARATOR = re.compile(r"\.\s+|\s[-–—]\s")
# Commas and semicolons, and what people type between terms instead: "a / b", "a | b",
# "a!! b", "a... b" (spaced, so "public/private" stays one term). Not arrows: "const ->
# nonconst" states a relation.
_ITEM_SEPARATOR = re.compile(r"[,;]|\s[/|]\s|!{2,}(?=\s)|(?:\.{3}|…)(?=\s)")
# Code is all relations: "if (front) { rear->next = temp; }" is no list of terms.
_CODE = re.compile(r"[{}]|=[^;,]*;")


def salad_score(text: str) -> float:
    """0-1: how much the answer is a bare list of terms rather than statements."""
    body = text.split(":", 1)[1] if re.match(r"^[^:]{1,30}:", text) else text
    items = [i for i in _ITEM_SEPARATOR.split(body) if i.strip(" .")]
    # Whole words: "over-fetching" and "no-store" are terms, not "over" and "no".
    words = [w.strip(_PUNCTUATION) for w in body.lower().split() if re.search("[a-z]", w)]
    terms = [i for i in _TERM_SEPARATOR.split(body) if i.strip(" .")]
    if len(items) < 5 and all(len(term.split()) <= 2 for term in terms):
        # Terms listed with full stops ("Max. Average. Stride.") or dashes; short spoken
        # sentences are not terms ("So. Pooling. It downsamples. Max or average.").
        items = terms
    if (
        len(items) < 5
        and len(words) >= _BARE_LIST_WORDS
        and not any(w in FUNCTION_WORDS for w in words)
        and not _TERM_SEPARATOR.search(body.strip(" ."))
    ):
        # Terms said one after another, with no commas and not one "is", "of" or "the"
        # ("latency throughput bandwidth ms RTT requests per second..."): each word is an
        # item. Telegraphic answers keep a few ("makes similar outputs, not much diversity").
        items = body.split()
    if len(items) < 5 or not words or _CODE.search(body):
        return 0.0
    short = sum(len(i.split()) <= 3 for i in items) / len(items)
    # A list may open with one "is" ("Pooling is max, average, ...") and close with one
    # "and" or "or": one of each joins no terms, wherever it stands.
    glue_words = [w for w in words if w in FUNCTION_WORDS]
    for opener in ("is", "are", "and", "or"):
        if opener in glue_words:
            glue_words.remove(opener)
    glue = len(glue_words) / len(words)
    return float(np.clip(short * (1.0 - 3.0 * glue), 0.0, 1.0))
