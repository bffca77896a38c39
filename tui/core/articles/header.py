"""What an article's text says about itself: headline, byline, date, publication.

Used by the importer (:mod:`tui.core.articles.importer`) to fill the front matter; every pattern
here is matched against a whole paragraph or sentence, so prose that merely mentions a date or a
name is never taken for a byline or a date line.
"""

from __future__ import annotations

import re

from tui.core.articles.boilerplate import Removal, sentences
from tui.core.articles.library import slugify

TITLE_MAX_CHARS = 80
"""A derived title is cut at a word boundary to at most this many characters."""

_NAME_WORD = r"(?>(?-i:[A-Z])[\w.'’-]*)"
"""A capitalised word, matched atomically: a hyphen inside it is never re-read as a separator
(that choice made "By A-A-A-…!" take exponential time)."""
_PERSON = _NAME_WORD + r"(?: (?:de|van|von|bin|da|del|" + _NAME_WORD + r")){0,4}"
_PERSONS = _PERSON + r"(?:(?:,| and| &) " + _PERSON + r")*"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?P<date>{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
_TIME = r"(?:at )?\d{1,2}[:.]\d{2} ?(?:am|pm|a\.m\.|p\.m\.)?(?: [A-Z]{2,4})?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,? )"
_DATE_PHRASE = rf"(?:{_TIME},? )?{_WEEKDAY}?{_DATE}(?:,? {_TIME})?"
DATELINE = re.compile(
    rf"(?:(?:first |last )?(?:published|updated|posted|date)(?: on)?:? )?{_DATE_PHRASE}\.?",
    re.IGNORECASE,
)
"""A line that is only a publication date, e.g. 'Published: March 5, 2025, 10:00am'."""
BYLINE = re.compile(
    rf"(?:(?:written|reported|words|story|text) )?(?:by|author):? (?P<name>{_PERSONS})"
    rf"(?: ?[|,·•–—-] ?(?:{_DATE_PHRASE}|{_NAME_WORD}(?: {_NAME_WORD}){{0,4}}))*\.?",
    re.IGNORECASE,
)
"""'By Jane Doe', 'Written by Zane Howard', 'By A and B | Reuters | 5 March 2025'."""

CREDITED_WRITER = re.compile(rf"(?:reporting|writing) by ({_PERSONS})", re.IGNORECASE)
"""The writer named in a wire-service credit line, used when there is no byline."""

_PUBLICATION = (
    r"(?P<name>(?>(?-i:[A-Z])[\w&.'’-]*)(?: (?:of |the |and |& )?(?>(?-i:[A-Z])[\w&.'’-]*)){0,5})"
)
SOURCE_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"more (?:stories |news |articles )?from (?-i:the )?{_PUBLICATION} ?:?",
        rf"for the latest news from (?-i:the )?{_PUBLICATION},? download\b",
        rf"get (?:the|our) {_PUBLICATION} newsletter\b",
        rf"(?:copyright|©) (?:© )?(?:\d{{4}} )?{_PUBLICATION}",
    )
)
"""Footer phrases that name the publication, tried in order on the removed paragraphs."""
SOURCE_LINE = re.compile(
    rf"(?:source|sources|via|credit|from):? (?-i:the )?{_PUBLICATION}", re.IGNORECASE
)
"""A header line that only names the publication: 'Source: Reuters', 'Via Bloomberg'."""
WIRE_SERVICES = frozenset(
    name.casefold()
    for name in (
        "Reuters", "AP", "Associated Press", "The Associated Press", "AFP", "Agence France-Presse",
        "Bloomberg", "Bloomberg News", "PA", "PA Media", "Xinhua", "dpa", "ANSA", "EFE", "Kyodo",
        "Kyodo News", "Yonhap", "Bernama", "PTI", "ANI", "IANS", "AAP", "The Canadian Press",
        "UPI", "TASS", "Anadolu", "CNA", "Antara", "Jiji Press", "Europa Press", "NTB", "TT",
        "Belga", "APA", "Keystone-SDA", "RIA Novosti", "Interfax", "Ukrinform", "PAP", "CTK",
    )
)  # fmt: skip
"""Wire services and news agencies whose name alone on a header line is a credit line."""
_DOMAIN = re.compile(
    r"\b(?:www\.)?([a-z0-9][a-z0-9-]{1,40})\.(?:com|net|org|news|co\.uk|com\.hk|hk|io)\b",
    re.IGNORECASE,
)
_SPELLED_OUT = re.compile(r"((?:(?>[\w-]+) ){1,9})\((?-i:([A-Z]{2,6}))\) ?")
_ATTRIBUTION = re.compile(
    r",? (?:according to|(?:(?>[\w’'-]+) ){1,6}(?:said|says|told|reported))\b[^,]*$"
)
_TITLE_SOURCE_CHARS = 1000
"""Only this much of the first sentence is read to derive a title (it is cut to 80 anyway)."""
_SMALL_WORDS = "a an and as at by for from in into of on or the to with who which that its their"
_STOP_WORDS = frozenset(_SMALL_WORDS.split())


def looks_like_title(paragraph: str) -> bool:
    """A headline: short, not ending like a sentence or a label, and not a byline or date."""
    text = paragraph.strip()
    return (
        len(text) <= 160
        and len(text.split()) <= 20
        and text[-1] not in ".:;,"
        and len(sentences(text)) == 1
        and not BYLINE.fullmatch(text)
        and not DATELINE.fullmatch(text)
    )


def parse_date(text: str) -> str | None:
    """ISO date ``YYYY-MM-DD`` of the date in a date line, or None."""
    from dateutil import parser

    match = DATELINE.search(text)
    if match is None:
        return None
    try:
        return str(parser.parse(match.group("date").replace(".", " ")).date().isoformat())
    except (ValueError, OverflowError):
        return None


def detect_source(cuts: list[Removal]) -> str | None:
    """The publication named in the removed footer text, or None.

    Tries the phrases of :data:`SOURCE_PATTERNS` in order, then a web domain ("webpronews.com"),
    spelled as the text spells the name elsewhere ("WebProNews") when it does.
    """
    texts = [cut.text for cut in cuts]
    for pattern in SOURCE_PATTERNS:
        for text in texts:
            for sentence in sentences(text):
                match = pattern.match(sentence)
                if match:
                    return match.group("name").rstrip(".,:;")
    words = {
        w.strip(".,:;!?()'\"“”’").casefold(): w.strip(".,:;!?()'\"“”’")
        for t in texts
        for w in t.split()
        if any(c.isupper() for c in w)
    }
    domains = [m for t in texts for m in _DOMAIN.finditer(t)]
    for domain in domains:
        if domain.group(1).casefold() in words:
            return words[domain.group(1).casefold()]
    return domains[0].group(0).removeprefix("www.") if domains else None


def _abbreviate(match: re.Match[str]) -> str:
    """'Hong Kong Science and Technology Parks (HKSTP)' -> 'HKSTP' when the initials agree."""
    words, short = match.group(1).split(), match.group(2).casefold()
    initials = ""
    for start in range(len(words) - 1, -1, -1):
        if words[start].casefold() not in _STOP_WORDS:
            initials = words[start][0].casefold() + initials
        if initials == short:
            return " ".join([*words[:start], match.group(2)]) + " "
        if not short.endswith(initials):
            break
    return match.group(0)


def derive_title(body: str) -> str:
    """A headline from the first sentence: shortened and cut at a word boundary.

    A trailing attribution (", according to …", ", officials said") goes; in a sentence still
    longer than :data:`TITLE_MAX_CHARS`, "artificial intelligence (AI)" becomes "AI", and what
    remains too long is cut after a content word and marked with "…".
    """
    first = sentences(body.split("\n", 1)[0][:_TITLE_SOURCE_CHARS])[0].rstrip(".!?")
    unattributed = _ATTRIBUTION.sub("", first)
    if len(unattributed) >= 15:
        first = unattributed
    if len(first) > TITLE_MAX_CHARS:
        first = _SPELLED_OUT.sub(_abbreviate, first)
    if len(first) <= TITLE_MAX_CHARS:
        return first
    words: list[str] = []
    for word in first.split():
        if len(" ".join([*words, word])) > TITLE_MAX_CHARS - 1:
            break
        words.append(word)
    while len(words) > 3 and (
        words[-1].casefold().strip(",;:") in _STOP_WORDS
        or words[-1].count("(") > words[-1].count(")")
    ):
        words.pop()
    return " ".join(words).rstrip(",;:-–—") + "…"


def article_slug(title: str) -> str:
    """The title's slug without trailing small words ("…-hub-for" becomes "…-hub")."""
    parts = slugify(title).split("-")
    while len(parts) > 3 and parts[-1] in _STOP_WORDS:
        parts.pop()
    return "-".join(parts)
