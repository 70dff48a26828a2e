"""How fast coach is on this machine: `python bench/run.py [--json] [--write bench/RESULTS.md]`.

Every measured process gets its own temporary COACH_HOME, offline, no LLM. The ONNX export
of the embedding model is made once (and timed) and shared by the homes, as a person's
later runs share theirs. Medians over --runs; `cards/s` and `answers/s` are wall clock of
the whole command, start-up included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from deck import write_deck
from measure import Run, coach_env, interact, median, percentile, spawn

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
QUESTION = "What made ResNet revolutionary?"
ANSWER = "Skip connections add the input to the output, so gradients flow through 100+ layers."


@dataclass
class Row:
    """One line of the results table."""

    measure: str
    value: float | None
    unit: str
    target: str = ""
    ok: bool | None = None
    p95: float | None = None
    rss_mb: float | None = None
    runs: int = 0
    note: str = ""


class Bench:
    """Temporary homes that share one ONNX export, and the `coach` command to run in them."""

    def __init__(self, root: Path, runs: int) -> None:
        self.root, self.runs, self.count = root, runs, 0
        self.cache = root / "shared-cache"
        script = Path(sys.executable).with_name("coach")
        self.coach = [str(script)] if script.exists() else [sys.executable, "-m", "coach"]

    def home(self, with_export: bool = True) -> Path:
        self.count += 1
        home = self.root / f"home-{self.count}"
        if with_export:
            (home / "cache").mkdir(parents=True)
            (home / "cache" / "onnx").symlink_to(self.cache / "onnx", target_is_directory=True)
        return home

    def run(self, home: Path, *args: str, stdin: str = "") -> Run:
        return spawn([*self.coach, *args], coach_env(home), self.root, stdin)

    def python(self, home: Path, *args: str) -> Run:
        return spawn([sys.executable, *args], coach_env(home), self.root)


def timed(name: str, runs: list[Run], unit: str = "s", target: float | None = None) -> Row:
    failed = [r for r in runs if r.code != 0]
    if failed:
        last = (failed[0].stderr.strip().splitlines() or ["?"])[-1]
        return Row(name, None, unit, note=f"failed (exit {failed[0].code}): {last[:120]}")
    value = median([r.seconds for r in runs])
    return Row(
        name,
        value,
        unit,
        f"< {target}" if target else "",
        None if target is None else value < target,
        None,
        max(r.rss_mb for r in runs),
        len(runs),
    )


def export_once(bench: Bench) -> Row:
    code = (
        "import sys\nfrom pathlib import Path\nfrom coach.embedding import load_embedder\n"
        "load_embedder(None, cache_dir=Path(sys.argv[1])).embed(['warm up'])"
    )
    run = bench.python(bench.home(False), "-c", code, str(bench.cache))
    return timed("one-time ONNX export (first ingest pays it)", [run])


def help_time(bench: Bench) -> Row:
    home = bench.home()
    return timed(
        "`coach --help`", [bench.run(home, "--help") for _ in range(bench.runs)], target=0.3
    )


def ingest_bundled(bench: Bench) -> tuple[Row, Row, Path]:
    homes = [bench.home() for _ in range(bench.runs)]
    cold = timed(
        "ingest bundled notes, cold (new store)", [bench.run(h, "ingest", "--json") for h in homes]
    )
    same = [bench.run(homes[-1], "ingest", "--json") for _ in range(bench.runs)]
    return cold, timed("ingest bundled notes, unchanged", same, target=1.5), homes[-1]


def grade_cold(bench: Bench, home: Path) -> Row:
    args = ("grade", "--question", QUESTION, "--answer", ANSWER, "--offline", "--json")
    return timed(
        "cold one-shot `coach grade --offline --json`",
        [bench.run(home, *args) for _ in range(bench.runs)],
        target=1.5,
    )


def grade_warm(bench: Bench, home: Path) -> Row:
    name = "warm grading latency per answer (one process)"
    rows = DEV_SET if DEV_SET.exists() else None
    if rows is None:
        rows = bench.root / "answers.jsonl"
        rows.write_text(
            "\n".join(json.dumps({"question": QUESTION, "answer": ANSWER}) for _ in range(50))
        )
    run = bench.python(home, str(BENCH / "workers.py"), "warm", str(rows))
    if run.code != 0:
        return Row(name, None, "ms", note=f"failed: {run.stderr.strip()[-120:]}")
    seconds = json.loads(run.stdout)["latencies"]
    p95 = percentile(seconds, 95) * 1000
    return Row(
        name,
        median(seconds) * 1000,
        "ms",
        "p95 < 50",
        p95 < 50,
        p95,
        run.rss_mb,
        len(seconds),
        "" if rows == DEV_SET else "dev set absent: one repeated answer",
    )


def grade_batch(bench: Bench, home: Path) -> Row:
    name = "batch grading throughput (`coach grade --batch` dev set)"
    if not DEV_SET.exists():
        return Row(name, None, "answers/s", note=f"skipped: {DEV_SET} absent")
    count = sum(1 for line in DEV_SET.read_text().splitlines() if line.strip())
    runs = [
        bench.run(home, "grade", "--batch", str(DEV_SET), "--offline")
        for _ in range(max(2, bench.runs // 2))
    ]
    row = timed(name, runs)
    if row.value is not None:
        row.value, row.unit, row.target = count / row.value, "answers/s", ">= 50"
        row.ok, row.note = row.value >= 50, f"{count} answers, start-up included"
    return row


def practice_first_question(bench: Bench, home: Path) -> Row:
    name = "`coach practice`: time to first question"
    if bench.run(home, "practice", "--help").code != 0:
        return Row(name, None, "s", note="skipped: no `coach practice` command yet")
    from coach.config import bundled_dir
    from coach.notes import parse_file

    questions = [
        c.question[:24] for c in parse_file(bundled_dir("knowledge") / "dl-architectures.txt").cards
    ]
    sessions = [
        interact(
            [*bench.coach, "practice"],
            coach_env(home),
            bench.root,
            questions,
            ANSWER + "\n\n",
            ("/ 5", "rade"),
        )
        for _ in range(bench.runs)
    ]
    firsts = [s.first_seconds for s in sessions if s.first_seconds is not None]
    rss = max(s.rss_mb for s in sessions)
    if len(firsts) < len(sessions):
        return Row(
            name,
            None,
            "s",
            rss_mb=rss,
            note="no question seen on the terminal: "
            + sessions[0].transcript[-120:].replace("\n", " "),
        )
    return Row(
        name,
        median(firsts),
        "s",
        "RSS < 1 GB",
        rss < 1024,
        None,
        rss,
        len(firsts),
        "RSS after one graded answer",
    )


def ingest_synthetic(bench: Bench, cards: int) -> Row:
    folder = bench.root / "synthetic"
    write_deck(folder, cards)
    run = bench.run(bench.home(), "ingest", str(folder), "--json")
    row = timed(f"ingest synthetic {cards:,}-card deck", [run])
    if row.value is not None:
        added = json.loads(run.stdout)["added"]
        row.value, row.unit, row.target = added / row.value, "cards/s", ">= 100"
        row.ok, row.note = row.value >= 100, f"{added} cards in {run.seconds:.0f} s"
    return row


def chroma_query(bench: Bench, vectors: int) -> Row:
    name = f"Chroma query, {vectors:,} key-point vectors"
    run = bench.python(
        bench.home(),
        str(BENCH / "workers.py"),
        "query",
        str(vectors),
        str(bench.root / "query-store"),
    )
    if run.code != 0:
        return Row(name, None, "ms", note=f"failed: {run.stderr.strip()[-120:]}")
    got = json.loads(run.stdout)
    seconds = got["latencies"]
    p95 = percentile(seconds, 95) * 1000
    return Row(
        name,
        median(seconds) * 1000,
        "ms",
        "p95 < 20",
        p95 < 20,
        p95,
        run.rss_mb,
        len(seconds),
        f"filled in {got['fill_seconds']:.0f} s",
    )


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in _lines("/proc/meminfo")
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def table(rows: list[Row]) -> str:
    def fmt(x: float | None) -> str:
        return "—" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.0f}")

    lines = [
        "| measure | median | p95 | unit | target | met | peak RSS (MB) | runs | note |",
        "|---|---:|---:|---|---|---|---:|---:|---|",
    ]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r.ok]
        rss = "" if r.rss_mb is None else f"{r.rss_mb:.0f}"
        lines.append(
            f"| {r.measure} | {fmt(r.value)} | {fmt(r.p95) if r.p95 else ''} | "
            f"{r.unit} | {r.target} | {met} | {rss} | {r.runs or ''} | {r.note} |"
        )
    return "\n".join(lines)


def results_markdown(rows: list[Row], about: dict[str, object], argv: list[str]) -> str:
    cores, memory = about["cores"], about["memory_gb"]
    return "\n".join(
        [
            "# Performance",
            "",
            f"Measured by `python bench/run.py {' '.join(argv)}` on {about['cpu']}, {cores} cores, "
            f"{memory} GB RAM, Python {about['python']}, {about['os']}. Load average "
            f"{about['load_average_at_start']} at the start, {about.get('load_average_at_end')} at "
            "the end: a shared machine, other work ran alongside.",
            "",
            table(rows),
            "",
            "Rerun: `source .venv/bin/activate && python bench/run.py` (add `--json` for machine "
            "output, `--write bench/RESULTS.md` to refresh this file, `--quick` for a smoke run).",
            "",
        ]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--runs", type=int, default=5, help="runs per cold measure")
    parser.add_argument("--cards", type=int, default=10_000, help="synthetic deck size")
    parser.add_argument("--vectors", type=int, default=100_000, help="vectors for the query bench")
    parser.add_argument("--quick", action="store_true", help="2 runs, 500 cards, 10k vectors")
    parser.add_argument("--write", type=Path, help="also write the results as Markdown here")
    parser.add_argument("--from-json", type=Path, help="render a saved --json run, measure nothing")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        rows = [Row(**row) for row in saved["results"]]
        print(table(rows))
        if args.write:
            markdown = results_markdown(rows, saved["machine"], saved.get("argv", []))
            args.write.write_text(markdown, encoding="utf-8")
        return 0
    if args.quick:
        args.runs, args.cards, args.vectors = 2, 500, 10_000
    about = machine()
    root = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    try:
        bench = Bench(root, args.runs)
        rows = [export_once(bench), help_time(bench)]
        cold, unchanged, home = ingest_bundled(bench)
        rows += [cold, unchanged]
        steps: list[Callable[[], Row]] = [
            lambda: grade_cold(bench, home),
            lambda: grade_warm(bench, home),
            lambda: grade_batch(bench, home),
            lambda: practice_first_question(bench, home),
            lambda: ingest_synthetic(bench, args.cards),
            lambda: chroma_query(bench, args.vectors),
        ]
        for step in steps:
            rows.append(step())
            # Progress, and the figures so far should a later step be interrupted.
            print(json.dumps(asdict(rows[-1])), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    about["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        saved = {"machine": about, "argv": argv, "results": [asdict(r) for r in rows]}
        print(json.dumps(saved, indent=2))
    else:
        print(table(rows))
    if args.write:
        args.write.write_text(results_markdown(rows, about, argv), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
