from __future__ import annotations

import pytest

from coach.keypoints import split_key_points


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            "ReLU activation, Dropout, GPU training, data augmentation. Won ImageNet 2012.",
            [
                "ReLU activation",
                "Dropout",
                "GPU training",
                "data augmentation",
                "Won ImageNet 2012",
            ],
        ),
        (
            "Forget: what to discard. Input: what new info to store. Output: what to output.",
            ["Forget: what to discard", "Input: what new info to store", "Output: what to output"],
        ),
        (
            "$O = \\frac{W - K + 2P}{S} + 1$ (W=input, K=kernel, P=padding, S=stride).",
            ["$O = \\frac{W - K + 2P}{S} + 1$ (W=input, K=kernel, P=padding, S=stride)"],
        ),
        (
            "Instead of hard labels (0,1), use soft labels (0.1, 0.9). Reduces overconfidence.",
            ["Instead of hard labels (0,1), use soft labels (0.1, 0.9)", "Reduces overconfidence"],
        ),
        (
            "Gradients shrink exponentially over long sequences, preventing learning of "
            "long-range dependencies.",
            [
                "Gradients shrink exponentially over long sequences, preventing learning of "
                "long-range dependencies"
            ],
        ),
        (
            "As the number of i.i.d. draws grows, the mean converges. It assumes the sample "
            "is representative (i.i.d. from the population). Samples are i.i.d. The end.",
            [
                "As the number of i.i.d. draws grows, the mean converges",
                "It assumes the sample is representative (i.i.d. from the population)",
                "Samples are i.i.d",
                "The end",
            ],
        ),
        (
            "Many tests inflate false positives. Corrections:\n\n- **Bonferroni**: test at α/m.\n"
            "- **Holm**: step down.",
            ["Many tests inflate false positives", "Bonferroni: test at α/m", "Holm: step down"],
        ),
        (
            "For a comparison of two means, per group:\n\n$n = 16\\sigma^2/\\delta^2$ at 80% "
            "power. Halving δ quadruples n.",
            [
                "For a comparison of two means, per group: $n = 16\\sigma^2/\\delta^2$ at 80% power",
                "Halving δ quadruples n",
            ],
        ),
        (
            "Fixes:\n\n- commit to the size and analyse once, at the end; or\n- use a sequential design.",
            ["commit to the size and analyse once, at the end", "use a sequential design"],
        ),
        (
            "Two-stage: Region proposal (Faster R-CNN). More accurate. One-stage: Direct "
            "prediction (YOLO). Faster. One-stage for real time. It is widely used. Cheap.",
            [
                "Two-stage: Region proposal (Faster R-CNN)",
                "Two-stage: More accurate",
                "One-stage: Direct prediction (YOLO)",
                "One-stage: Faster",
                "One-stage for real time",
                "It is widely used",
                "Cheap",
            ],
        ),
        (
            "A reliable, connection-oriented transport protocol. The encoder, the decoder.",
            ["A reliable, connection-oriented transport protocol", "The encoder", "the decoder"],
        ),
        (
            '3NF: no transitive dependencies; in short, every column depends on "the key, '
            'the whole key and nothing but the key".',
            [
                "3NF: no transitive dependencies",
                'every column depends on "the key, the whole key and nothing but the key"',
            ],
        ),
        (
            "Quoted “as is, with commas”, stays one claim. In practice, dropout, weight decay.",
            ["Quoted “as is, with commas”, stays one claim", "dropout", "weight decay"],
        ),
        (
            # Dollars are money unless they wrap math; "When..., ..." is one claim.
            "NPV: an absolute $ amount; IRR: a %. When they conflict, prefer NPV. "
            "Example: −$100 now, +$110 in a year → IRR = 10%. Skip: $y = F(x) + x$.",
            [
                "NPV: an absolute $ amount",
                "IRR: a %",
                "When they conflict, prefer NPV",
                "Example: −$100 now, +$110 in a year → IRR = 10%",
                "Skip: $y = F(x) + x$",
            ],
        ),
        (
            # Letters continue the item before them; a labelled line starts a new point.
            "DNA: deoxyribose sugar, bases A, T, G and C, usually double-stranded\n"
            "- nonsense: a premature stop codon\nFrameshift: an insertion shifts the frame.",
            [
                "DNA: deoxyribose sugar",
                "DNA: bases A, T, G and C",
                "DNA: usually double-stranded",
                "nonsense: a premature stop codon",
                "Frameshift: an insertion shifts the frame",
            ],
        ),
        (
            "- first claim here\n- second claim, e.g. this one",
            ["first claim here", "second claim, e.g. this one"],
        ),
    ],
)
def test_split_key_points(answer: str, expected: list[str]) -> None:
    assert split_key_points(answer) == expected


def test_a_full_stop_after_an_abbreviation_ends_no_claim() -> None:
    # In notes that open sentences with a capital, "opp. cost" goes on; "max. a → b"
    # starts a formula, and "E.g." is "e.g." too.
    assert split_key_points(
        "Comparative adv: lower opp. cost of producing the good. E.g. A: 1 cloth = 2 wine."
    ) == ["Comparative adv: lower opp. cost of producing the good", "E.g. A: 1 cloth = 2 wine"]
    assert split_key_points("Vector: merge = element-wise max. a → b iff V(a) < V(b).") == [
        "Vector: merge = element-wise max",
        "a → b iff V(a) < V(b)",
    ]
    assert split_key_points("it reduces overfitting. it is cheap.") == [
        "it reduces overfitting",
        "it is cheap",
    ]


def test_a_clause_with_a_lone_verb_list_stays_whole() -> None:
    assert split_key_points("Gates control what to forget, add, and output.") == [
        "Gates control what to forget, add, and output"
    ]


def test_math_dots_do_not_split() -> None:
    points = split_key_points(
        "$z = \\mu + \\sigma \\cdot \\epsilon$. Makes sampling differentiable."
    )
    assert points == ["$z = \\mu + \\sigma \\cdot \\epsilon$", "Makes sampling differentiable"]


def test_a_long_lead_in_is_a_claim() -> None:
    """Only a heading of three words or fewer ("Fixes:") is dropped; a longer lead-in
    says something ("a resampling method … without a formula") and stays a point."""
    notes = "The bootstrap is a resampling method for the uncertainty of a statistic:\n\n- draw"
    notes += " resamples with replacement\n- compute the statistic on each"
    assert split_key_points(notes) == [
        "The bootstrap is a resampling method for the uncertainty of a statistic",
        "draw resamples with replacement",
        "compute the statistic on each",
    ]
