from __future__ import annotations

from pathlib import Path

from coach.chunking import OVERLAP_WORDS
from coach.config import bundled_dir
from coach.notes import parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = bundled_dir("knowledge") / "dl-architectures.txt"


def test_bundled_deck_matches_the_persons_notes_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "notes" / "dl-architectures.txt"
    if shared.exists():
        assert BUNDLED.read_bytes() == shared.read_bytes()


def test_bundled_deck_has_fifty_cards_in_six_topics() -> None:
    parsed = parse_file(BUNDLED)
    assert len(parsed.cards) == 50
    assert parsed.warnings == []
    assert len({c.topic for c in parsed.cards}) == 6
    assert parsed.cards[0].topic == "CNNs (Convolutional Neural Networks)"
    assert parsed.cards[-1].topic == "Optimization & Regularization"
    assert all("Last updated" not in c.answer for c in parsed.cards)
    assert len({c.id for c in parsed.cards}) == 50


def test_bundled_deck_keeps_latex_and_counts_key_points() -> None:
    cards = {c.question: c for c in parse_file(BUNDLED).cards}
    assert (
        "\\frac{W - K + 2P}{S}"
        in cards["What is the formula for output size after convolution?"].answer
    )
    assert len(cards["Explain AlexNet's key innovations."].key_points) == 5
    assert len(cards["What are the three gates in LSTM?"].key_points) == 3
    assert cards["What made ResNet revolutionary?"].line == 17


def test_ids_survive_edits_elsewhere_in_the_file() -> None:
    text = BUNDLED.read_text()
    before = {c.question: c.id for c in parse_text(text, "deck.txt").cards}
    edited = text.replace("Step size of the filter.", "Step size of the sliding filter.")
    edited = edited.replace("DL Architectures\n", "DL Architectures\nMy notes, v2\n")
    after = {c.question: c.id for c in parse_text(edited, "deck.txt").cards}
    assert before == after


MARKDOWN = """\
# Statistics

## Probability

### What does Bayes' theorem say?

$P(A \\mid B) = \\frac{P(B \\mid A)\\,P(A)}{P(B)}$. The posterior ∝ likelihood × prior.

### What is linearity of expectation?

- $E[X + Y] = E[X] + E[Y]$ for any random variables.
- It needs no independence.

## Estimation

### Overview

Some prose that is not a question.

### What is a confidence interval?

A range that would contain the true value in 95% of repeated samples.
It is not a probability statement about the parameter.
"""


def test_markdown_headings_give_one_card_per_question() -> None:
    parsed = parse_text(MARKDOWN, "stats.md")
    assert [c.question for c in parsed.cards] == [
        "What does Bayes' theorem say?",
        "What is linearity of expectation?",
        "What is a confidence interval?",
    ]
    assert [c.topic for c in parsed.cards] == ["Probability", "Probability", "Estimation"]
    assert parsed.cards[1].key_points == [
        "$E[X + Y] = E[X] + E[Y]$ for any random variables",
        "It needs no independence",
    ]
    assert "∝" in parsed.cards[0].answer and "\\frac" in parsed.cards[0].answer
    assert "not a probability statement" in parsed.cards[2].answer
    assert "Overview" not in {c.question for c in parsed.cards}


def test_notes_that_ask_with_level_two_headings_and_show_code() -> None:
    """`# Title`, then `## Question?` per card; a "# comment" in a fenced snippet is code,
    and code stays in the answer but is no key point."""
    text = (
        "# SRE interview notes\n\n"
        "## How do Docker image layers work?\n"
        "- each `RUN`/`COPY` adds a read-only layer\n"
        "- a changed layer invalidates every layer after it\n\n"
        "```dockerfile\n"
        "# dependencies first, so they stay cached\n"
        "COPY package.json ./\n"
        "RUN npm ci\n"
        "```\n\n"
        "## What is a readiness probe?\n"
        "- on failure the pod leaves the Service endpoints, not restarted\n"
    )
    parsed = parse_text(text, "ops.md")
    assert [c.question for c in parsed.cards] == [
        "How do Docker image layers work?",
        "What is a readiness probe?",
    ]
    layers = parsed.cards[0]
    assert "# dependencies first" in layers.answer and "RUN npm ci" in layers.answer
    assert layers.key_points == [
        "each `RUN`/`COPY` adds a read-only layer",
        "a changed layer invalidates every layer after it",
    ]
    # Notes that ask with `#` headings only.
    plain = parse_text("# What is X?\nX is a thing.\n\n# What is Y?\nY is another.\n", "t.md")
    assert [c.question for c in plain.cards] == ["What is X?", "What is Y?"]
    # Under `##` topics, `##` lines stay topics when the questions are `###`.
    topics = parse_text("## Docker\n### What is a layer?\nA diff.\n", "t.md")
    assert [(c.topic, c.question) for c in topics.cards] == [("Docker", "What is a layer?")]


def test_a_flash_card_table() -> None:
    text = (
        "# PM flashcards\nMy cards for the loop.\n\n"
        "| Question | Answer |\n|---|---|\n"
        "| What is an MVP? | The smallest product that tests the riskiest assumption; "
        "not a buggy v1. |\n"
        "| How do you pick a north-star metric? | One number for delivered value.<br>Not a "
        "vanity count. |\n"
    )
    parsed = parse_text(text, "pm.md")
    assert [c.question for c in parsed.cards] == [
        "What is an MVP?",
        "How do you pick a north-star metric?",
    ]
    assert parsed.cards[0].key_points == [
        "The smallest product that tests the riskiest assumption",
        "not a buggy v1",
    ]
    assert parsed.cards[1].answer == "One number for delivered value.\nNot a vanity count."
    assert not parsed.chunks and not parsed.warnings
    # A table inside an answer is part of it.
    inside = parse_text("### BN vs LN?\nBoth normalise.\n| | BN | LN |\n|---|---|---|\n", "n.md")
    assert "| | BN | LN |" in inside.cards[0].answer


def test_cards_written_with_separators() -> None:
    text = (
        "# Cloud\n#flashcards\n\n## Scaling\n\n"
        "What is an Availability Zone?\n?\n- Separate data centres in a region.\n"
        "- They fail independently.\n\n"
        "What does target tracking do?::Keeps a metric near a target value.\n"
        "Status:: draft\n"
        "```cpp\nstd::vector<int> v;\n```\n"
        "Explain the\nCAP theorem\n??\nPick two of three under a partition.\n"
    )
    parsed = parse_text(text, "cloud.md")
    assert [(c.question, c.line) for c in parsed.cards] == [
        ("What is an Availability Zone?", 6),
        ("What does target tracking do?", 11),
        ("Explain the CAP theorem", 16),
    ]
    assert parsed.cards[0].key_points == [
        "Separate data centres in a region",
        "They fail independently",
    ]
    assert parsed.cards[1].answer.startswith("Keeps a metric near a target value.")
    # A Dataview field and C++ are no cards.
    assert "Status:: draft" in parsed.cards[1].answer
    assert "std::vector<int> v;" in parsed.cards[1].answer
    assert parsed.cards[2].answer == "Pick two of three under a partition."


def test_collapsible_blocks_of_interview_question_repositories() -> None:
    text = (
        "# Java interview questions\n\nMy notes.\n\n## Collections\n\n<details>\n"
        "<summary><b>How does HashMap work?</b></summary>\n\nAn array of buckets.\n\n"
        "```java\nmap.put(k, v);\n```\n\n</details>\n\nA remark after the block.\n\n"
        "<details><summary>Show the output</summary>\n42\n</details>\n"
    )
    parsed = parse_text(text, "jvm.md")
    assert [(c.question, c.line, c.topic) for c in parsed.cards] == [
        ("How does HashMap work?", 8, "Collections")
    ]
    assert parsed.cards[0].answer == "An array of buckets.\n\n```java\nmap.put(k, v);\n```"
    # The block ends the card; a summary that asks nothing is no card.
    assert not any("remark" in c.answer or "42" in c.answer for c in parsed.cards)


def test_an_anki_plain_text_export() -> None:
    text = (
        "#separator:tab\n#html:true\n#tags column:3\n"
        "What is glycaemic load?\tGI &times; carbs per serving / 100.<br><b>Watermelon</b>:"
        "&nbsp;high GI, low GL.\tnutrition::carbs\n"
        "Iron\tHaem iron is absorbed better.\tnutrition::minerals\n"
    )
    parsed = parse_text(text, "nutri.txt")
    assert [(c.question, c.line) for c in parsed.cards] == [
        ("What is glycaemic load?", 4),
        ("Iron", 5),
    ]
    assert parsed.cards[0].answer == "GI × carbs per serving / 100.\nWatermelon: high GI, low GL."
    assert parsed.cards[1].key_points == ["Haem iron is absorbed better"]
    assert not parsed.chunks and not parsed.warnings


ORG = """\
#+TITLE: Compilers
#+STARTUP: overview

* Parsing

** What does a =lexer= do?
It turns characters into *tokens* and drops /whitespace/.
- ~>=~ is one token: the longest match wins
#+BEGIN_SRC python
# a comment, not a heading
* not a heading either
tokens = lex(src)
#+END_SRC

* Types

** Why does ~let~ generalise?
So an /identity/ function is used at two types.
"""


def test_org_mode_notes() -> None:
    parsed = parse_text(ORG, "comp.org")
    assert [(c.topic, c.question, c.line) for c in parsed.cards] == [
        ("Parsing", "What does a lexer do?", 6),
        ("Types", "Why does let generalise?", 17),
    ]
    lexer = parsed.cards[0]
    assert lexer.key_points == [
        "It turns characters into tokens and drops whitespace",
        "`>=` is one token: the longest match wins",
    ]
    # Code stays code: in the answer as written, in no key point, and no heading.
    assert "# a comment, not a heading\n* not a heading either" in lexer.answer
    assert not any("lex(src)" in point for point in lexer.key_points)
    assert parsed.cards[1].answer == "So an identity function is used at two types."
    assert not parsed.warnings


ASCIIDOC = """\
= Data engineering
:toc:

== Storage

=== Why partition a +table+?

*Partition pruning*: a query reads only the _matching_ partitions.

* the key is usually the `event_date`
* a high-cardinality key makes tiny files

[source,sql]
----
== not a heading
* not a bullet
SELECT * FROM t WHERE event_date = '2024-05-01';
----

// a comment
=== What is CDC?
Change data capture: row changes shipped from the database's log.
"""


def test_asciidoc_notes() -> None:
    parsed = parse_text(ASCIIDOC, "deng.adoc")
    assert [(c.topic, c.question, c.line) for c in parsed.cards] == [
        ("Storage", "Why partition a table?", 6),
        ("Storage", "What is CDC?", 21),
    ]
    partition = parsed.cards[0]
    assert partition.key_points == [
        "Partition pruning: a query reads only the matching partitions",
        "the key is usually the `event_date`",
        "a high-cardinality key makes tiny files",
    ]
    assert "```sql\n== not a heading\n* not a bullet\nSELECT" in partition.answer
    assert not any("SELECT" in point for point in partition.key_points)
    assert "comment" not in parsed.cards[1].answer


RST = """\
============
Graphics
============

Notes for interviews.

Shading
~~~~~~~

What is the Blinn-Phong ``specular`` term?
-------------------------------------------

**Specular**: ``pow(max(dot(N, H), 0), s)`` with the *half* vector.

.. code-block:: glsl

   vec3 H = normalize(L + V);
   ----------------------------

Textures
~~~~~~~~

Why mipmap?
-----------
Minified textures shimmer; prefiltered levels fix that.
"""


def test_restructuredtext_notes() -> None:
    """A title's level is the order in which its adornment style first appears: here `~`
    topics before `-` questions."""
    parsed = parse_text(RST, "gfx.rst")
    assert [(c.topic, c.question, c.line) for c in parsed.cards] == [
        ("Shading", "What is the Blinn-Phong specular term?", 10),
        ("Textures", "Why mipmap?", 23),
    ]
    blinn = parsed.cards[0]
    assert blinn.key_points == ["Specular: `pow(max(dot(N, H), 0), s)` with the half vector"]
    assert "```glsl" in blinn.answer and "vec3 H = normalize(L + V);" in blinn.answer
    assert not any("normalize" in point for point in blinn.key_points)
    assert parsed.cards[1].key_points == [
        "Minified textures shimmer",
        "prefiltered levels fix that",
    ]
    assert not parsed.warnings


def test_spreadsheet_exports_as_csv_and_tsv() -> None:
    text = (
        "Tags,Question,Answer\n"
        'funnels,"What is a ""funnel""?","The steps to a goal.\n- Measure each step."\n'
        "pricing,What is price elasticity?,% change in quantity / % change in price\n"
        'pricing,"Why test\nprices?",\n'
    )
    parsed = parse_text(text, "mkt.csv")
    assert [(c.topic, c.question, c.line) for c in parsed.cards] == [
        ("mkt", 'What is a "funnel"?', 2),
        ("mkt", "What is price elasticity?", 4),
    ]
    assert parsed.cards[0].answer == "The steps to a goal.\n- Measure each step."
    assert parsed.cards[0].key_points == ["The steps to a goal", "Measure each step"]
    # A row with no answer warns at the row's first line.
    assert [(w.line, "no answer" in w.message) for w in parsed.warnings] == [(5, True)]
    tsv = parse_text("front\tback\nWhat is CAC?\tCost per new customer.\n", "mkt.tsv")
    assert [(c.question, c.answer) for c in tsv.cards] == [
        ("What is CAC?", "Cost per new customer.")
    ]
    # Excel writes ";" where "," is the decimal comma.
    semicolons = parse_text("Prompt;Response\nWhat is LTV?;Margin / churn\n", "mkt.csv")
    assert [c.question for c in semicolons.cards] == ["What is LTV?"]


OUTLINE = """\
title:: Epidemiology
- Study designs
\t- What is a cohort study? #card
\t\tcard-last-score:: 5
\t\t- Follows exposed and unexposed people forward in time.
\t\t\t- Gives incidence, so relative risk.
\t\t- Slow and costly for rare outcomes.
\t- A note that asks nothing
\t\t- stays as it is
- Why randomise? #[[card]]
\t- It balances confounders, known and unknown.
"""


def test_outliner_pages_with_cards_under_bullets() -> None:
    """A Logseq page: every line a bullet, cards tagged and their answers nested."""
    parsed = parse_text(OUTLINE, "epi.md")
    assert [(c.topic, c.question, c.line) for c in parsed.cards] == [
        ("Study designs", "What is a cohort study?", 3),
        # As under a Markdown `##` topic: the topic holds until the next one.
        ("Study designs", "Why randomise?", 10),
    ]
    cohort = parsed.cards[0]
    assert cohort.key_points == [
        "Follows exposed and unexposed people forward in time",
        "Gives incidence, so relative risk",
        "Slow and costly for rare outcomes",
    ]
    assert "card-last-score" not in cohort.answer
    # A note among the cards ends the card above it and is kept as context.
    assert any("A note that asks nothing" in chunk.text for chunk in parsed.chunks)
    # A list in Markdown notes is no outline page: its bullets stay an answer's.
    listed = parse_text("## What is a cohort?\n- forward in time\n  - incidence\n", "n.md")
    assert listed.cards[0].key_points == ["forward in time", "incidence"]


def test_numbered_q_and_a_marks_under_sections_in_capitals() -> None:
    text = (
        "PHYSIOLOGY REVISION\n\nCARDIOVASCULAR\n\n"
        "Q1. What is the Frank-Starling law?\n"
        "A1. Stroke volume rises with end-diastolic volume.\n"
        "* more stretch -> stronger contraction\n\n"
        "RENAL\n\n"
        "Q2. What does RAAS do?\nA2. Renin -> angiotensin II -> aldosterone; raises BP.\n"
    )
    cards = parse_text(text, "physio.txt").cards
    assert [(c.topic, c.question) for c in cards] == [
        ("CARDIOVASCULAR", "What is the Frank-Starling law?"),
        ("RENAL", "What does RAAS do?"),
    ]
    assert cards[0].key_points == [
        "Stroke volume rises with end-diastolic volume",
        "more stretch -> stronger contraction",
    ]


def test_q_and_a_pairs() -> None:
    text = (
        "## Basics\n\n**Q:** What is overfitting?\n**A:** Fitting noise in the training data.\n\n"
        "**Q:** What is bias? **A:** Error from wrong assumptions.\n\n"
        "Q: What is variance?\nA: Sensitivity to the training sample.\nIt grows with capacity.\n"
    )
    cards = parse_text(text, "qa.md").cards
    assert [(c.question, c.answer) for c in cards] == [
        ("What is overfitting?", "Fitting noise in the training data."),
        ("What is bias?", "Error from wrong assumptions."),
        ("What is variance?", "Sensitivity to the training sample.\nIt grows with capacity."),
    ]


def test_bold_question_lines_with_numbers_emoji_and_tags() -> None:
    text = (
        "# ML\n\n**1. What is dropout?** 🔥\nRandomly zeroes activations during training.\n\n"
        "---\n\n"
        "Stray note after the separator.\n\n"
        "**Why normalise inputs?** [easy]\n\nFaster, better-conditioned optimisation.\n<br/>\n"
        "**Important:** this bold line is not a question.\n\n"
        "2. **Explain weight decay.**\nAn L2 penalty on the weights.\n"
    )
    parsed = parse_text(text, "bold.md")
    assert [(c.question, c.answer) for c in parsed.cards] == [
        ("What is dropout?", "Randomly zeroes activations during training."),
        ("Why normalise inputs?", "Faster, better-conditioned optimisation."),
        ("Explain weight decay.", "An L2 penalty on the weights."),
    ]


def test_notes_without_questions_become_overlapping_chunks() -> None:
    paragraph = " ".join(f"word{i}" for i in range(90)) + "."
    text = "# Notes\n\n" + "\n\n".join([paragraph] * 6)
    parsed = parse_text(text, "prose.md")
    assert parsed.cards == []
    assert len(parsed.chunks) >= 2
    for chunk in parsed.chunks:
        assert 100 <= len(chunk.text.split()) <= 300
    first, second = parsed.chunks[0].text.split(), parsed.chunks[1].text.split()
    assert first[-OVERLAP_WORDS:] == second[:OVERLAP_WORDS]


def test_crlf_bom_tabs_and_blank_lines_are_tolerated() -> None:
    text = (
        "\ufeffDeck\r\nTopic\r\n\r\n\r\n1. What is\tX?\r\n\tX is a thing.\r\n\r\n"
        "2. Why Y?\r\nBecause.\r\n"
    )
    cards = parse_text(text, "win.txt").cards
    assert [(c.topic, c.question, c.answer) for c in cards] == [
        ("Topic", "What is X?", "X is a thing."),
        ("Topic", "Why Y?", "Because."),
    ]


def test_question_without_answer_warns_with_its_line() -> None:
    parsed = parse_text("Deck\nTopic\n1. What is X?\nX.\n2. What is Y?\n", "gap.txt")
    assert [c.question for c in parsed.cards] == ["What is X?"]
    assert [(w.line, "no answer" in w.message) for w in parsed.warnings] == [(5, True)]


def test_empty_binary_and_non_utf8_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"abc\n\x00\x01\x02")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Deck\nTopic\n1. What is a café?\nA place.\n".encode("latin-1"))
    assert [w.message for w in parse_file(empty).warnings] == ["file is empty"]
    assert parse_file(binary).cards == [] and parse_file(binary).warnings[0].line == 2
    parsed = parse_file(latin)
    assert [c.question for c in parsed.cards] == ["What is a café?"]
    assert parsed.warnings[0].line == 3 and "UTF-8" in parsed.warnings[0].message


def test_control_sequences_are_removed_from_notes(tmp_path: Path) -> None:
    path = tmp_path / "ansi.txt"
    path.write_text("Deck\nTopic\n1. What is \x1b[31mred\x1b[0m?\nA colour\x07.\n")
    parsed = parse_file(path)
    assert [(c.question, c.answer) for c in parsed.cards] == [("What is red?", "A colour.")]
    assert "control characters" in parsed.warnings[0].message


def test_duplicate_question_is_kept_and_warned() -> None:
    parsed = parse_text("D\nT\n1. What is X?\nOne.\n2. What is X?\nTwo.\n", "dup.txt")
    assert len(parsed.cards) == 2 and len({c.id for c in parsed.cards}) == 2
    assert "duplicate" in parsed.warnings[0].message
