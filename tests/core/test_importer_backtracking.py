"""Every importer rule stays fast on hostile text: no pattern backtracks catastrophically.

Each rule pattern (and the whole cleaning pipeline) is run on pathological lines — runs of
name words joined by hyphens, commas, "and", dots, digits — in a forked child process that is
killed when it passes a generous bound. Linear or polynomial patterns take microseconds on these
lines; an exponential one ("By A-A-A-…!" took minutes) never finishes within it.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable

import pytest

from tui.core.articles import boilerplate, header
from tui.core.articles.importer import clean_paragraphs

BOUND_SECONDS = 10.0
"""Far above what any of these inputs takes a linear pattern; far below an exponential one."""

UNITS = [
    "A-",
    "A ",
    "A, ",
    "A and ",
    "A & ",
    "Ab.",
    "A. ",
    "Jane Doe | ",
    "Jane-",
    "1,",
    "1.",
    "1 ",
    "March 5, 2025 ",
    "by A ",
    "Reporting by A; ",
    "reporting by A and ",
    "of the ",
    "get the ",
    "copyright © ",
    "x",
    " ",
    "-",
    "'",
]
PREFIXES = ["", "By ", "Written by ", "Published: ", "More from ", "Copyright ", "Reporting by "]


def hostile_lines() -> list[str]:
    """Lines built from a repeated unit that end so that no full match exists."""
    lines = []
    for unit in UNITS:
        for prefix in PREFIXES:
            for ending in ("!", "?x", "@"):
                lines.append(prefix + unit * 60 + ending)
    lines.append("a" * 200_000 + "!")
    lines.append(" ".join(["word"] * 50_000) + " (ABC")
    return lines


def _patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for name, compiled in boilerplate._COMPILED.items():
        for number, pattern in enumerate(compiled):
            found[f"boilerplate.{name}[{number}]"] = pattern
    for module in (boilerplate, header):
        for attribute, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{attribute}"] = value
    for number, pattern in enumerate(header.SOURCE_PATTERNS):
        found[f"header.SOURCE_PATTERNS[{number}]"] = pattern
    return found


PATTERNS = _patterns()


def _exercise_pattern(name: str) -> None:
    pattern = PATTERNS[name]
    for line in hostile_lines():
        pattern.fullmatch(line)
        pattern.match(line)
        if len(line) < 10_000:
            pattern.search(line)


def _exercise_pipeline() -> None:
    lines = hostile_lines()
    clean_paragraphs(lines)
    for line in lines:
        clean_paragraphs([line, line, "The city hired 500 teachers."])
        header.derive_title(line)
        header.parse_date(line)


def _finishes(work: Callable[..., None], *args: str) -> bool:
    """Whether ``work(*args)`` ends within the bound in a forked child (killed otherwise)."""
    context = multiprocessing.get_context("fork")
    child = context.Process(target=work, args=args, daemon=True)
    child.start()
    child.join(BOUND_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
        return False
    return child.exitcode == 0


def test_the_audit_sees_every_rule() -> None:
    assert "header.BYLINE" in PATTERNS and "header.DATELINE" in PATTERNS
    assert sum(name.startswith("boilerplate.") for name in PATTERNS) >= 35


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_rule_pattern_is_not_catastrophic(name: str) -> None:
    assert _finishes(_exercise_pattern, name), f"{name} backtracks on hostile input"


def test_cleaning_pipeline_is_not_catastrophic() -> None:
    assert _finishes(_exercise_pipeline), "the cleaning rules backtrack on hostile input"
