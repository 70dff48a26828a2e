"""Split a reference answer into the atomic claims a grader checks one by one."""

from __future__ import annotations

import re

from coach.plaintext import MATH

# Periods that do not end a sentence: abbreviations and decimals.
_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|resp|fig|eq)\.", re.I)
_SHORT_END = re.compile(r"(?<![\w.])[A-Za-z]{1,5}\.$")
# "i.i.d.", "w.r.t.", "a.k.a.": a dotted abbreviation ends no sentence when the next word
# is lower-case ("As the number of i.i.d. draws grows" is one claim, not two fragments).
_DOTTED_END = re.compile(r"\b(?:[A-Za-z]\.){2,}$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_LABEL = re.compile(r"^([A-Z][\w /()&'-]{0,30}):\s+(.+)$", re.S)
# "x, e.g. y" or "x, which y" continues one claim rather than listing two.
_ASIDE = re.compile(r"^(?:e\.g\.|i\.e\.|(?:such as|like|which|where|so|then|as)\b)", re.I)
_INTRODUCTION = re.compile(
    r"^(?:(?:in|for|as|by|on|at)\s+(?:short|sum|summary|practice|general|theory|example|"
    r"instance|particular|contrast|comparison|turn|fact|effect|other words|a rule|default|"
    r"the end|the other hand|addition|worst|best|most cases)|however|therefore|thus|hence|"
    r"overall|also|still|finally|typically|usually|often|otherwise|instead)$",
    re.I,
)
# "When they conflict, prefer NPV" and "at r = 8%, NPV is $1.85" are one claim each.
_SUBORDINATE = re.compile(
    r"^(?:when|whenever|if|because|since|although|though|unless|once|after|before|given|"
    r"assuming|at|in|on|for|with|without|by|under|over)\s",
    re.I,
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s", re.I)
_LONE_ADJECTIVE = re.compile(r"^(?:a|an|the)\s+\S+$", re.I)
# A list item is short: a noun phrase such as "GPU training", not a clause.
_MAX_ITEM_WORDS = 4


def split_key_points(answer: str) -> list[str]:
    """The reference's separate claims, in order, each as written in the notes."""
    points: list[str] = []
    # A code snippet illustrates a point; nobody says it aloud as one.
    for block in _blocks(_CODE_BLOCK.sub("\n", answer)):
        for sentence in _sentences(block):
            points.extend(_list_items(sentence))
    tidy = (_tidy(p) for p in _with_labels(_join_lead_ins(points)))
    # "…at the end; or" leaves a bare "or": a joint between claims, not one.
    return [p for p in tidy if len(p) > 1 and p.lower() not in _CONJUNCTIONS]


_CONJUNCTIONS = frozenset(("and", "or", "but", "so", "then", "and/or"))
_CODE_BLOCK = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.M | re.S)


def _with_labels(points: list[str]) -> list[str]:
    """A fragment after a labelled point is said of that label: in "Two-stage: region
    proposal then classification. More accurate. One-stage: direct prediction. Faster."
    the person has missed "One-stage: Faster", which "Faster" alone does not tell them."""
    out: list[str] = []
    label = ""
    for point in points:
        if match := _LABEL.match(point):
            label = match.group(1)
        elif label and len(point.split()) <= _FRAGMENT_WORDS:
            if label.lower() not in point.lower():  # "LayerNorm for Transformers"
                point = f"{label}: {point}"
        else:
            label = ""
        out.append(point)
    return out


# "More accurate", "Faster": too short to be a claim without their subject.
_FRAGMENT_WORDS = 3


def _join_lead_ins(points: list[str]) -> list[str]:
    """A point ending in ":" introduces what follows. "Fixes:" alone is a heading, not a
    claim; "per group:" before a formula belongs with the formula."""
    out: list[str] = []
    for point in points:
        lead = out[-1].rstrip() if out else ""
        if lead.endswith(":") and point.lstrip().startswith("$"):
            out[-1] = f"{lead} {point.strip()}"
            continue
        out.append(point)
    return [p for p in out if not (p.rstrip().endswith(":") and len(p.split()) <= _HEADING_WORDS)]


# "Corrections:", "Two fixes:": a lead-in this short names the list that follows.
_HEADING_WORDS = 3


def _blocks(answer: str) -> list[str]:
    """Bullets and labelled lines are separate blocks; other lines of one paragraph run
    together."""
    blocks: list[str] = []
    current: list[str] = []
    for line in answer.splitlines():
        # "- nonsense: a premature stop codon" then "Frameshift: an insertion...": a
        # line that opens with a label starts a point of its own, not the last one's tail.
        labelled_line = _LABEL.match(line.strip()) is not None
        if _BULLET.match(line) or not line.strip() or labelled_line:
            if current:
                blocks.append(" ".join(current))
            current = [_BULLET.sub("", line).strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [b for b in blocks if b]


def _protect(text: str) -> tuple[str, list[str]]:
    """Swap math spans for placeholders so their dots and commas never split."""
    spans: list[str] = []

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x00{len(spans) - 1}\x00"

    return MATH.sub(keep, text), spans


def _restore(text: str, spans: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)


def _sentences(block: str) -> list[str]:
    text, spans = _protect(block)
    abbreviations: list[str] = []

    def hide(match: re.Match[str]) -> str:
        abbreviations.append(match.group(0))
        return f"\x01{len(abbreviations) - 1}\x01"

    text = _ABBREVIATION.sub(hide, text)
    parts = re.split(r"(?<=[.!?;])\s+(?=[^\s])", text)
    # Notes whose sentences open with a capital write "lower opp. cost" and "comp. adv"
    # with a full stop that ends no sentence: a lower-case word after a short one goes on.
    capitalised = parts[0][:1].isupper()
    out: list[str] = []
    for part in parts:
        part = re.sub(r"\x01(\d+)\x01", lambda m: abbreviations[int(m.group(1))], part)
        part = _restore(part, spans)
        cut = out and (_DOTTED_END.search(out[-1]) or (capitalised and _SHORT_END.search(out[-1])))
        # "max. a → b" starts a formula: a one-letter name is no word going on.
        if cut and re.match(r"[a-z]{2}", part):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [p for p in out if p.strip()]


def _top_level_commas(text: str) -> list[str]:
    """Split on commas outside brackets and quotes (so "(W=input, K=kernel)" and "“the
    key, the whole key and nothing but the key”" stay whole)."""
    items, depth, start = [], 0, 0
    quoted = False
    for i, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "([{“":
            depth += 1
        elif char in ")]}”":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0 and not quoted:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [item.strip() for item in items]


def _list_items(sentence: str) -> list[str]:
    """ "ReLU, Dropout, GPU training" is three claims; a clause with a comma is one."""
    protected, spans = _protect(sentence.strip().rstrip(".;"))
    label_match = _LABEL.match(protected)
    label, body = (label_match.group(1), label_match.group(2)) if label_match else ("", protected)
    if not label and ", but " in body:
        # "same receptive field, but fewer parameters": two claims joined by a contrast.
        return [_restore(part, spans) for part in body.split(", but ")]
    items = _top_level_commas(body)
    items = [re.sub(r"^(and|or)\s+", "", item) for item in items if item]
    prefix = f"{label}: " if label else ""
    items = _with_letters_joined(items)
    if items and _INTRODUCTION.match(items[0]):
        # "In short, every column depends on the key": a lead-in, not a first claim.
        items = items[1:]
        body = body.split(",", 1)[1].strip()
    if not _is_list(items) or _SUBORDINATE.match(items[0]):
        return [_restore(prefix + body, spans)]
    return [_restore(prefix + item, spans) for item in items]


def _with_letters_joined(items: list[str]) -> list[str]:
    """ "bases A, T, G and C" is one item: symbols of a character or two ("T", "G and C")
    continue the item before them."""
    out: list[str] = []
    for item in items:
        if out and all(len(w) <= 2 for w in item.split() if w not in ("and", "or")):
            out[-1] = f"{out[-1]}, {item}"
        else:
            out.append(item)
    return out


def _is_list(items: list[str]) -> bool:
    lengths = [len(item.split()) for item in items]
    if len(items) < 2 or any(_ASIDE.match(item) for item in items[1:]):
        return False
    if _LONE_ADJECTIVE.match(items[0]) and not any(_ARTICLE.match(i) for i in items[1:]):
        # "A reliable, connection-oriented protocol": adjectives of one noun, not a list
        # whose first claim would be "A reliable".
        return False
    if max(lengths) <= _MAX_ITEM_WORDS:
        return True
    # Three or more longer phrases still form a list, unless one is a lone word
    # ("what to forget, add, and output" is one clause about three verbs).
    return len(items) >= 3 and max(lengths) <= 8 and min(lengths) >= 2


def _tidy(point: str) -> str:
    return point.replace("**", "").strip().rstrip(".;,:").strip()
