"""Stated changes: "rose 15% to 300 from 200", "fell by half", "a 3-point gain from 41% to 45%".

:func:`change_statements` reads every change a sentence states: its trigger (a verb such as
"rose", "doubled", "halved", or a noun such as "a 15% increase", "an increase of 20%"), the
direction, the stated magnitude (percent, points, a ratio or an amount) and the former and new
values when the sentence gives them ("to X from Y", "from Y to X", "X, up from Y").

The size and the values are read by :mod:`.change_values`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.checks.change_values import (
    MULTIPLIER_TOLERANCE,
    Magnitude,
    Value,
    figure_value,
    magnitude,
    value_at,
)
from tui.core.checks.inputs import ArticleInput, Figure
from tui.core.checks.reading import MEASURE_WORDS, clause_bounds, count_noun, sentence_starts
from tui.core.extract.context import words

_UP = (
    "rose|rises|risen|rising|increased|increases|increasing|grew|grows|grown|growing|jumped"
    "|jumps|climbed|climbs|gained|gains|soared|soars|surged|surges|up|rebounded|swelled"
    "|expanded|expands|widened|advanced|added"
)
_DOWN = (
    "fell|falls|fallen|falling|dropped|drops|declined|declines|decreased|decreases|slid"
    "|slides|slipped|slips|sank|sinks|plunged|plunges|tumbled|tumbles|down|shrank|shrunk"
    "|shrinks|slumped|contracted|narrowed|lost|eased|dipped|cut|cuts|slashed|reduced|lowered"
)
_MULTIPLY = {
    "doubled": 2,
    "doubles": 2,
    "double": 2,
    "doubling": 2,
    "tripled": 3,
    "triples": 3,
    "triple": 3,
    "trebled": 3,
    "trebles": 3,
    "quadrupled": 4,
    "quadruples": 4,
    "halve": 0.5,
    "halved": 0.5,
    "halves": 0.5,
    "halving": 0.5,
}
_NOUNS_UP = "increase|rise|gain|jump|growth|hike|surge|rebound"
_NOUNS_DOWN = "drop|fall|decline|decrease|cut|slump|loss|dip|contraction"
_TRIGGER = re.compile(
    rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN})|(?P<mult>{'|'.join(_MULTIPLY)})"
    rf"|(?P<noun_up>{_NOUNS_UP})|(?P<noun_down>{_NOUNS_DOWN}))\b(?!-)",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r"(?:\s+(?:by|about|around|nearly|almost|roughly|some|more than|less than|over|just"
    r"|a further|another|an estimated))*\s+",
    re.IGNORECASE,
)
_OF_RE = re.compile(r"\s+of\s+", re.IGNORECASE)
_BY_LATER = re.compile(r"(?:\s+(?!to\b|from\b)[\w'’-]+){1,4}?\s+by\s+", re.IGNORECASE)
"""Up to four words (an object, not "to"/"from") between a verb and "by <size>"."""
_TO_RE = re.compile(r"\bto\s+", re.IGNORECASE)
_FROM_RE = re.compile(r"\bfrom\s+", re.IGNORECASE)
_STOP = words(
    "has have had was were is are be been will would could may might also had "
    "just more than nearly almost about by the a an its their his her this that "
    "and or but which who it they than sharply steadily slightly further"
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Change:
    """One stated change (see the module docstring)."""

    start: int
    end: int
    trigger: str
    direction: int
    """+1 rise, -1 fall."""
    kind: str | None
    """"percent", "points", "ratio", "amount", or None when only the direction is stated."""
    magnitude: tuple[float, float] | None
    """The stated magnitude as an interval (always positive; the direction gives the sign)."""
    magnitude_span: tuple[int, int, str] | None
    former: Value | None
    new: Value | None
    subject: str | None
    """What changed, as one word ("exports", "profit"), when the words before the trigger say."""
    amount_label: tuple[str, str | None] | None = None
    """(label, currency) of an "amount" magnitude, to compare with the values' own."""

    def ratio(self) -> tuple[float, float] | None:
        """new / former as an interval: from the values when given, else from the magnitude."""
        if self.former and self.new and self.former.low > 0:
            return self.new.low / self.former.high, self.new.high / self.former.low
        if self.magnitude is None:
            return None
        lo, hi = self.magnitude
        if self.kind == "ratio":
            return lo, hi
        if self.kind == "percent":
            sign = self.direction
            a, b = 1 + sign * lo / 100, 1 + sign * hi / 100
            return min(a, b), max(a, b)
        return None

    def spans(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of the trigger, magnitude and values, in reading order."""
        parts = [(self.start, self.end, self.trigger)]
        if self.magnitude_span:
            parts.append(self.magnitude_span)
        parts += [(v.start, v.end, v.text) for v in (self.former, self.new) if v]
        return sorted(set(parts))


_OBJECT_AFTER = re.compile(r"\s+(?:its|their|his|her|the)\s+(?:[a-z-]+\s+)?(?P<w>[a-z]+)\b")
"""The object of a transitive change: "Lufthansa doubled its profit"."""


def _subject(
    text: str, sentence_start: int, trigger_start: int, trigger_end: int | None = None
) -> str | None:
    """The word naming what changed: a measure word right after the trigger ("doubled its
    profit"), else the nearest content word before it."""
    after = _OBJECT_AFTER.match(text, trigger_end) if trigger_end is not None else None
    if after and (group := MEASURE_WORDS.get(after.group("w"))):
        return group
    window = max(sentence_start, trigger_start - 60)  # four words back need no more
    words = list(_WORD_RE.finditer(text, window, trigger_start))
    if window > sentence_start and words:
        words = words[1:]  # the first may be cut in half
    for match in reversed(words[-4:]):
        word = match.group(0).lower().rstrip("'’s") or match.group(0).lower()
        if word in _STOP:
            continue
        group = MEASURE_WORDS.get(match.group(0).lower())
        return group or count_noun(match.group(0)) or word
    return None


def _values_after(
    text: str, pos: int, end: int, figures: Sequence[Figure]
) -> tuple[Value | None, Value | None]:
    """(former, new) from "to X", "from Y" after ``pos`` and before ``end``."""
    former = new = None
    for regex in (_TO_RE, _FROM_RE):
        hit = regex.search(text, pos, end)
        if hit is None:
            continue
        value = value_at(text, hit.end(), end, figures)
        if value is None:
            continue
        if regex is _TO_RE:
            new = value
        else:
            former = value
    return former, new


def field_changes(article: ArticleInput, field: str) -> list[Change]:
    """The changes stated in one field of an article (computed once per article and field)."""

    def compute() -> list[Change]:
        figures = article.figures_by_field.get(field) or ()
        valued = [f for f in figures if f.get("value") is not None]
        return change_statements(article.fields.text(field), valued)

    return article.memo(("changes", field), compute)


def change_statements(text: str, figures: Sequence[Figure]) -> list[Change]:
    """Every change stated in ``text`` (one field), in reading order."""
    starts = sentence_starts(text)
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    figures = sorted(figures, key=lambda f: f["start"])
    by_sentence: dict[int, list[Change]] = {}
    for word in _WORD_SCAN.finditer(text):
        if word.group(0).lower() not in _TRIGGER_WORDS:
            continue  # a set lookup per word: far cheaper than scanning with the alternation
        trigger = _TRIGGER.match(text, word.start())
        if trigger is None:
            continue
        index = bisect_right(starts, trigger.start()) - 1
        s_start, s_end = bounds[index]
        change = _read(text, trigger, s_start, s_end, figures)
        if change is not None:
            by_sentence.setdefault(index, []).append(change)
    found: list[Change] = []
    for index in sorted(by_sentence):
        found.extend(_merge(text, by_sentence[index]))
    return found


_NOUN_FORMS = frozenset(f"{_NOUNS_UP}|{_NOUNS_DOWN}".split("|"))
_TRIGGER_WORDS = frozenset(f"{_UP}|{_DOWN}|{_NOUNS_UP}|{_NOUNS_DOWN}".split("|")) | set(_MULTIPLY)
_WORD_SCAN = re.compile(r"[A-Za-z]+")


def _noun_magnitude(
    text: str, trigger: re.Match[str], s_start: int, figures: Sequence[Figure]
) -> Magnitude | None:
    """The size in front of a change noun: "a 15% increase", "a 3-point gain", "a 25% cut"."""
    if trigger.group(0).lower() not in _NOUN_FORMS:
        return None
    before = text[max(s_start, trigger.start() - 30) : trigger.start()]
    prefix = re.search(r"(?:\ban?\s+)(?P<m>\S+(?:\s\S+)?)\s*\Z", before)
    if prefix is None:
        return None
    m_start = trigger.start() - len(before) + prefix.start("m")
    # "a 3-point gain": the hyphenated form is no figure, so it may run up to the noun
    return magnitude(text, m_start, trigger.start(), figures) or magnitude(
        text, m_start, trigger.end(), figures
    )


def _read(
    text: str, trigger: re.Match[str], s_start: int, s_end: int, figures: Sequence[Figure]
) -> Change | None:
    word = trigger.group(0).lower()
    s_end = min(s_end, clause_bounds(text, trigger.start(), trigger.end())[1])
    direction = -1 if (trigger.group("down") or trigger.group("noun_down")) else 1
    kind: str | None = None
    size: tuple[float, float] | None = None
    span: tuple[int, int, str] | None = None
    amount: tuple[str, str | None] | None = None
    end = trigger.end()
    noun = trigger.group("noun_up") or trigger.group("noun_down")
    if trigger.group("mult"):
        ratio = float(_MULTIPLY[word])
        direction = 1 if ratio > 1 else -1
        kind, size = (
            "ratio",
            (ratio * (1 - MULTIPLIER_TOLERANCE), ratio * (1 + MULTIPLIER_TOLERANCE)),
        )
    else:
        read = _noun_magnitude(text, trigger, s_start, figures)
        if read is None and noun and (of := _OF_RE.match(text, trigger.end())):
            read = magnitude(text, of.end(), s_end, figures)  # "an increase of 20%"
            if read:
                end = read[2][1]
        if read is None and noun:
            return None  # "the rise of AI": a noun without a stated size is no change
        if read is None:
            filler = _FILLER.match(text, trigger.end())
            pos = filler.end() if filler else trigger.end() + 1
            read = magnitude(text, pos, s_end, figures)
            by = _BY_LATER.match(text, trigger.end(), s_end) if read is None else None
            if by:  # "cut its dividend by a third"
                read = magnitude(text, by.end(), s_end, figures)
            if read:
                end = read[2][1]
        if read:
            kind, size, span, amount = read
    former, new = _values_after(text, end, s_end, figures)
    if word in ("up", "down") and former is not None and new is None:
        earlier = [f for f in figures if s_start <= f["start"] and f["end"] <= trigger.start()]
        if earlier and trigger.start() - earlier[-1]["end"] <= 4:  # "1,200 people, up from 1,000"
            new = figure_value(earlier[-1])
    if kind is None and former is None and new is None:
        return None
    if word in ("up", "down") and kind is None and former is None:
        return None  # "up to 40%" is a bound, "down to" a place
    return Change(
        trigger.start(),
        trigger.end(),
        trigger.group(0),
        direction,
        kind,
        size,
        span,
        former,
        new,
        _subject(
            text,
            s_start,
            min(trigger.start(), span[0] if span else trigger.start()),
            trigger.end(),
        ),
        amount,
    )


def _merge(text: str, changes: list[Change]) -> list[Change]:
    """Join "X, up from Y, an increase of 20%": one statement with values, one with a size, in
    one clause ("wages grew 6%, while inflation eased to 4.1% from 5.3%" are two changes)."""
    with_values = [c for c in changes if c.former and c.new and c.kind is None]
    with_size = [c for c in changes if c.kind is not None and not (c.former or c.new)]
    if len(with_values) == 1 and len(with_size) == 1:
        values, size = with_values[0], with_size[0]
        if clause_bounds(text, values.start, values.end) != clause_bounds(
            text, size.start, size.end
        ):
            return changes
        merged = Change(
            values.start,
            values.end,
            values.trigger,
            values.direction,
            size.kind,
            size.magnitude,
            size.magnitude_span,
            values.former,
            values.new,
            values.subject,
            size.amount_label,
        )
        return [c for c in changes if c is not values and c is not size] + [merged]
    return changes
