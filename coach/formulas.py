"""Formulas turned upside down: "R = rho A / L" where the notes write "R = rho L / A".

Only the side of the fraction bar each symbol stands on, and the sign of the whole
right-hand side, are compared, for a formula of the same quantity with the notes' symbols:
a wrong formula of other symbols, or the sign of one term, is left to the rest of the
grader.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# "v_t = sqrt(2mg / (rho C_d A))": a quantity, "=", and what follows up to the end of the
# clause. A quantity may carry its arguments ("Attention(Q, K, V) = ...").
_FORMULA = re.compile(
    r"(?<![\w=<>!])([A-Za-z\u0370-\u03ff][\w'°]{0,11})(?:\([^()]{0,20}\))?\s*=\s*"
    r"([^=,;:\n→⇒<>≤≥]{2,80}?)\s*(?=$|[,;:\n→⇒=<>≤≥]|->|=>|\.(?:\s|$)|\s[-–—]\s+[A-Za-z]{4}|\s(?:so|where|"
    r"which|when|because|and|or|but|as|at|in|on|of|with|for|if|is|are|gives|means|the|i\.e|e\.g)\b)"
)
_FRACTION = re.compile(r"\\[dt]?frac\s*(?=\{)")
_TOKEN = re.compile(r"\\?[A-Za-z\u0370-\u03ff][\w']*|\d+(?:\.\d+)?|[()/^*·×+\-−]")
# Names that are not symbols of the quantity: functions, LaTeX's commands and constants
# (e is Euler's number: "e^(-x)").
_NOT_SYMBOLS = frozenset(
    "sqrt ln log exp sin cos tan sinh cosh tanh max min sum mean var cdot times frac dfrac "
    "mathrm text left right pi e softmax sigmoid relu".split()
)
_FUNCTIONS = frozenset("sqrt ln log exp sin cos tan sinh cosh tanh softmax sigmoid relu".split())
_GREEK = dict(
    zip(
        "αβγδεθλμνπρστφχψωΦΨΩΔΣΘΛ",
        "alpha beta gamma delta epsilon theta lambda mu nu pi rho sigma tau phi chi psi omega "
        "Phi Psi Omega Delta Sigma Theta Lambda".split(),
        strict=True,
    )
)


class Formula(NamedTuple):
    """A formula as written, and the side of the fraction bar each symbol stands on
    (+1 above, -1 below) for the symbols that stand on one side only."""

    text: str
    quantity: str
    sides: dict[str, int]
    # "dG° = -RT ln K": the whole right-hand side is negated.
    negated: bool = False


def formulas(text: str) -> list[Formula]:
    """The formulas in `text`."""
    found = []
    # A comma inside parentheses ("Cov(X, Y)") does not end the formula.
    for match in _FORMULA.finditer(_IN_PARENTHESES.sub(_comma_kept, text)):
        quantity = _named(match.group(1))
        expression = _ASIDE.sub("", _balanced(match.group(2)))
        sides = _sides(_named(_fractions_written_out(expression)))
        written = _balanced(match.group(0).strip().replace(_COMMA, ",")).rstrip("$ ")
        found.append(Formula(written, quantity, sides, expression.lstrip()[:1] in ("-", "−")))
    return found


_COMMA = "\u2063"  # an invisible separator, standing in for a comma while formulas are found
_IN_PARENTHESES = re.compile(r"\([^()]*\)")
# Units or a remark after the formula: "R = rho L / A (ohm m)".
_ASIDE = re.compile(r"(?<=[\w)])\s+\([^()+\-−*/^=]*\)\s*$")


def _balanced(text: str) -> str:
    """The text up to a parenthesis it leaves open ("TD50 / ED50 (animals") or closes
    without opening ("R = rho A / L) grows", from "the resistance (R = rho A / L) grows")."""
    depth, cut = 0, len(text)
    for i, char in enumerate(text):
        if char == "(":
            depth, cut = depth + 1, i if depth == 0 else cut
        elif char == ")" and not depth:
            return text[: min(i, cut)].rstrip()
        elif char == ")":
            depth -= 1
            cut = len(text) if depth == 0 else cut
    return text[:cut].rstrip()


def _fractions_written_out(expression: str) -> str:
    """LaTeX's \\frac{a}{b} as (a)/(b), braces inside braces and all."""
    while match := _FRACTION.search(expression):
        numerator, after = _braced(expression, match.end())
        denominator, end = _braced(expression, after)
        expression = f"{expression[: match.start()]}({numerator})/({denominator}){expression[end:]}"
    return expression.replace("{", "(").replace("}", ")")


def _braced(text: str, start: int) -> tuple[str, int]:
    """The group in braces at `start` (past any spaces), and where it ends."""
    start = len(text) - len(text[start:].lstrip())
    if not text.startswith("{", start):
        return "", start
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i], i + 1
    return text[start + 1 :], len(text)


def _comma_kept(match: re.Match[str]) -> str:
    return match.group(0).replace(",", _COMMA)


def find_inverted_formulas(answer: str, reference: str) -> list[tuple[str, str]]:
    """(the answer's formula, the notes' formula) for each formula of the answer whose
    symbols the notes' formula for the same quantity has, with some on the other side of
    the bar, where no formula of the notes writes them the answer's way."""
    written = formulas(reference)
    inverted = []
    for said in formulas(answer):
        if len(said.sides) < 2:
            continue
        # The answer may leave a factor out ("R = L / A"), not bring in its own.
        same = [
            meant
            for meant in written
            if meant.quantity == said.quantity and set(said.sides) <= set(meant.sides)
        ]
        if same and all(_differs(said, meant) for meant in same):
            inverted.append((said.text, same[0].text))
    return inverted


def _differs(said: Formula, meant: Formula) -> bool:
    """Some symbol on the other side of the bar, or the same symbols with the opposite
    sign ("dG° = RT ln K" for "dG° = -RT ln K")."""
    flipped = any(meant.sides[symbol] != side for symbol, side in said.sides.items())
    return flipped or (said.sides == meant.sides and said.negated != meant.negated)


def _named(text: str) -> str:
    return "".join(_GREEK.get(char, char) for char in text).replace("\\", "")


def _sides(expression: str) -> dict[str, int]:
    seen: dict[str, set[int]] = {}
    _walk(_TOKEN.findall(expression), 0, 1, seen)
    return {symbol: next(iter(signs)) for symbol, signs in seen.items() if len(signs) == 1}


def _walk(tokens: list[str], start: int, side: int, seen: dict[str, set[int]]) -> int:
    """Read from `start` to the closing parenthesis (or the end), noting each symbol's
    side; returns where the reading stopped. "/" puts the next factor below the bar, and
    an exponent's symbols are left out ("v^2" is v's)."""
    below = exponent = False
    i = start
    while i < len(tokens):
        token = tokens[i]
        if token == ")":
            return i + 1
        if token in ("/", "^"):
            below, exponent = below or token == "/", token == "^"
            i += 1
            continue
        here = -side if below else side
        if token == "(":
            i = _walk(tokens, i + 1, here, {} if exponent else seen)
        else:
            if not exponent and token[0].isalpha() and token not in _NOT_SYMBOLS:
                seen.setdefault(token, set()).add(here)
            i += 1
            if token in _FUNCTIONS:
                continue  # "1/sqrt(d_k)": the function's argument is the factor
        below = exponent = False
    return i
