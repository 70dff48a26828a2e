"""Plain text for embedding: markdown and LaTeX markup removed."""
from __future__ import annotations
import re
_LATEX_WORDS = {r"\cdot": "·", r"\times": "×", r"\mid": "|", r"\sim": "~", r"\approx": "≈",
                r"\to": "→", r"\infty": "infinity", r"\sum": "sum", r"\log": "log", r"\min": "min",
                r"\max": "max", r"\arg": "arg", r"\pm": "±", r"\propto": "∝"}
def plain_text(text: str) -> str:
    t = text.replace("**", "").replace("`", "")
    for _ in range(3):
        t = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", t)
        t = re.sub(r"\\sqrt\{([^{}]*)\}", r"sqrt(\1)", t)
        t = re.sub(r"\\(?:mathrm|mathcal|text|hat|bar|operatorname)\{([^{}]*)\}", r"\1", t)
    for k, v in _LATEX_WORDS.items():
        t = t.replace(k, v)
    t = re.sub(r"\\[,;:! ]", " ", t)
    t = re.sub(r"\\([a-zA-Z]+)", r"\1", t)
    t = t.replace("$", "")
    t = re.sub(r"(?<!\w)\*(\w[^*]*)\*", r"\1", t)
    return re.sub(r"\s+", " ", t).strip()
