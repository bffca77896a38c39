"""Growth of importing and showing articles: each row at a size and at twice it.

Rows, medians of several repetitions in one run, with the growth ratio for 2x input
(bar: <= 2.2):

* ``show: highlight``: :func:`tui.cli.library.highlighted_body` on a 500 KB and a 1 MB article
  with a figure every ~60 characters (the one `show` spends its time in), beside the previous
  paragraphs x spans loop on the same input;
* ``import .txt``: :func:`import_sources` of a 0.5 MB and a 1 MB text file (2 MB is the cap);
* ``import .html``: 5,000 and 10,000 paragraphs (20,000 is the cap), and the refusal of a
  150,000-paragraph page (it took 210 s and 512 MB before the cap);
* ``clean: hostile byline``: the cleaning rules on a 130- and 260-byte "By A-A-A-…!" line.

Run: ``.venv/bin/python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import gc
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text

from tui.cli.library import LABEL_STYLES, highlighted_body
from tui.core.articles.cleaning import clean_paragraphs
from tui.core.articles.importer import import_sources
from tui.core.text import is_heading

PARAGRAPH = (
    "The government said it would invest HK$50 billion over the next 2.5 years, creating "
    "13,000 jobs in artificial intelligence, biotech and new energy, officials said on Monday."
)


def median_seconds(action: Callable[[], object], repeats: int = 5) -> float:
    """Median wall time of ``action`` over ``repeats`` runs, after one unmeasured warm-up
    (the collector paused while timing, so its pauses do not land in one size's runs)."""
    action()
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def body_of(size: int) -> tuple[str, list[dict[str, Any]]]:
    """An article of about ``size`` characters and a figure span every ~60 characters."""
    lines = [f"{n} {PARAGRAPH}" for n in range(size // (len(PARAGRAPH) + 6) + 1)]
    body = "\n".join(lines)
    spans = [
        {"start": start, "end": start + 10, "label": "MONEY"}
        for start in range(0, len(body) - 10, 60)
    ]
    return body, spans


def previous_highlight(body: str, spans: list[dict[str, Any]]) -> list[Text]:
    """The paragraphs x spans loop `show` used before (for the comparison row)."""
    paragraphs: list[Text] = []
    start = 0
    for line in body.split("\n"):
        end = start + len(line)
        text = Text(line, style="bold" if is_heading(line) else "")
        for span in spans:
            if span["end"] <= start or span["start"] >= end:
                continue
            style = LABEL_STYLES.get(span["label"], "underline")
            text.stylize(style, max(span["start"], start) - start, min(span["end"], end) - start)
        paragraphs.append(text)
        start = end + 1
    return paragraphs


def row(name: str, small: float, large: float, unit: str) -> str:
    """One table row: both medians and their ratio."""
    return f"{name:<34} {small:>9.4f} s {large:>9.4f} s {large / small:>7.2f}x  ({unit})"


def bench_show() -> list[str]:
    small, small_spans = body_of(500_000)
    large, large_spans = body_of(1_000_000)
    same = highlighted_body(small, small_spans) == previous_highlight(small, small_spans)
    assert same, "the linear highlighter must style exactly what the previous one did"
    rows = [
        row(
            "show: highlight (linear)",
            median_seconds(lambda: highlighted_body(small, small_spans), 7),
            median_seconds(lambda: highlighted_body(large, large_spans), 7),
            "500 KB -> 1 MB",
        )
    ]
    rows.append(
        row(
            "show: highlight (previous loop)",
            median_seconds(lambda: previous_highlight(small, small_spans), 1),
            median_seconds(lambda: previous_highlight(large, large_spans), 1),
            "500 KB -> 1 MB",
        )
    )
    return rows


def bench_import(folder: Path) -> list[str]:
    def import_text(size: int, name: str) -> Callable[[], object]:
        path = folder / f"{name}.txt"
        body, _ = body_of(size)
        path.write_text("Long report\n\n" + body.replace("\n", "\n\n"), encoding="utf-8")
        counter = iter(range(1000))
        return lambda: import_sources([path], folder / f"lib-{name}-{next(counter)}")

    def import_html(paragraphs: int, name: str, text: str = PARAGRAPH) -> Callable[[], object]:
        path = folder / f"{name}.html"
        items = "".join(f"<p>{n} {text}</p>" for n in range(paragraphs))
        path.write_text(f"<html><body><article>{items}</article></body></html>", "utf-8")
        counter = iter(range(1000))
        return lambda: import_sources([path], folder / f"lib-{name}-{next(counter)}")

    refused = import_html(150_000, "huge", "Row.")  # 2 MB: under the byte cap
    started = time.perf_counter()
    (result,) = refused()  # type: ignore[misc]
    refusal = time.perf_counter() - started
    return [
        row(
            "import .txt",
            median_seconds(import_text(500_000, "half")),
            median_seconds(import_text(1_000_000, "one")),
            "0.5 MB -> 1 MB",
        ),
        row(
            "import .html",
            median_seconds(import_html(5_000, "p5k")),
            median_seconds(import_html(10_000, "p10k")),
            "5k -> 10k paragraphs",
        ),
        f"{'import .html, 150k paragraphs':<34} {refusal:>9.4f} s  {result.message[:70]}",
    ]


def bench_hostile() -> list[str]:
    small = ["By " + "A-" * 64 + "!", "Text."]
    large = ["By " + "A-" * 128 + "!", "Text."]
    return [
        row(
            "clean: hostile byline",
            median_seconds(lambda: [clean_paragraphs(small) for _ in range(100)], 5),
            median_seconds(lambda: [clean_paragraphs(large) for _ in range(100)], 5),
            "130 -> 260 bytes, x100",
        )
    ]


def main() -> None:
    """Print the table."""
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    print(f"{'row':<34} {'size':>11} {'2x size':>11} {'ratio':>8}")
    for line in bench_show():
        print(line)
    with tempfile.TemporaryDirectory() as folder:
        for line in bench_import(Path(folder)):
            print(line)
    for line in bench_hostile():
        print(line)


if __name__ == "__main__":
    main()
