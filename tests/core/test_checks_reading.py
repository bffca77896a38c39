"""What the checks read of a figure's words: its role, its measure and a name's whole-word
occurrences, from many publications' phrasings, including the edges the fast paths skip
(case folding outside ASCII, a clause boundary inside a word, names next to punctuation)."""

from __future__ import annotations

import re

import pytest

from tui.core.checks.inputs import whole_words
from tui.core.checks.reading import measure_of, role_of


def _figure(text: str, figure_text: str, label: str, unit: str | None = None) -> dict[str, object]:
    start = text.index(figure_text)
    return {
        "text": figure_text,
        "start": start,
        "end": start + len(figure_text),
        "label": label,
        "unit": unit,
        "value": 1.0,
    }


@pytest.mark.parametrize(
    ("text", "figure_text", "role"),
    [
        ("Revenue rose 15% in the quarter.", "15%", "change"),  # Reuters
        ("Exports fell by about 3.2% last year.", "3.2%", "change"),  # BBC
        ("Sales were UP MORE THAN 10% on the year.", "10%", "change"),  # any case
        ("The group said profit jumped an estimated £40 million.", "£40 million", "change"),
        ("Tata Steel will shed 3,000 jobs in Wales.", "3,000", "change"),
        ("Prices climbed\n  a further 2% in March.", "2%", "change"),  # a line break between
        ("The miners ſhed 300 jobs.", "300", "change"),  # long s folds to 's' like the pattern
        ("A 5% rise in rents, said the council.", "5%", "change"),  # a noun after the figure
        ("Profit reached A$1.3 billion, from A$1 billion.", "A$1 billion", "previous"),
        ("Unemployment was 4.1% compared with 3.9% a year ago.", "3.9%", "previous"),
        ("Revenue was €2.1bn versus the €1.9bn forecast.", "€1.9bn", "previous"),
        ("Nifty closed at 22,000 vs. 21,500 on Monday.", "21,500", "previous"),
        ("Spending on roads, as against 40% on rail.", "40%", "previous"),
        ("Qantas employs 23,000 people.", "23,000", "level"),
        ("The shortcut 5% fee applies.", "5%", "level"),  # "cut" inside a word is no verb
        ("Fromage exports reached 300 tonnes.", "300", "level"),
        ("The bypass 40 km long opened.", "40", "level"),  # "by" inside a word
        ("Investment of HK$50 billion was announced.", "HK$50 billion", "level"),
        ("About 13,000 jobs were created.", "13,000", "level"),
    ],
)
def test_role_of(text: str, figure_text: str, role: str) -> None:
    label = "PERCENT" if figure_text.endswith("%") else "MONEY"
    assert role_of(text, _figure(text, figure_text, label)) == role


@pytest.mark.parametrize(
    ("text", "figure_text", "measure"),
    [
        ("Revenue of $5 billion; profit of $1 billion.", "$1 billion", "profit"),
        ("Revenue of $5 billion; profit of $1 billion.", "$5 billion", "revenue"),
        ("Presales reached $5 billion.", "$5 billion", None),  # no measure word inside a word
        ("The company will invest A$3 billion in new jets.", "A$3 billion", "investment"),
        ("Turnover rose 4% while the unemployment rate was 5%.", "5%", "unemployment"),
        ("Its share of the market hit 20%.", "20%", "share"),  # weak, but the only one
        ("SALES hit €2bn.", "€2bn", "revenue"),
        ("Nothing here says what $5 is.", "$5", None),
    ],
)
def test_measure_of_money_and_percent(text: str, figure_text: str, measure: str | None) -> None:
    label = "PERCENT" if figure_text.endswith("%") else "MONEY"
    assert measure_of(text, _figure(text, figure_text, label)) == measure


def test_measure_of_a_count_is_its_noun() -> None:
    text = "The airline employs 23,000 staff."
    assert measure_of(text, _figure(text, "23,000", "COUNT", unit="staff")) == "employee"


def test_measure_of_a_clause_starting_inside_a_word() -> None:
    """A clause break right before a figure that starts with letters ("…, whileHK$5 …") cuts a
    word in two: the words are then read from the clause itself, as written."""
    text = "Costs fell, whileHK$5 billion revenue came in."
    figure = _figure(text, "HK$5 billion", "MONEY")
    assert measure_of(text, figure) == "revenue"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Qantas", "Qantas says Qantas’s jets and QantasLink differ from Qantas."),
        ("DBS", "DBS_bank, DBS-led and (DBS) and DBS."),
        ("São Paulo", "São Paulo's mayor; São Paulo2 is not; ÉSão Paulo is not."),
        ("Reliance", "reliance Reliance"),  # case counts, as in the pattern
        ("AA", "AAA AA AA"),
        ("", "ab c"),  # an empty name matches between non-word characters, like the pattern
        ("Tesco", ""),
    ],
)
def test_whole_words_matches_the_word_boundary_pattern(name: str, text: str) -> None:
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    assert whole_words(name, text) == [m.span() for m in pattern.finditer(text)]
