"""Notes markup (Markdown emphasis, LaTeX) -> the plain words and symbols an embedder reads."""

from __future__ import annotations

import re

# LaTeX math between dollar signs, by pandoc's rule: the opening "$" has no space after
# it, the closing one none before it and no digit after it. So "$y = F(x) + x$" is math,
# and "an absolute $ amount" or "−$100 now, +$110 in a year" is money.
MATH = re.compile(r"\$\$.+?\$\$|\$(?=\S)[^$]*?(?<=\S)\$(?!\d)", re.S)


def plain_text(text: str) -> str:
    """Markdown and LaTeX markup removed, so the embedder sees words and symbols."""
    out = text.replace("**", "").replace("`", "")
    for _ in range(3):
        out = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", out)
        out = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", out)
        out = re.sub(r"\\(?:mathrm|mathcal|text|hat|bar|operatorname)\{([^{}]*)\}", r"\1", out)
    for command, symbol in ((r"\cdot", "·"), (r"\times", "×"), (r"\mid", "|"), (r"\approx", "≈")):
        out = out.replace(command, symbol)
    out = re.sub(r"\\[,;:! ]", " ", out)
    out = re.sub(r"\\([a-zA-Z]+)", r"\1", out)
    out = MATH.sub(lambda m: m.group(0).strip("$"), out)
    out = re.sub(r"(?<!\w)\*(\w[^*]*)\*", r"\1", out)
    return re.sub(r"\s+", " ", out).strip()
