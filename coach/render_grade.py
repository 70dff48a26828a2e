"""Rich renderables for a graded answer and for an agreement report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coach.cues import INVERTED, SWAPPED
from coach.evaluation import EvalReport
from coach.llm_grading import CombinedGrade
from coach.plaintext import plain_text
from coach.textsafety import strip_control
from coach.wording import counted, listed

_GRADE_STYLE = ((4.5, "bold green"), (3.5, "green"), (2.5, "yellow"), (1.5, "red"), (0, "bold red"))


def grade_style(grade: float) -> str:
    return next(style for floor, style in _GRADE_STYLE if grade >= floor)


def grade_line(result: CombinedGrade) -> Text:
    """ "3.4 / 5  partial  (offline)"."""
    return Text.assemble(
        (f"{result.grade:.1f} / 5", grade_style(result.grade)),
        "  ",
        (result.verdict, "bold"),
        (f"  ({result.mode})", "dim"),
    )


def key_point_lines(result: CombinedGrade) -> Text:
    """Covered ✓, only touched on ~ and missed ✗ key points, one per line."""
    lines = Text()
    loose = set(result.offline.loosely_covered)
    for point in result.offline.covered:
        mark = ("~ ", "yellow") if point in loose else ("✓ ", "green")
        lines.append(*mark).append(point + "\n")
    for point in result.offline.missed:
        lines.append("✗ ", "red").append(point + "\n")
    if loose:
        lines.append("~ only partly recognised: say it more directly\n", "dim")
    lines.rstrip()
    return lines


def flag_line(result: CombinedGrade, questions: Mapping[str, str] | None = None) -> Text | None:
    """The flags in words; `questions` (card id -> question) names the question an
    off-topic answer fits, so the person knows what they answered instead."""
    swapped = [f.removeprefix(_SWAPPED) for f in result.flags if f.startswith(_SWAPPED)]
    off_topic = any(flag.startswith("off_topic:") for flag in result.flags)
    notes = [
        _flag_words(flag, questions or {})
        for flag in result.flags
        # "It answers another question" already says it does not touch this one.
        if not flag.startswith(_SWAPPED) and not (off_topic and flag == "unrelated")
    ]
    if swapped:
        clauses = [f"“{strip_control(clause).rstrip('.;, ')}”" for clause in swapped]
        wrong = (
            "puts a point under the wrong name"
            if len(clauses) == 1
            else "put points under the wrong names"
        )
        notes.append(f"{listed(clauses)} {wrong}")
    return Text("⚠ " + "; ".join(dict.fromkeys(notes)), "yellow") if notes else None


_SWAPPED = f"contradiction:{SWAPPED}"


def _flag_words(flag: str, questions: Mapping[str, str]) -> str:
    name, _, detail = flag.partition(":")
    if name == "off_topic" and detail in questions:
        return f"this answers another question: “{strip_control(questions[detail])}”"
    if flag == "non_answer:echo":
        return "only the question's own words"
    if flag == "non_answer:admitted":
        return "you said you don't know, and nothing else in it answers the question"
    if name == "contradiction" and detail.startswith(INVERTED):
        said, meant = (strip_control(f) for f in detail.removeprefix(INVERTED).split("~", 1))
        return f"you wrote “{said}” where the notes write “{meant}”"
    if name == "contradiction" and "~" in detail:
        said, meant = (strip_control(word) for word in detail.split("~", 1))
        return f"you said “{said}” where the notes say “{meant}”"
    return _FLAG_WORDS.get(name, flag)


_FLAG_WORDS = {
    "injection": "talking to the grader earns nothing",
    "non_answer": "no answer given",
    "off_topic": "this answers a different question",
    "keyword_salad": "terms without explanation",
    "unrelated": "nothing here touches the question",
    "contradiction": "may contradict the notes",
    "llm_disagrees": "the LLM and the offline grader disagree",
    "llm_error": "LLM unavailable, graded offline",
    "truncated": "very long answer: graded on its beginning",
}


def delivery_line(result: CombinedGrade) -> Text:
    d = result.offline.delivery
    return Text(
        f"{counted(d.word_count, 'word')} · ~{d.speaking_seconds:.0f} s spoken · "
        f"{counted(d.filler_count, 'filler')} · {counted(d.hedge_count, 'hedge')}",
        "dim",
    )


def grade_panel(
    question: str,
    reference: str,
    result: CombinedGrade,
    questions: Mapping[str, str] | None = None,
) -> Panel:
    """The full feedback for one answer."""
    parts: list[RenderableType] = [grade_line(result), Text()]
    parts.append(key_point_lines(result))
    if (flags := flag_line(result, questions)) is not None:
        parts.append(flags)
    if result.rubric is not None:
        parts += [Text("\n" + result.rubric.feedback.strip(), "italic")]
    parts += [
        Text.assemble(("\nReference: ", "bold"), plain_text(reference)),
        delivery_line(result),
    ]
    return Panel(Group(*parts), title=Text(question), title_align="left", expand=False)


def eval_tables(
    report: EvalReport, texts: dict[str, tuple[str, str, str | int]]
) -> Iterable[RenderableType]:
    """Agreement figures, per-kind means and the worst disagreements."""
    figures = Table(title=f"Agreement on {report.count} answers", show_header=False)
    for name, value in (
        ("Spearman", report.spearman),
        ("Pearson", report.pearson),
        ("Quadratic weighted kappa", report.qwk),
        ("MAE", report.mae),
        ("RMSE", report.rmse),
    ):
        figures.add_row(name, f"{value:.3f}")
    yield figures
    kinds = Table(title="Mean grade per kind")
    for column in ("kind", "rows", "human", "coach"):
        kinds.add_column(column, justify="right" if column != "kind" else "left")
    for kind, (count, human, grade) in report.kind_means.items():
        kinds.add_row(kind or "-", str(count), f"{human:.2f}", f"{grade:.2f}")
    yield kinds
    worst = Table(title="Largest disagreements", show_lines=True)
    for column in ("id", "human", "coach", "question / answer"):
        worst.add_column(column)
    for row in report.worst:
        question, answer, row_id = texts.get(row.id, ("", "", row.id))
        cell = Text.assemble((strip_control(question) + "\n", "bold"), strip_control(answer[:300]))
        worst.add_row(str(row_id), f"{row.human:.1f}", f"{row.grade:.1f}", cell)
    yield worst
