from __future__ import annotations

from coach.contradiction import find_opposites, find_swapped_labels
from coach.embedding import Embedder
from coach.signals import build_references, compute_signals, salad_score

CARDS = [
    (
        "c1",
        "What is a Convolution operation?",
        "A filter slides over the input, computing element-wise multiplication and sum at each position. Captures local patterns.",
    ),
    (
        "c2",
        "What is the purpose of Pooling?",
        "Downsamples feature maps, reducing spatial dimensions. Provides translation invariance. Max pooling is most common.",
    ),
    (
        "c3",
        "BERT vs GPT architecture?",
        "BERT: Encoder-only, bidirectional. GPT: Decoder-only, causal.",
    ),
]


def test_opposites_and_swaps() -> None:
    ref = "Downsamples feature maps, reducing spatial dimensions."
    assert find_opposites("Pooling upsamples the feature maps", ref, ref)
    assert not find_opposites("Pooling shrinks the feature maps", ref, ref)
    points = ["BERT: Encoder-only, bidirectional", "GPT: Decoder-only, causal"]
    assert find_swapped_labels(["BERT is decoder-only and causal"], points)
    assert not find_swapped_labels(["BERT is encoder-only and bidirectional"], points)


def test_salad() -> None:
    assert (
        salad_score("Attention: Q, K, V, softmax, sqrt, d_k, transpose, dot product, weights.")
        > 0.5
    )
    assert (
        salad_score("A filter slides over the input and sums the products at each position.") == 0.0
    )


def test_coverage_and_off_topic(embedder: Embedder) -> None:
    refs = build_references(CARDS, embedder)
    good = compute_signals(
        "You slide a small filter across the image, multiply and add at each spot, which detects local patterns.",
        refs[0],
        embedder,
        refs,
    )
    off = compute_signals(
        "pooling makes the feature map smaller, max pooling takes the biggest value in each 2x2 window",
        refs[0],
        embedder,
        refs,
    )
    assert good.coverage > off.coverage
    assert off.off_topic_margin > 0.15 and off.off_topic_card == "c2"
    assert good.off_topic_margin < 0
