"""Deciding a figure's currency from the article's own evidence, and keeping the reason.

The rules in :mod:`.figures` leave a placeholder where the text alone does not pin a currency: a
bare "$", "dollars" or "cents" (:data:`~.currencies.BARE_DOLLAR`), "¥" (yen or yuan), "a penny",
or a name several countries use ("pesos"). :func:`resolve_currencies` replaces each with an ISO
code, or with None, and sets ``currency_reason`` on every money figure.

A bare dollar, in order (the first rule that applies decides):

1. a conversion in brackets or after ", or about" right after an amount in another currency
   ("HK$50 billion ($6.37 billion)", "£2bn, or about $2.5bn") is the US dollar;
2. the article's front-matter ``currency:`` when it is a dollar;
3. the same amount written with an explicit dollar elsewhere ("$50B" with "HK$50 billion");
4. an explicit non-US dollar ("A$", "$A", "C$", "Australian dollars") in the same sentence;
5. the publication's home currency (:mod:`.publications`): its own dollar, or the US dollar when
   its home currency is not a dollar (a British paper's "$" is American);
6. one kind of explicit non-US dollar elsewhere in the article ("S$" in another paragraph), or the
   nearest one in the same paragraph when the article writes several;
7. the user's default currency (``CLAIMDESK_CURRENCY``), read the same way as a home currency;
8. otherwise None, with the reason.

The publication comes before markers elsewhere in the article because a paper prefixes exactly
the dollars that are *not* its own: an Australian paper's one "NZ$" does not make its bare "$"
New Zealand's. For the same reason "US$" elsewhere is never evidence that a bare "$" is American.

"¥" is decided per figure: the nearest yen or yuan evidence in the same sentence, then paragraph,
then article, where currency words (yen, yuan, RMB) outweigh a possessive country ("Japan's"),
which outweighs any other country or city word ("Tokyo", "Chinese"), and among equals a word
before the figure outweighs one after it. Beyond the figure's paragraph only currency words count
(a "Shanghai" three paragraphs on says nothing about a Tokyo bank's ¥2 trillion). Then the
publication, the default, else None.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

from tui.core.extract import currencies as cur
from tui.core.extract.figure_context import EMPTY, FigureContext
from tui.core.extract.publications import Home, home_for, publication

DOLLARS = frozenset({"USD", "AUD", "CAD", "SGD", "NZD", "HKD", "TWD"})
"""Currencies written with a bare "$" in their home press."""
YEN_OR_YUAN = frozenset({"JPY", "CNY"})
"""What "¥" can stand for."""

EXPLICIT = "the currency is written with the amount"
"""The reason of a figure whose own marker names its currency ("HK$", "€", "rupees")."""

_MARKER_RE = re.compile(
    r"(?<![A-Za-z])(?P<pre>HK|US|U\.S\.|AU|A|CA|C|SG|S|NZ|NT)\$"
    r"|\$(?P<post>US|A|NZ|C|HK|S)(?=\s?\d)"
    r"|(?<![A-Za-z])(?P<name>Australian|Aussie|Canadian|Singapore|New Zealand|Hong Kong|Taiwan"
    r"|US|U\.S\.|American) dollars?\b"
    r"|(?<![A-Za-z])(?P<code>AUD|CAD|SGD|NZD|HKD|TWD|USD)(?![A-Za-z])"
)
_MARKER_CODES = {
    "HK": "HKD", "US": "USD", "U.S.": "USD", "AU": "AUD", "A": "AUD", "CA": "CAD", "C": "CAD",
    "SG": "SGD", "S": "SGD", "NZ": "NZD", "NT": "TWD", "Australian": "AUD", "Aussie": "AUD",
    "Canadian": "CAD", "Singapore": "SGD", "New Zealand": "NZD", "Hong Kong": "HKD",
    "Taiwan": "TWD", "American": "USD",
}  # fmt: skip
_YEN_RE = re.compile(
    r"(?<![A-Za-z])(?:(?P<jcur>yen|JPY)|(?P<ccur>yuan|renminbi|RMB|Rmb|CNY|CNH)"
    r"|(?P<jpos>Japan)['’]s|(?P<cpos>China)['’]s"
    r"|(?P<jword>Japan(?:ese)?|Tokyo|Osaka|Nikkei|Topix|BOJ|BoJ)"
    r"|(?P<cword>China|Chinese|Beijing|Shanghai|Shenzhen|Guangzhou|PBOC|PBoC|mainland))(?![A-Za-z])"
)
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9$£€¥])|\n")
_CONVERSION_GAP_RE = re.compile(
    r"\s*(?:[(\[]|,?\s+or\s+|,\s+)\s*(?:(?:about|around|approximately|roughly|some|nearly|or)\s+)?"
)


@dataclass(frozen=True)
class _Mark:
    """One piece of evidence at a position: a currency and the words that say so."""

    pos: int
    currency: str
    words: str
    strength: int = 1


class TextEvidence:
    """Sentence and paragraph bounds and currency evidence of one text, found once and lazily."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sentence_starts: list[int] | None = None
        self._paragraph_starts: list[int] | None = None
        self._dollars: list[_Mark] | None = None
        self._non_us: list[_Mark] | None = None
        self._yen: list[_Mark] | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence holding ``pos``."""
        if self._sentence_starts is None:
            self._sentence_starts = [0, *(m.end() for m in _SENTENCE_END_RE.finditer(self.text))]
        return _bounds(self._sentence_starts, pos, len(self.text))

    def paragraph(self, pos: int) -> tuple[int, int]:
        """The bounds of the line (paragraph) holding ``pos``."""
        if self._paragraph_starts is None:
            text = self.text
            starts, at = [0], text.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = text.find("\n", at + 1)
            self._paragraph_starts = starts
        return _bounds(self._paragraph_starts, pos, len(self.text))

    def dollars(self) -> list[_Mark]:
        """Every explicit dollar marker ("A$", "$US", "Canadian dollars", "SGD") in the text."""
        if self._dollars is None:
            self._dollars = []
            for m in _MARKER_RE.finditer(self.text):
                key = m.group("pre") or m.group("post") or m.group("name")
                code = _MARKER_CODES[key] if key else m.group("code")
                self._dollars.append(_Mark(m.start(), code, m.group(0).strip()))
        return self._dollars

    def non_us_dollars(self) -> list[_Mark]:
        """The explicit dollar markers that are not US dollars, in text order."""
        if self._non_us is None:
            self._non_us = [m for m in self.dollars() if m.currency != "USD"]
        return self._non_us

    def yen(self) -> list[_Mark]:
        """Every word that points "¥" to yen or to yuan, with its strength (3 strongest)."""
        if self._yen is None:
            self._yen = []
            for m in _YEN_RE.finditer(self.text):
                kind = m.lastgroup or ""
                strength = 3 if kind.endswith("cur") else 2 if kind.endswith("pos") else 1
                currency = "JPY" if kind.startswith("j") else "CNY"
                self._yen.append(_Mark(m.start(), currency, m.group(0), strength))
        return self._yen


def _bounds(starts: list[int], pos: int, length: int) -> tuple[int, int]:
    index = bisect_right(starts, pos) - 1
    end = starts[index + 1] if index + 1 < len(starts) else length
    return starts[index], end


def _quote(words: str) -> str:
    return f"“{words}”"


def _home(context: FigureContext) -> tuple[Home, str] | None:
    """The publication's home and the reason's subject, or None when unknown."""
    found = publication(context.source, context.url)
    if found is None:
        return None
    return found.home, f"the article's publication ({found.named_by}) is {found.home.country}"


def _as_home_dollar(home: Home, subject: str) -> tuple[str, str]:
    """A bare dollar read under a home currency: that dollar, or USD for a non-dollar home."""
    if home.currency in DOLLARS:
        return home.currency, subject
    return "USD", f"{subject}; a bare “$” there is the US dollar"


def _nearest(marks: list[_Mark], pos: int, lo: int, hi: int) -> _Mark | None:
    """The strongest mark inside ``lo:hi``, one before ``pos`` first (the subject comes first),
    then the nearest. ``marks`` are in text order."""
    inside = marks[_first_at(marks, lo) : _first_at(marks, hi)]
    if not inside:
        return None
    return max(inside, key=lambda m: (m.strength, m.pos < pos, -abs(m.pos - pos)))


def _first_at(marks: list[_Mark], pos: int) -> int:
    """The index of the first mark at or after ``pos`` (binary search; marks are in order)."""
    lo, hi = 0, len(marks)
    while lo < hi:
        mid = (lo + hi) // 2
        if marks[mid].pos < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


class _Explicit:
    """The money figures whose own marker named their currency, indexed once per text."""

    def __init__(self, figures: list[dict[str, Any]]) -> None:
        self.figures = [
            f
            for f in figures
            if f["label"] == "MONEY"
            and f["currency"] not in cur.PLACEHOLDERS
            and f.get("currency_reason", EXPLICIT) == EXPLICIT
        ]
        self.ids = {id(f) for f in self.figures}
        self.by_amount: dict[float, dict[str, Any]] = {}
        """The first non-US dollar figure of each amount ("HK$50 billion" for a "$50B")."""
        for figure in self.figures:
            if figure["currency"] in DOLLARS - {"USD"}:
                self.by_amount.setdefault(figure["value"], figure)
        self.british = any(f["currency"] == "GBP" for f in self.figures)
        self._yen: list[_Mark] | None = None

    def yen_marks(self, evidence: TextEvidence) -> list[_Mark]:
        """The text's yen/yuan evidence, where a currency word inside one of these figures
        ("500 billion yuan") counts only as much as a possessive country ("Japan's")."""
        if self._yen is None:
            spans = sorted((f["start"], f["end"]) for f in self.figures)
            starts = [a for a, _ in spans]
            self._yen = []
            for mark in evidence.yen():
                at = bisect_right(starts, mark.pos) - 1
                inside = at >= 0 and mark.pos < spans[at][1]
                self._yen.append(
                    replace(mark, strength=2) if inside and mark.strength == 3 else mark
                )
        return self._yen


def _dollar(
    figure: dict[str, Any], previous: dict[str, Any] | None, explicit: _Explicit,
    evidence: TextEvidence, context: FigureContext,
) -> tuple[str | None, str]:  # fmt: skip
    """(currency, reason) for a bare dollar (see the module docstring for the order)."""
    text, start = evidence.text, figure["start"]
    if previous is not None and id(previous) in explicit.ids:
        gap = text[previous["end"] : start]
        prior = previous["currency"]
        if _CONVERSION_GAP_RE.fullmatch(gap):
            if prior != "USD":
                return "USD", f"a conversion of “{previous['text']}”, so the US dollar"
            home = _home(context)
            if home and home[0].currency in DOLLARS - {"USD"}:
                return home[0].currency, f"a conversion of “{previous['text']}”; {home[1]}"
    if context.currency in DOLLARS:
        return context.currency, f"the article's front matter sets currency: {context.currency}"
    if (other := explicit.by_amount.get(figure["value"])) is not None:
        return other["currency"], f"the article writes the same amount as “{other['text']}”"
    non_us = evidence.non_us_dollars()
    lo, hi = evidence.sentence(start)
    if near := _nearest(non_us, start, lo, hi):
        return near.currency, f"{_quote(near.words)} appears in the same sentence"
    if home := _home(context):
        return _as_home_dollar(*home)
    kinds = sorted({m.currency for m in non_us})
    if len(kinds) == 1:
        return kinds[0], f"{_quote(non_us[0].words)} appears in the same article"
    if kinds and (near := _nearest(non_us, start, *evidence.paragraph(start))):
        return near.currency, f"{_quote(near.words)} appears in the same paragraph"
    if context.default_currency:
        subject = f"your default currency is {context.default_currency}"
        return _as_home_dollar(home_for(context.default_currency), subject)
    if kinds:
        written = ", ".join(sorted({m.words for m in non_us}))
        return None, f"unknown: the article writes several dollars ({written}), none near this one"
    if any(m.currency == "USD" for m in evidence.dollars()):
        return None, (
            "unknown: a bare “$” in an article that marks US dollars as “US$”, "
            "with no evidence of which dollar it is"
        )
    return None, "unknown: a bare “$” with no evidence of which dollar"


def _yen_or_yuan(
    figure: dict[str, Any], evidence: TextEvidence, context: FigureContext, marks: list[_Mark]
) -> tuple[str | None, str]:
    """(currency, reason) for "¥": the nearest evidence, then publication, override, default."""
    if context.currency in YEN_OR_YUAN:
        return context.currency, f"the article's front matter sets currency: {context.currency}"
    start = figure["start"]
    for scope, bounds in (
        ("sentence", evidence.sentence(start)),
        ("paragraph", evidence.paragraph(start)),
        ("article", (0, len(evidence.text))),
    ):
        if scope == "article":  # a country named in another paragraph says little about this
            marks = [m for m in marks if m.strength == 3]
        if near := _nearest(marks, start, *bounds):
            where = f"in the same {scope}" if scope != "article" else "nearest in the article"
            return near.currency, f"{_quote(near.words)} {where}"
    home = _home(context)
    if home and home[0].currency in YEN_OR_YUAN:
        return home[0].currency, home[1]
    if context.default_currency in YEN_OR_YUAN:
        return context.default_currency, f"your default currency is {context.default_currency}"
    return None, "unknown: a “¥” with no evidence of yen or yuan"


def _named(figure: dict[str, Any], context: FigureContext) -> tuple[str | None, str]:
    """(currency, reason) for a name several countries use ("pesos", "dinars", "crowns")."""
    name = figure.get("unit") or "this currency"
    family = cur.name_family(name)
    home = _home(context)
    for code, why in (
        (context.currency, f"the article's front matter sets currency: {context.currency}"),
        (home[0].currency if home else None, home[1] if home else ""),
        (context.default_currency, f"your default currency is {context.default_currency}"),
    ):
        if code and code in family:
            return code, why
    return None, f"unknown: “{name}” names several currencies and the article does not say which"


def resolve_currencies(
    text: str,
    figures: list[dict[str, Any]],
    context: FigureContext | None = None,
    evidence: TextEvidence | None = None,
) -> list[dict[str, Any]]:
    """``figures`` (in reading order) with placeholders resolved and ``currency_reason`` set.

    Figures that already have a ``currency_reason`` are kept as they are and serve as evidence
    (a body resolved first, then its headline read against it).
    """
    context = context or EMPTY
    evidence = evidence or TextEvidence(text)
    british: bool | None = None
    previous: dict[str, Any] | None = None
    explicit = _Explicit(figures)
    for figure in figures:
        currency = figure.get("currency")
        if "currency_reason" in figure:
            pass
        elif figure["label"] != "MONEY":
            figure["currency_reason"] = None
        elif currency == cur.PENNY:
            if british is None:
                british = explicit.british or bool(cur.BRITISH_RE.search(text))
            if british:
                figure["currency"] = "GBP"
                figure["currency_reason"] = "the article writes British money (£, pence, sterling)"
            else:
                figure["currency"], figure["currency_reason"] = _dollar(
                    figure, previous, explicit, evidence, context
                )
        elif currency == cur.BARE_DOLLAR:
            figure["currency"], figure["currency_reason"] = _dollar(
                figure, previous, explicit, evidence, context
            )
        elif currency == cur.YEN_OR_YUAN:
            figure["currency"], figure["currency_reason"] = _yen_or_yuan(
                figure, evidence, context, explicit.yen_marks(evidence)
            )
        elif currency is None:
            figure["currency"], figure["currency_reason"] = _named(figure, context)
        else:
            figure["currency_reason"] = EXPLICIT
        previous = figure
    return figures
