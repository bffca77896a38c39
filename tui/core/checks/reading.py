"""Reading what a figure is about: its sentence, clause, subject, measure, role and year.

Pure string rules over a field's text, its figures and its entities (no model is run here).

* **Sentence**: split at ``.!?`` before a capital, a quote or a digit, and at line ends; "U.S."
  and "$6.37" do not split.
* **Subject**: the nearest ORG/GPE entity before the figure in its sentence, else the first one
  after it, else the nearest capitalised name before it (the spaCy pipeline runs without a
  parser, so a dependency parse is not cheap here).
* **Measure**: what the amount is of ("revenue", "investment", "jobs"): a COUNT's own noun, or
  the nearest word from :data:`MEASURE_WORDS` in the figure's clause.
* **Role**: "change" for an amount of change ("rose $2bn", "up 5%"), "previous" for a former
  level ("from £4 billion"), else "level".

The values a figure allows as written are in :mod:`.values`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tui.core.checks.inputs import ArticleInput, Entity, Figure, Located
from tui.core.extract.context import words

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“‘(\d$£€¥])|\n")
_ABBREVIATIONS = re.compile(
    r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|No|Co|Corp|Inc|Ltd|vs|Jan|Feb|Aug"
    r"|Sept?|Oct|Nov|Dec|Gov|Sen|Rep|Prof)\.)\Z"
)
_CLAUSE_BREAK = re.compile(r"[;:—–]|, (?:while|whereas|but|and|compared|versus)\b")
_YEAR = re.compile(r"(?<![\d$£€¥.,])(?:FY ?)?((?:19|20)\d\d)(?![\d%])")

MEASURE_WORDS: dict[str, str] = {
    word: group
    for group, members in {
        "revenue": "revenue revenues sales turnover",
        "profit": "profit profits earnings income",
        "loss": "loss losses deficit",
        "investment": "investment investments invest invested investing",
        "funding": "funding financing raised raise raises fundraising",
        "valuation": "valuation valued valuing",
        "budget": "budget budgets allocation allocating allocated allocates spending",
        "debt": "debt debts borrowing borrowings",
        "fine": "fine fined fines penalty penalties settlement",
        "deal": "deal acquisition acquire acquired takeover merger",
        "wage": "wage wages salary salaries pay",
        "price": "price prices",
        "exports": "exports export",
        "imports": "imports import",
        "gdp": "gdp economy",
        "inflation": "inflation cpi",
        "unemployment": "unemployment jobless",
        "interest rate": "rate rates",
        "share": "share stake",
        "tax": "tax taxes tariff tariffs duty duties",
        "dividend": "dividend dividends",
        "market value": "capitalisation capitalization",
    }.items()
    for word in members.split()
}
"""Words that say what a money or percent figure measures, grouped by meaning."""

WEAK_MEASURE_WORDS = frozenset({"rate", "rates", "share", "price", "prices", "pay"})
"""Words that name a measure only when nothing more specific is near: "the unemployment rate"
measures unemployment, "the share of renters" a share."""

_COUNT_SYNONYMS = {
    "position": "job",
    "role": "job",
    "post": "job",
    "firm": "company",
    "business": "company",
    "enterprise": "company",
    "startup": "company",
    "start-up": "company",
    "person": "people",
    "resident": "people",
    "individual": "people",
    "worker": "employee",
    "staff": "employee",
}
_CHANGE_VERBS = sorted(
    words(
        "rose rise rises risen rising increase increased increases grew grow grows grown jumped"
        " jumps climbed climbs gained gains soared surged fell falls fallen dropped drops declined"
        " declines decreased decreases slid slipped sank plunged tumbled lost loses add adds added"
        " adding cut cuts cutting shed sheds shedding up down by"
    )
)
_CHANGE_FILLERS = (
    "about|around|nearly|almost|roughly|some|over|more than|less than|just over|just under"
    "|an estimated|a further|another"
)
_CHANGE_BEFORE = re.compile(
    rf"\b(?:{'|'.join(_CHANGE_VERBS)})(?:\s+(?:{_CHANGE_FILLERS}))?\s+\Z",
    re.IGNORECASE,
)
_CHANGE_LAST_WORDS = frozenset(_CHANGE_VERBS) | {f.split()[-1] for f in _CHANGE_FILLERS.split("|")}
"""The last word of every :data:`_CHANGE_BEFORE` match: a text ending otherwise needs no search."""
_CHANGE_AFTER = re.compile(
    r"\s*(?:-| )?(?:increase|rise|gain|jump|drop|fall|decline|decrease|cut|growth|hike)s?\b",
    re.IGNORECASE,
)
_FROM_BEFORE = re.compile(
    r"\b(?:from|compared with|compared to|versus|vs\.?|against)\s+"
    r"(?:a |an |the )?(?:\w+ )?\Z",
    re.IGNORECASE,
)
_FROM_WORDS = ("from", "compared", "versus", "vs", "against")
"""One of these is in every :data:`_FROM_BEFORE` match."""
_NAME = re.compile(r"(?:[A-Z][\w&'’.-]*)(?: (?:of |for |and |de )?[A-Z][\w&'’.-]*)*")
_NOT_NAMES = words(
    "The A An In On At For But And Its It This That These Those Their He She "
    "They We Our Some Most Many More Less Over Under About As By From With "
    "According After Before Since While Yet Meanwhile"
)


@lru_cache(maxsize=4096)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Offsets at which each sentence of ``text`` starts."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group(0) != "\n" and _ABBREVIATIONS.search(text, 0, match.start()):
            continue
        starts.append(match.end())
    return tuple(starts)


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` holding ``offset``."""
    starts = sentence_starts(text)
    index = bisect_right(starts, offset) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    return starts[index], end


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``start:end``: its sentence cut at ``;``, ``:``, dashes, ", while"."""
    s_start, s_end = sentence_bounds(text, start)
    left = s_start
    for match in _CLAUSE_BREAK.finditer(text, s_start, start):
        left = match.end()
    found = _CLAUSE_BREAK.search(text, end, s_end)
    return left, found.start() if found else s_end


@dataclass(frozen=True)
class Subject:
    """Who or what a figure is about."""

    key: str
    """Lower-case grouping key (an entity's key, or the name as written)."""
    text: str
    from_entity: bool
    """True when taken from an ORG/GPE entity; False for the capitalised-name fallback."""


def subject_of(
    text: str, figure: Figure, entities: Sequence[Entity], labels: tuple[str, ...] = ("ORG", "GPE")
) -> Subject | None:
    """The figure's subject (see the module docstring), or None."""
    s_start, s_end = sentence_bounds(text, figure["start"])
    inside = [e for e in entities if e.get("label") in labels and s_start <= e["start"] < s_end]
    return _subject_in(text, figure, inside, s_start)


def _subject_in(
    text: str, figure: Figure, inside: Sequence[Entity], s_start: int
) -> Subject | None:
    """:func:`subject_of` given the entities of the figure's sentence, in their order."""
    before = [e for e in inside if e["end"] <= figure["start"]]
    after = [e for e in inside if e["start"] >= figure["end"]]
    chosen = before[-1] if before else (after[0] if after else None)
    if chosen is not None:
        key = str(chosen.get("key") or chosen["text"])
        return Subject(key.lower(), str(chosen["text"]), True)
    names = [
        m for m in _NAME.finditer(text, s_start, figure["start"]) if m.group(0) not in _NOT_NAMES
    ]
    for match in reversed(names):
        name = match.group(0).rstrip(".’'s")
        if match.start() == s_start and " " not in name:
            continue  # a capitalised first word is just the start of the sentence
        if name:
            return Subject(name.lower(), name, False)
    return None


def _sentence_entities(article: ArticleInput, field: str) -> dict[int, list[Entity]]:
    """A field's ORG and GPE entities by the start of their sentence, in their own order: each
    figure then looks at its sentence's few, not at every entity of the field."""

    def compute() -> dict[int, list[Entity]]:
        text = article.fields.text(field)
        grouped: dict[int, list[Entity]] = {}
        for entity in article.entities(field):
            if entity.get("label") in ("ORG", "GPE") and 0 <= entity["start"] < len(text):
                grouped.setdefault(sentence_bounds(text, entity["start"])[0], []).append(entity)
        return grouped

    return article.memo(("sentence entities", field), compute)


def figure_subject(article: ArticleInput, row: Located) -> Subject | None:
    """:func:`subject_of` for a located figure, computed once per article and figure."""

    def compute() -> Subject | None:
        s_start, _ = sentence_bounds(row.text, row.start)
        inside = _sentence_entities(article, row.field).get(s_start, [])
        return _subject_in(row.text, row.figure, inside, s_start)

    return article.memo(("subject", row.field, row.start), compute)


def figure_measure(article: ArticleInput, row: Located) -> str | None:
    """:func:`measure_of` for a located figure, computed once per article and figure."""
    key = (
        "measure",
        row.field,
        row.start,
        row.end,
        row.figure.get("label"),
        row.figure.get("unit"),
    )
    return article.memo(key, lambda: measure_of(row.text, row.figure))


def figure_role(article: ArticleInput, row: Located) -> str:
    """:func:`role_of` for a located figure, computed once per article and figure."""
    return article.memo(
        ("role", row.field, row.start, row.end), lambda: role_of(row.text, row.figure)
    )


_LETTERS = re.compile(r"[A-Za-z]+")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=4096)
def _measure_words(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, str, str], ...]]:
    """The measure words of ``text``: their starts, and (start, word, group) in reading order."""
    found = []
    for match in _LETTERS.finditer(text):
        word = match.group(0).lower()
        group = MEASURE_WORDS.get(word)
        if group is not None:
            found.append((match.start(), word, group))
    return tuple(f[0] for f in found), tuple(found)


def _cuts_word(text: str, offset: int) -> bool:
    """True when ``offset`` falls between two ASCII letters of one word."""
    return 0 < offset < len(text) and {text[offset - 1], text[offset]} <= _ASCII_LETTERS


def _clause_measure_words(text: str, c_start: int, c_end: int) -> list[tuple[int, str, str]]:
    """(offset, word, group) of the measure words within ``text[c_start:c_end]``."""
    if _cuts_word(text, c_start) or _cuts_word(text, c_end):  # a word cut in two reads as two
        shifted = _measure_words(text[c_start:c_end])[1]
        return [(c_start + pos, word, group) for pos, word, group in shifted]
    starts, found = _measure_words(text)
    first = bisect_left(starts, c_start)
    return [f for f in found[first : bisect_left(starts, c_end)] if f[0] + len(f[1]) <= c_end]


def measure_of(text: str, figure: Figure) -> str | None:
    """What the figure measures (see the module docstring), or None when the text does not say."""
    if figure.get("label") == "COUNT":
        return count_noun(figure.get("unit"))
    if figure.get("label") not in ("MONEY", "PERCENT"):
        return None
    c_start, c_end = clause_bounds(text, figure["start"], figure["end"])
    best: tuple[bool, int, str] | None = None
    for pos, word, group in _clause_measure_words(text, c_start, c_end):
        distance = figure["start"] - pos if pos < figure["start"] else pos - figure["end"]
        candidate = (word in WEAK_MEASURE_WORDS, distance, group)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def count_noun(unit: object) -> str | None:
    """A counted noun in one singular form, synonyms merged ("firms" and "companies" -> company)."""
    if not isinstance(unit, str) or not unit:
        return None
    word = unit.lower().split()[-1]
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _COUNT_SYNONYMS.get(word, word)


_COUNT_VERBS = {
    stem: verb
    for verb, stems in {
        "employ": "employ employs employed employing workforce headcount",
        "hire": "hire hires hired hiring recruit recruits recruited recruiting",
        "cut": "cut cuts cutting axe axes axed slash slashes slashed shed sheds lay lays laid",
        "create": "create creates created creating creation",
        "add": "add adds added adding",
        "sell": "sell sells sold selling sales",
        "deliver": "deliver delivers delivered deliveries",
        "carry": "carry carries carried carrying fly flies flew flown passengers",
        "build": "build builds built building",
        "open": "open opens opened opening",
        "close": "close closes closed closing closure closures",
    }.items()
    for stem in stems.split()
}
"""Verbs that tell which count of a noun a figure is ("employs 20,000 staff" and "to hire 300
staff" are different measures), by the form they take."""


def count_verb(text: str, figure: Figure) -> str | None:
    """The verb of a COUNT figure from :data:`_COUNT_VERBS`, within five words before it in its
    clause; None when there is none."""
    c_start, _ = clause_bounds(text, figure["start"], figure["end"])
    before = re.findall(r"[A-Za-z]+", text[max(c_start, figure["start"] - 60) : figure["start"]])
    for word in reversed(before[-5:]):
        verb = _COUNT_VERBS.get(word.lower())
        if verb is not None:
            return verb
    return None


def role_of(text: str, figure: Figure) -> str:
    """``change``, ``previous`` or ``level`` (see the module docstring)."""
    before = text[max(0, figure["start"] - 40) : figure["start"]]
    if (
        _ends_in(before, _CHANGE_LAST_WORDS) and _CHANGE_BEFORE.search(before)
    ) or _CHANGE_AFTER.match(text, figure["end"]):
        return "change"
    if _may_hold(before, _FROM_WORDS) and _FROM_BEFORE.search(before):
        return "previous"
    return "level"


def _ends_in(before: str, last_words: frozenset[str]) -> bool:
    """False when ``before`` cannot end with one of ``last_words`` and whitespace (then no
    search is needed); True when it may, or when its last word is not ASCII (case folding)."""
    stripped = before.rstrip()
    if len(stripped) == len(before):
        return False
    start = len(stripped)
    while start and stripped[start - 1].isalpha():
        start -= 1
    last = stripped[start:]
    return not last.isascii() or last.lower() in last_words


def _may_hold(before: str, needles: tuple[str, ...]) -> bool:
    """False when no needle is in ``before`` ignoring case (then no search is needed)."""
    if not before.isascii():
        return True
    lowered = before.lower()
    return any(needle in lowered for needle in needles)


def year_of(text: str, figure: Figure) -> str | None:
    """The year the figure's clause names ("2025 revenue", "in FY2024"), or None."""
    c_start, c_end = clause_bounds(text, figure["start"], figure["end"])
    found = _YEAR.search(text, c_start, c_end)
    return found.group(1) if found else None
