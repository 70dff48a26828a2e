"""Cards in syntaxes of other tools, rewritten as the `Q:`/`A:` lines the notes parser
knows, line for line (so a warning's line number still points into the person's file).

- The Obsidian spaced-repetition plugin's separators: `Question?::Answer` on one line
  (`:::` for a card studied both ways), or the question's lines, a line holding only `?`
  (or `??`), then the answer's lines;
- GitHub's collapsible blocks, as interview-question repositories write them:
  `<details>`, `<summary>Question?</summary>`, the answer, `</details>`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The question side must read as a question: "Status:: done" is a Dataview field and
# "std::vector<int> v;" is code.
_ONE_LINE = re.compile(r"^(?P<question>(?:(?!::)[^`])+?)\s*:::?\s*(?P<answer>\S.*)$")
_SEPARATOR = re.compile(r"^\?\??$")
_FENCE = re.compile(r"^(?:```|~~~)")
_SUMMARY = re.compile(
    r"^(?:<details[^>]*>\s*)?<summary[^>]*>(?P<question>.*?)</summary>(?P<rest>.*)$", re.I
)
_DETAILS_OPEN = re.compile(r"^<details[^>]*>$", re.I)
_DETAILS_CLOSE = re.compile(r"^</details>$", re.I)
_TAG = re.compile(r"</?[a-z][^>]*>", re.I)


def rewrite_card_syntaxes(lines: list[str], is_question: Callable[[str], bool]) -> list[str]:
    """`lines` with each such card as `Q: question A: answer`, or as they were when the
    file holds none. `is_question` tells a question from a field name or a "Show code"."""
    out = list(lines)
    # Lines a multi-line card's question cannot take in: code, and other cards.
    taken: set[int] = set()
    fenced = False
    for index, raw in enumerate(lines):
        line = raw.strip()
        fence = bool(_FENCE.match(line))
        if fence or fenced:
            fenced = fenced != fence
            taken.add(index)
        elif _SEPARATOR.match(line):
            taken.update(_rewrite_multi_line(out, index, taken))
        elif (summary := _SUMMARY.match(line)) and is_question(question := _summary(summary)):
            answer = summary["rest"].strip()
            out[index] = f"Q: {question}" + (f" A: {answer}" if answer else "")
            taken.add(index)
        elif _DETAILS_OPEN.match(line):
            out[index] = ""
        elif _DETAILS_CLOSE.match(line):
            out[index] = "---"  # the card ends with its block
        elif (card := _ONE_LINE.match(line)) and is_question(card["question"]):
            out[index] = f"Q: {card['question']} A: {card['answer']}"
            taken.add(index)
    return out


def _summary(match: re.Match[str]) -> str:
    """A `<summary>`'s question without its markup (`<b>…</b>`)."""
    return " ".join(_TAG.sub("", match["question"]).split())


def _rewrite_multi_line(out: list[str], separator: int, taken: set[int]) -> range:
    """The question is the run of lines right above the `?` line (up to a blank line, a
    heading, code or another card); it moves onto that run's first line and the rest of
    the run goes blank. Returns the lines used."""
    start = separator
    while start > 0 and start - 1 not in taken and _joins_question(out[start - 1]):
        start -= 1
    if start == separator:
        return range(0)  # a lone "?" with no question above it is text
    question = " ".join(out[i].strip() for i in range(start, separator))
    out[start] = f"Q: {question}"
    for i in range(start + 1, separator + 1):
        out[i] = ""
    return range(start, separator + 1)


def _joins_question(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")
