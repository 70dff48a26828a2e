"""Grades over time as a picture: in the terminal (plotext) or as a PNG file (matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from coach.errors import InputError

Points = Sequence[tuple[datetime, float]]
# A rolling mean over this many attempts shows the direction under the noise of single grades.
ROLLING = 5


def rolling_mean(values: Sequence[float], window: int = ROLLING) -> list[float]:
    """The mean of each value with up to `window - 1` values before it."""
    out = []
    for index in range(len(values)):
        part = values[max(0, index - window + 1) : index + 1]
        out.append(sum(part) / len(part))
    return out


def terminal_plot(points: Points, width: int, height: int = 15) -> str:
    """A plain-text chart of grade by attempt number, with its rolling mean."""
    # Imported here: plotext costs ~0.15 s and only `coach stats` draws.
    import plotext

    grades = [grade for _, grade in points]
    xs = list(range(1, len(grades) + 1))
    figure = plotext.figure
    figure.clear()
    figure.plot_size(max(30, width), height)
    each = figure.signal(xs, grades, marker="dot")
    trend = figure.signal(xs, rolling_mean(grades), marker="braille")
    trend.lines()
    figure.draw(each)
    figure.draw(trend)
    # A legend box would sit on the points; the title says what is what.
    figure.legend(active=False)
    figure.title(f"grades over time (• an attempt, line: mean of last {ROLLING})")
    figure.label("attempt", axis="x")
    figure.ruler("y").lim(0, 5)
    # Colourless: plotext's themes paint a background that clashes with dark terminals.
    return str(plotext.uncolorize(figure.build()))


def save_png(points: Points, path: Path) -> Path:
    """Write the grades-over-time chart to `path` as a PNG.

    Raises:
        InputError: matplotlib is not installed, or the file cannot be written.
    """
    try:
        # Imported here: matplotlib is optional and slow to import.
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise InputError("--png needs matplotlib: pip install matplotlib") from None
    when = [moment for moment, _ in points]
    grades = [grade for _, grade in points]
    figure, axes = pyplot.subplots(figsize=(8, 4), dpi=100)
    axes.plot(when, grades, "o", alpha=0.5, label="grade")  # type: ignore[arg-type]
    axes.plot(when, rolling_mean(grades), "-", label=f"mean of last {ROLLING}")  # type: ignore[arg-type]
    axes.set_ylim(0, 5)
    axes.set_ylabel("grade (0-5)")
    axes.set_title("grades over time")
    axes.legend(loc="lower right")
    figure.autofmt_xdate()
    try:
        figure.savefig(path, format="png")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        pyplot.close(figure)
    return path
