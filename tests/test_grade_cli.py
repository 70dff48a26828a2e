from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from coach.cli import app

runner = CliRunner()
ROW_KEYS = {
    "id",
    "card_id",
    "matched_question",
    "grade",
    "score",
    "verdict",
    "mode",
    "similarity",
    "coverage",
    "covered",
    "missed",
    "flags",
    "delivery",
}
RESNET = "What made ResNet revolutionary?"
GOOD = (
    "ResNet added skip connections, so each block computes F(x) + x. Because the identity "
    "path lets the gradient flow straight back, networks with over a hundred layers train."
)


def test_one_answer_as_json(ingested_home: Path) -> None:
    result = runner.invoke(app, ["grade", "--question", RESNET, "--answer", GOOD, "--json"])
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)
    assert set(row) == ROW_KEYS
    assert row["mode"] == "offline" and row["matched_question"] == RESNET
    assert 0 <= row["grade"] <= 5 and row["score"] == round(row["grade"] * 20)
    # Offline grades run below human ones for strong answers (dev textbook 3.9 of 5).
    assert row["grade"] >= 3.0 and row["verdict"] in {"partial", "good", "excellent"}
    assert set(row["delivery"]) >= {"word_count", "speaking_seconds", "filler_count"}


def test_feedback_shows_the_reference_as_words(ingested_home: Path) -> None:
    result = runner.invoke(app, ["grade", "-q", RESNET, "-a", GOOD, "--offline"])
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    # The notes write the formula as LaTeX ($y = F(x) + x$): no dollar signs on screen.
    assert "y = F(x) + x" in shown and "$" not in shown
    assert "✓" in shown


def test_an_off_topic_answer_names_the_question_it_answers(ingested_home: Path) -> None:
    question = "What is a Convolution operation?"
    result = runner.invoke(app, ["grade", "-q", question, "-a", GOOD, "--offline"])
    assert result.exit_code == 0, result.stderr
    assert f"this answers another question: “{RESNET}”" in " ".join(result.stdout.split())
    # Said once: not also "nothing here touches the question".
    named = "uh... skip connections, um... hmm. yeah."
    terse = runner.invoke(app, ["grade", "-q", question, "-a", named, "--offline"])
    assert terse.exit_code == 0, terse.stderr
    shown = " ".join(terse.stdout.replace("│", " ").split())  # the panel's borders
    assert "this answers another question" in shown and "nothing here touches" not in shown
    as_json = runner.invoke(app, ["grade", "-q", question, "-a", GOOD, "--json"])
    assert as_json.exit_code == 0, as_json.stderr
    row = json.loads(as_json.stdout)
    assert any(flag.startswith("off_topic:") for flag in row["flags"]) and row["grade"] <= 1


def test_an_off_topic_answer_states_none_of_the_points(ingested_home: Path) -> None:
    """Stride and convolution share "filter": the stride answer must not tick the
    convolution card's "A filter slides over the input" next to its off-topic flag."""
    stride = "Stride is how far the filter moves each step; stride two halves the output."
    result = runner.invoke(
        app, ["grade", "-q", "What is a Convolution operation?", "-a", stride, "--json"]
    )
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)
    assert any(flag.startswith("off_topic:") for flag in row["flags"])
    assert row["covered"] == [] and len(row["missed"]) == 2


def test_a_paraphrased_question_finds_its_card(ingested_home: Path) -> None:
    result = runner.invoke(
        app, ["grade", "-q", "What was revolutionary about ResNet?", "-a", GOOD, "--json"]
    )
    assert json.loads(result.stdout)["matched_question"] == RESNET


def test_a_question_outside_the_notes_is_refused(ingested_home: Path) -> None:
    result = runner.invoke(
        app, ["grade", "-q", "What is the capital of France?", "-a", "Paris", "--json"]
    )
    assert result.exit_code == 1
    assert "no card in the notes matches" in result.stderr
    assert result.stdout == ""


def test_batch_keeps_order_and_reports_bad_lines(ingested_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "question": RESNET, "answer": GOOD, "extra": 1}),
                "{not json",
                json.dumps({"id": "c", "question": RESNET}),
                json.dumps({"id": 4, "question": "Why is the sky blue?", "answer": "Rayleigh"}),
                json.dumps(
                    {
                        "id": "e",
                        "question": "Why sort before binary search?",
                        "reference": "Binary search needs sorted input to halve the range.",
                        "answer": "Because halving the search range only works on sorted data.",
                    }
                ),
                json.dumps({"id": "f", "question": RESNET, "answer": ""}),
                json.dumps(
                    {
                        "id": "g",
                        "question": "Why sort before binary search?",
                        "reference": "Binary search needs sorted input to halve the range.",
                        "answer": "A hash table stores each key in a bucket by its hash.",
                    }
                ),
            ]
        )
        + "\n"
    )
    result = runner.invoke(app, ["grade", "--batch", str(rows)])
    assert result.exit_code == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", 4, "e", "f", "g"]
    assert set(out[0]) == ROW_KEYS
    assert out[1]["error"].startswith("line 2: not valid JSON")
    assert out[2]["error"].startswith("line 3: answer: field required")
    assert "no card in the notes matches" in out[3]["error"]
    assert out[4]["card_id"] is None and out[4]["matched_question"].startswith("Why sort")
    assert out[4]["grade"] >= out[6]["grade"] + 1.5
    assert out[5]["grade"] == 0 and "non_answer" in out[5]["flags"]


def test_eval_reports_agreement(ingested_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "labelled.jsonl"
    labelled = [
        {"id": "1", "question": RESNET, "answer": GOOD, "score": 5, "kind": "textbook"},
        {"id": "2", "question": RESNET, "answer": "It was deep.", "score": 1, "kind": "partial"},
        {"id": "3", "question": RESNET, "answer": "no idea, skip", "score": 0, "kind": "idk"},
    ]
    rows.write_text("\n".join(json.dumps(r) for r in labelled))
    result = runner.invoke(app, ["eval", str(rows), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count"] == 3 and report["spearman"] == 1.0
    assert report["kinds"]["idk"]["grade_mean"] == 0
    assert report["worst"][0]["answer"] in {r["answer"] for r in labelled}


def test_escape_sequences_in_answers_never_reach_the_terminal(
    ingested_home: Path, tmp_path: Path
) -> None:
    rows = tmp_path / "ansi.jsonl"
    answer = "\x1b[2J\x1b[31mskip connections\x1b[0m add x back\x07 so gradients flow"
    rows.write_text(json.dumps({"id": "1", "question": RESNET, "answer": answer, "score": 3}))
    result = runner.invoke(app, ["eval", str(rows)])
    assert result.exit_code == 0, result.stderr
    assert "skip connections add x back so gradients flow" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_megabyte_answer_is_graded_on_its_beginning(ingested_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "big.jsonl"
    big = "Skip connections add the input back to the output so gradients flow. " * 20_000
    rows.write_text(json.dumps({"id": "big", "question": RESNET, "answer": big}) + "\n")
    assert rows.stat().st_size > 1_000_000
    result = runner.invoke(app, ["grade", "--batch", str(rows)])
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)
    assert any(flag.startswith("truncated:") for flag in row["flags"])
    assert 0 <= row["grade"] <= 5


def test_usage_mistakes_exit_2(ingested_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("")
    assert runner.invoke(app, ["grade", "--batch", str(rows), "-q", RESNET]).exit_code == 2
    assert runner.invoke(app, ["grade", "-q", RESNET]).exit_code == 2


def test_eval_pairs_rows_by_position_when_ids_repeat(ingested_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "dup.jsonl"
    same = {"id": "x", "question": RESNET, "kind": "k"}
    rows.write_text(
        json.dumps({**same, "answer": GOOD, "score": 5})
        + "\n"
        + json.dumps({**same, "answer": "no idea", "score": 0})
        + "\n"
    )
    report = json.loads(runner.invoke(app, ["eval", str(rows), "--json"]).stdout)
    assert report["count"] == 2 and report["kinds"]["k"]["human_mean"] == 2.5
    assert report["spearman"] == 1.0


def test_a_batch_stops_asking_an_endpoint_that_timed_out(
    ingested_home: Path, tmp_path: Path, monkeypatch
) -> None:
    from openai_server import ScriptedServer

    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(json.dumps({"id": i, "question": RESNET, "answer": GOOD}) + "\n" for i in range(3))
    )
    with ScriptedServer("slow", slow_seconds=3.0) as server:
        monkeypatch.setenv("COACH_OFFLINE", "0")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("COACH_LLM_MODEL", "scripted")
        monkeypatch.setenv("COACH_LLM_TIMEOUT", "0.5")
        result = runner.invoke(app, ["grade", "--batch", str(rows)])
        asked = len(server.requests)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and [o["mode"] for o in out] == ["offline"] * 3
    assert all("llm_error:timeout" in o["flags"] for o in out)
    assert asked == 1


def test_an_answer_that_echoes_the_question_is_told_so(ingested_home: Path) -> None:
    answer = "Um, ResNet, the... the thing with ResNet, yeah."
    result = runner.invoke(app, ["grade", "-q", RESNET, "-a", answer, "--offline"])
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "0.0 / 5" in shown and "only the question's own words" in shown


def test_not_knowing_wrapped_in_small_talk_is_no_answer(ingested_home: Path) -> None:
    small_talk = "Honestly no idea, I've only ever used pretrained models from a library."
    result = runner.invoke(app, ["grade", "-q", RESNET, "-a", small_talk, "--offline", "--json"])
    assert result.exit_code == 0, result.stderr
    graded = json.loads(result.stdout)
    assert graded["grade"] == 0.0 and "non_answer:admitted" in graded["flags"]
    shown = runner.invoke(app, ["grade", "-q", RESNET, "-a", small_talk, "--offline"]).stdout
    assert "you said you don't know" in " ".join(shown.split())
    # Not knowing a detail is no admission of knowing nothing: the point said still counts.
    detail = (
        "I don't know who wrote the paper, but ResNet adds skip connections, y = F(x) + x, "
        "so gradients flow and networks of a hundred layers or more can be trained."
    )
    result = runner.invoke(app, ["grade", "-q", RESNET, "-a", detail, "--offline", "--json"])
    graded = json.loads(result.stdout)
    assert graded["grade"] >= 3.0 and not any(f.startswith("non_answer") for f in graded["flags"])


def test_talk_of_experience_beside_not_knowing_earns_nothing(
    ingested_home: Path, tmp_path: Path
) -> None:
    # "I've only ever used SQS" comes near the notes' point on queues; it says nothing
    # about how queues and streams differ.
    row = {
        "id": "q1",
        "question": "What is the difference between a queue (SQS) and a stream (Kinesis)?",
        "reference": (
            "Queue: each message is processed by one consumer, which deletes it when done, "
            "so consumers compete for messages. Stream: an ordered, append-only log kept for "
            "a retention period; reading doesn't delete records, so many consumers can read "
            "and replay the same data."
        ),
        "answer": (
            "Oh, queues versus streams. Honestly I've only ever used SQS through a library "
            "someone else set up, so I don't really know how Kinesis differs. Sorry!"
        ),
    }
    answered = dict(
        row,
        id="q2",
        answer=row["answer"] + " A stream keeps its records, "
        "so several consumers can each read and replay them; a queue deletes a "
        "message once one consumer has handled it.",
    )
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(row) + "\n" + json.dumps(answered) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["grade", "--offline", "--batch", str(rows)])
    assert result.exit_code == 0, result.stderr
    small_talk, explained = (json.loads(line) for line in result.stdout.splitlines())
    assert small_talk["grade"] == 0.0 and "non_answer:admitted" in small_talk["flags"]
    assert explained["grade"] >= 2.0 and "non_answer:admitted" not in explained["flags"]


def test_a_contradiction_names_the_words_that_clash(ingested_home: Path) -> None:
    answer = "Pooling upsamples the feature maps, so the network sees more detail."
    result = runner.invoke(
        app, ["grade", "-q", "What is the purpose of Pooling?", "-a", answer, "--offline"]
    )
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.split())
    assert "you said “upsamples” where the notes say “downsamples”" in shown


def test_swapped_points_are_named_in_one_line(ingested_home: Path) -> None:
    answer = "BERT is decoder-only and causal. GPT is encoder-only and bidirectional."
    result = runner.invoke(
        app, ["grade", "-q", "BERT vs GPT architecture?", "-a", answer, "--offline"]
    )
    assert result.exit_code == 0, result.stderr
    shown = " ".join(result.stdout.replace("│", " ").split())
    assert (
        "⚠ “BERT is decoder-only and causal” and “GPT is encoder-only and bidirectional” "
        "put points under the wrong names" in shown
    )
