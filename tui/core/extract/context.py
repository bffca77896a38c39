"""The words around a number that decide what it is: its noun, a qualifier, a reference label.

Pure string rules used by :mod:`.figures`; no model.
"""

from __future__ import annotations

import re


def words(text: str) -> frozenset[str]:
    """The set of whitespace-separated words in ``text``."""
    return frozenset(text.split())


_WORD_RE = re.compile(r" +(?P<w>[A-Za-z][A-Za-z0-9'’&-]*)")
_MODEL_NUMBER_RE = re.compile(r" +(?P<w>\d+[A-Za-z]*)(?= +[A-Za-z])")
_ACRONYM_PLURAL_RE = re.compile(r"[A-Z][A-Z0-9]+s")
"""A plural of capitals ("GPUs", "CEOs", "EVs"), which the "-us"/"-is" rules would miss."""
QUALIFIER_RE = re.compile(
    r"(?:^|(?<=[\s(\"“‘]))(?P<q>(?:just |well |slightly )?(?:over|under|above|below)|about|around"
    r"|approximately|approx\.|nearly|almost|roughly|some|(?:more|less|fewer) than|up to"
    r"|at least|at most|as (?:much|many|few|little|high|low) as|close to|upwards of|in excess of"
    r"|an estimated|estimated|exceeding|no (?:more|less|fewer) than|between|from)\s+\Z",
    re.IGNORECASE,
)
"""Words right before an amount that qualify it ("about", "more than", "up to")."""
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:\n][\"”’)]?\s+|[\"“‘(]\s*)\Z")
_REFERENCE_WORDS = words(
    "article section chapter page no no. number route line item rule part title figure table "
    "act vol volume episode season series level phase stage grade class room gate platform "
    "terminal round game week day year model version flight pier unit"
)
_STOP_WORDS = words(
    "the a an of in on at to for with by from via and or but as than that which who whom whose "
    "is are was were be been being have has had will would could can may might should must per "
    "each every now already still also this these those their its his her our your my they it "
    "we he she not no so up down into onto out off while when where after before during since "
    "until including against among between across through within without about over under "
    "more less most least such other some any all both either"
)
_MODIFIERS = frozenset(["more", "new", "additional", "other", "extra", "fewer"])
_NOT_PLURAL = words(
    "was has does is this thus its yes less plus us bus gas news lens chaos bias alias "
    "status campus virus census focus bonus consensus basis crisis analysis thesis "
    "its' always perhaps whereas various previous famous serious"
)
_IRREGULAR_PLURALS = words(
    "people men women children staff personnel police cattle sheep fish deer aircraft "
    "feet teeth mice geese data media police"
)
_DURATIONS = words(
    "years months weeks days hours minutes seconds decades centuries quarters nights "
    "mornings evenings weekends olds year-olds times percent"
)
CHANGE_RE = re.compile(
    r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|climb(?:s|ed|ing)?|increas(?:e|es|ed|ing)"
    r"|jump(?:s|ed|ing)?|drop(?:s|ped|ping)?|declin(?:e|es|ed|ing)|gr[eo]w(?:s|n|ing)?"
    r"|gain(?:s|ed|ing)?|slip(?:s|ped|ping)?|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?"
    r"|plung(?:e|es|ed|ing)|rais(?:e|es|ed|ing)|cut(?:s|ting)?|lower(?:s|ed|ing)?"
    r"|lift(?:s|ed|ing)?|boost(?:s|ed|ing)?|reduc(?:e|es|ed|ing)|eas(?:e|es|ed|ing)"
    r"|up|down)\b",
    re.IGNORECASE,
)
"""A change verb before "X to Y" makes it two figures ("rose $2 to $85"), not a range."""


def counted_noun(text: str, end: int) -> tuple[str, int] | None:
    """The plural noun a count refers to ("84 innovative tech companies" -> companies)."""
    pos = end
    capitalised = False
    for _ in range(4):
        match = _WORD_RE.match(text, pos)
        if not match and capitalised:  # a model number inside a name: "150 Boeing 737 Max jets"
            match = _MODEL_NUMBER_RE.match(text, pos)
        if not match:
            return None
        word = match.group("w")
        capitalised = word[:1].isupper()
        lower = word.lower().rstrip("'’")
        if lower in _DURATIONS:
            return None
        if lower in _STOP_WORDS and lower not in _MODIFIERS:
            return None
        is_plural = (
            lower in _IRREGULAR_PLURALS
            or _ACRONYM_PLURAL_RE.fullmatch(word)
            or (
                len(lower) > 2
                and lower.endswith("s")
                and not lower.endswith(("ss", "us", "is", "ous", "'s", "’s"))
                and lower not in _NOT_PLURAL
            )
        )
        if is_plural:
            unit = word if any(c.isupper() for c in word[1:]) else word.lower()
            return unit, match.end()
        pos = match.end()
    return None


def is_reference(text: str, start: int) -> bool:
    """True for labels such as "Article 23", "Boeing 737", "page 12": no figure there."""
    before = text[max(0, start - 30) : start]
    if not before.endswith(" "):
        return False
    at = len(before) - 1
    while at and (before[at - 1].isalnum() or before[at - 1] in "_.&-"):
        at -= 1  # back over the word before the space: letters, digits and "_.&-"
    while at < len(before) - 1 and not ("A" <= before[at] <= "Z" or "a" <= before[at] <= "z"):
        at += 1  # it starts at its first ASCII letter
    word = before[at:-1]
    if not word:
        return False
    if word.lower() in _REFERENCE_WORDS:
        return True
    return any(c.isupper() for c in word) and not _SENTENCE_START_RE.search(before[:at])


_SOURCE_NOUNS = words("people persons sources officials insiders individuals executives bankers")
_ANONYMOUS_RE = re.compile(
    r",?\s+(?:familiar\s+with|briefed\s+on|with\s+(?:direct\s+)?knowledge|close\s+to\s+the"
    r"|knowledgeable|aware\s+of|involved\s+in\s+the|who\s+(?:asked|spoke|declined|requested"
    r"|were\s+not|was\s+not|did\s+not\s+want))\b",
    re.IGNORECASE,
)
_RESOLUTION_NOUNS = words(
    "tv tvs television televisions resolution video videos display displays screen screens "
    "monitor monitors content streaming camera cameras footage projector projectors panel "
    "panels gaming hdr ultra blu-ray oled"
)


def is_anonymous_source(unit: str | None, text: str, end: int) -> bool:
    """True for "two people familiar with the matter": who spoke, not a quantity to check."""
    return (
        unit is not None and unit.lower() in _SOURCE_NOUNS and bool(_ANONYMOUS_RE.match(text, end))
    )


def is_resolution(text: str, start: int, end: int) -> bool:
    """True for "4K TVs", "8K video", "shot in 4K": a display resolution, not 4,000 of anything."""
    token = text[start:end]
    if not re.fullmatch(r"(?:1[026]|[1-8])[Kk]", token):
        return False
    following = _WORD_RE.match(text, end)
    if following and following.group("w").lower() in _RESOLUTION_NOUNS:
        return True
    return text[max(0, start - 3) : start].lower() == "in " and not following


_CLAUSE_START_RE = re.compile(
    r"(?:\A|[.!?;:][\"”’)]?\s+|,\s+|[\"“‘(]\s*|\b(?:and|but|while|whereas|yet|so|of\s+(?:them|those"
    r"|these|which|whom))\s+)\Z",
    re.IGNORECASE,
)
_SUBJECT_VERB_RE = re.compile(
    r"\s+(?:have|has|had|are|were|will|would|could|can|may|might|must|said|say|says|expect"
    r"|expects|expected|plan|plans|planned|now|already|still|also|did|do|intend|intends|reported"
    r"|remain|remained)\b"
)


def is_bare_subject(text: str, start: int, end: int) -> bool:
    """True for a number that is the subject of its clause with its noun left out.

    "Since then, 95 have already cut their forecasts": the count starts a clause and a verb
    follows it. Its noun is the one counted in the previous sentence (see :mod:`.figures`).
    """
    return bool(
        _SUBJECT_VERB_RE.match(text, end)
        and _CLAUSE_START_RE.search(text, max(0, start - 12), start)
    )


_QUALIFIER_ENDS = frozenset(
    str.split(
        "over under above below about around approximately approx. nearly almost roughly some "
        "than to least most as of estimated exceeding between from"
    )
)
"""The last word of every qualifier in QUALIFIER_RE: a cheap test before the regex runs."""


def qualifier_before(text: str, start: int) -> str | None:
    """The qualifier right before ``start`` ("about", "more than"), in lower case."""
    window = text[max(0, start - 30) : start]
    if not window[-1:].isspace():
        return None
    head = window.rstrip()
    last = head[head.rfind(" ") + 1 :].lstrip('("“‘').lower()
    if last not in _QUALIFIER_ENDS:
        return None
    found = QUALIFIER_RE.search(window)
    return found.group("q").lower() if found else None
