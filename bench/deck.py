"""A synthetic deck in the bundled notes' format, sized like its cards, for the scale bench."""

from __future__ import annotations

import random
from pathlib import Path

_TERMS = (
    "attention gradient residual convolution pooling dropout normalization embedding encoder "
    "decoder transformer recurrent kernel stride padding activation softmax entropy optimizer "
    "momentum schedule warmup regularization bias variance overfitting ensemble boosting tree "
    "margin kernel-trick sampling latent diffusion autoencoder contrastive tokenizer vocabulary "
    "quantization pruning distillation batch layer head query key value position context"
).split()
_VERBS = "reduces increases stabilises controls scales mixes projects averages masks routes".split()
_OBJECTS = (
    "the variance of the updates, the effective receptive field, the number of parameters, "
    "the gradient flow through depth, the memory used at inference, the training time per step, "
    "long-range dependencies, the calibration of probabilities, the noise in each mini-batch"
).split(", ")
_TEMPLATES = (
    "What is {a} in the context of {b}?",
    "Why does {a} help with {b}?",
    "How does {a} differ from {b}?",
    "Explain the trade-off between {a} and {b}.",
    "When would you use {a} instead of {b}?",
)
CARDS_PER_TOPIC = 50


def _answer(rng: random.Random, a: str, b: str) -> str:
    # One to three short sentences: the bundled deck's cards average ~95 word pieces
    # over the five texts ingest embeds per card; these come out about the same.
    sentences = [
        f"{a.capitalize()} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}.",
        f"It {rng.choice(_VERBS)} {b} and {rng.choice(_OBJECTS)}.",
        f"Used with {rng.choice(_TERMS)}.",
    ]
    return " ".join(sentences[: rng.choice((2, 2, 3))])


def write_deck(folder: Path, cards: int, per_file: int = 1000, seed: int = 7) -> list[Path]:
    """Write `cards` numbered cards into files of `per_file`; returns the files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for file_index, start in enumerate(range(0, cards, per_file)):
        lines = [f"Synthetic deck {file_index + 1}"]
        for n in range(start, min(start + per_file, cards)):
            if (n - start) % CARDS_PER_TOPIC == 0:
                lines.append(f"Topic {n // CARDS_PER_TOPIC + 1}: {rng.choice(_TERMS)}")
            a, b = rng.sample(_TERMS, 2)
            # The card number keeps every question distinct, as in a real deck.
            question = rng.choice(_TEMPLATES).format(a=f"{a} ({n + 1})", b=b)
            lines += [f"{n - start + 1}. {question}", _answer(rng, a, b)]
        path = folder / f"deck-{file_index + 1:02d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files
