"""Arbitrary text never crashes the parser or the grader, and grades stay on the scale."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.contradiction import find_opposites
from coach.embedding import Embedder
from coach.grading import grade_answer
from coach.keypoints import split_key_points
from coach.notes import parse_text
from coach.signals import build_references
from coach.swaps import find_swapped_labels

NOTE_LINES = st.sampled_from(
    [
        "# Title",
        "## Topic",
        "### What is X?",
        "1. What is Y?",
        "**Q:** Why?",
        "**A:** Because.",
        "**What is Z?** 🔥",
        "---",
        "<br/>",
        "- a bullet",
        "Last updated",
        "$\\frac{a}{b}$",
        "",
        "plain answer text.",
        "\t indented",
        "**Bold statement.**",
    ]
)


@given(st.lists(st.one_of(NOTE_LINES, st.text(max_size=80)), max_size=40))
@settings(max_examples=300, deadline=None)
def test_parser_never_crashes(lines: list[str]) -> None:
    parsed = parse_text("\n".join(lines), "random.md")
    for card in parsed.cards:
        assert card.question.strip() and card.answer.strip()
        assert card.key_points


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_key_point_splitter_never_crashes(text: str) -> None:
    points = split_key_points(text)
    assert all(p.strip() for p in points)


WORDS = st.sampled_from(
    ["MLE", "MAP", "the", "a", "is", "whereas", "not", "larger", "smaller", "more", ":", ","]
)
PHRASES = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=12).map(" ".join)


@given(st.lists(PHRASES, max_size=4), st.lists(PHRASES, max_size=5), PHRASES)
@settings(max_examples=300, deadline=None)
def test_contradiction_cues_never_crash(
    clauses: list[str], points: list[str], question: str
) -> None:
    swapped = find_swapped_labels(clauses, points, question)
    assert set(swapped) <= set(clauses)
    for clause in clauses:
        for point in points:
            find_opposites(clause, point, " ".join(points), tuple(points))


@given(st.text(max_size=300))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_grades_stay_between_0_and_5(embedder: Embedder, answer: str) -> None:
    reference = build_references(
        [("c1", "What made ResNet revolutionary?", "Skip connections. Enabled 100+ layers.")],
        embedder,
    )[0]
    result = grade_answer(answer, reference, embedder)
    assert 0.0 <= result.grade <= 5.0
