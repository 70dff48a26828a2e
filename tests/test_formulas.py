from __future__ import annotations

from coach.embedding import Embedder
from coach.formulas import find_inverted_formulas, formulas
from coach.grading import grade_answer
from coach.llm_grading import offline_only
from coach.render_grade import flag_line
from coach.signals import build_references

RESISTANCE = "R = rho L / A (ohm m). Longer wire -> more resistance; thicker -> less."


def test_a_formula_upside_down_is_found() -> None:
    said = "Resistivity is resistance per length, so R = rho A / L: thicker means more"
    assert find_inverted_formulas(said, RESISTANCE) == [("R = rho A / L", "R = rho L / A (ohm m)")]
    period = "T = 2 pi sqrt(m/k) - period independent of amplitude"
    assert find_inverted_formulas("T = 2 pi sqrt(k/m), so stiff is slow", period)
    # Multiplying by what the notes divide by puts it above the bar too.
    assert find_inverted_formulas("R = rho times L times A", RESISTANCE)
    # LaTeX fractions are fractions; a comma inside parentheses does not end the formula.
    correlation = r"$\rho = \frac{\mathrm{Cov}(X, Y)}{\sigma_X \sigma_Y}$, always in [-1, 1]"
    assert find_inverted_formulas("ρ = σ_X σ_Y / Cov(X, Y)", correlation)
    assert not find_inverted_formulas("ρ = Cov(X, Y) / (σ_X σ_Y)", correlation)
    assert not find_inverted_formulas("F = m v^2 / r", r"$F = \frac{m v^{2}}{r}$")


def test_a_formula_with_its_sign_turned_is_found() -> None:
    gibbs = "dG° = -RT ln K\nK > 1 <=> dG° < 0 (products favoured)"
    assert find_inverted_formulas("dG° = RT ln K, so a large K", gibbs) == [
        ("dG° = RT ln K", "dG° = -RT ln K")
    ]
    assert not find_inverted_formulas("dG° = −RT ln K", gibbs)


def test_a_formula_the_notes_allow_is_not_flagged() -> None:
    assert not find_inverted_formulas("R = rho L / A, in ohms", RESISTANCE)
    # A factor left out is a thinner answer, not an upside-down one.
    assert not find_inverted_formulas("R = L / A", RESISTANCE)
    # Symbols the notes never use for this quantity: nothing to compare.
    assert not find_inverted_formulas("R = V / I", RESISTANCE)
    # Another quantity.
    assert not find_inverted_formulas("G = A / (rho L)", RESISTANCE)
    # Notes that write both ways allow both.
    both = "TI = TD50 / ED50; some texts quote TI = ED50 / TD50 instead"
    assert not find_inverted_formulas("TI = ED50 / TD50", both)


def test_what_a_formula_holds() -> None:
    (velocity,) = formulas("v_t = sqrt(2mg / (rho C_d A)) at high Re")
    assert velocity.quantity == "v_t"
    assert velocity.sides == {"mg": 1, "rho": -1, "C_d": -1, "A": -1}
    # An exponent is its base's; an argument list names the quantity.
    (attention,) = formulas("Attention(Q, K, V) = softmax(QK^T / sqrt(d_k)) V")
    assert attention.quantity == "Attention"
    assert attention.sides == {"QK": 1, "d_k": -1, "V": 1}
    # Units after the formula, and a parenthesis left open, are not part of it.
    assert formulas(RESISTANCE)[0].sides == {"rho": 1, "L": 1, "A": -1}
    assert formulas("TI = TD50 / ED50 (animals: LD50 / ED50)")[0].text == "TI = TD50 / ED50"
    assert formulas("the resistance (R = rho A / L) grows")[0].text == "R = rho A / L"
    (correlation,) = formulas(r"$\rho = \frac{\mathrm{Cov}(X, Y)}{\sigma_X \sigma_Y}$")
    assert correlation.sides == {"Cov": 1, "X": 1, "Y": 1, "sigma_X": -1, "sigma_Y": -1}


def test_an_upside_down_formula_is_capped_and_named(embedder: Embedder) -> None:
    (card,) = build_references(
        [("r", "What is the difference between resistance and resistivity?", RESISTANCE)],
        embedder,
    )
    wrong = grade_answer("R = rho A / L, so a thicker wire has more resistance.", card, embedder)
    assert wrong.grade <= 1.5
    assert "contradiction:formula: R = rho A / L~R = rho L / A (ohm m)" in wrong.flags
    line = flag_line(offline_only(wrong))
    assert line is not None
    assert "you wrote “R = rho A / L” where the notes write “R = rho L / A (ohm m)”" in line.plain
    right = grade_answer("R = rho L / A, so a thicker wire has less resistance.", card, embedder)
    assert not any("formula" in flag for flag in right.flags)
