"""The boilerplate rule set: what the importer cuts from pasted or scraped article text.

Two kinds of rule, applied to whole paragraphs (one paragraph per line), never to part of one:

* **Sentence rules** (:data:`SENTENCE_RULES`): a paragraph is boilerplate when *every* sentence in
  it matches one of these patterns ("Subscribe for Updates", "Copyright 2025.", "Notice an
  error?", "Get the free daily newsletter …"). A paragraph that mixes article prose with a promo
  sentence is kept whole, so a sentence of the article is never dropped.
* **Structural rules** (:func:`mark_link_lists`, :func:`mark_promo_tail`): a "More from …" /
  "Related" heading together with the headline list under it, and the short heading-like lines
  (a newsletter's name, "Ready to get started") sitting in the promo block at the end of the text.

Figures are never boilerplate: a table row or a paragraph that :func:`holds_figure` stops a
link list and a promo block, and is never cut by either.

The importer adds the header rules (title, byline, dateline, repeated headline, dek) in
:mod:`tui.core.articles.importer`. Every removal carries the name of the rule that made it
(:data:`RULES` describes each), so ``claimdesk import --show-removed`` can say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RULES: dict[str, str] = {
    "subscribe": "a call to subscribe or sign up",
    "newsletter": "newsletter prompts, names and sign-up terms",
    "advertising": "advertising, media-kit and sales prompts",
    "feedback": "'Notice an error?' and other feedback prompts",
    "promo": "cross-promotion: apps, other products, social follow and share prompts",
    "read-more": "'Read more' and 'Continue reading' links",
    "cookies": "cookie consent banners and their buttons",
    "counter": "view, share and reading-time counters",
    "copyright": "copyright and 'All rights reserved' footers",
    "credits": "wire-service credit lines ('Reporting by …; Editing by …', 'Our Standards: …')",
    "link-list": "a 'More from …' / 'Related' heading and the headline list under it",
    "promo-block": "a short heading-like line inside the promo block that ends the text",
    "title": "the headline, moved to the front matter",
    "byline": "the byline ('By …', 'Written by …'), moved to the front matter",
    "dateline": "the publication date line, moved to the front matter",
    "repeated-headline": "the headline repeated in the text",
    "dek": "the summary between headline and byline; it restates the article",
    "repeated-paragraph": "an exact repeat of an earlier paragraph",
    "source-line": "a line naming only the publication or wire service, moved to the front matter",
}
"""Every rule name the importer can report, with what it removes."""

_WORD = r"(?>(?-i:[A-Z])[\w&'’.-]*)"
"""A capitalised word, matched atomically (never re-split at its hyphens or dots)."""
_NAME = _WORD + r"(?: " + _WORD + r"){0,3}"
"""Up to four capitalised words: a publication's or newsletter's name."""

_NAMES = _NAME + r"(?:(?:,| and| &) " + _NAME + ")*"
"""A list of names: 'Jane Doe', 'Jane Doe and Bo Lee', 'A, B & C'."""

SENTENCE_RULES: dict[str, tuple[str, ...]] = {
    "subscribe": (
        r"(subscribe|sign up|register)( now| today| here| free)?"
        r"( (for|to) (free|updates|(our|the) (free )?(daily |weekly )?newsletters?))?[.!]?",
        r"(already a subscriber|subscribe to (read|continue|unlock))\b.{0,80}",
        r"(log|sign) ?in( here| now)?( to (continue|keep) reading\b.{0,60})?[.!]?",
    ),
    "newsletter": (
        r"get (the|our) .{0,60}newsletter\b.{0,80}",
        r"(sign up|subscribe) (for|to) (our|the) .{0,60}newsletters?\b.{0,80}",
        r"by (signing up|subscribing)\b.{0,80}\byou agree\b.*",
        r"for (additional|more) information,? (please )?(refer to|see|read|visit) our "
        r"(terms|privacy)\b.{0,40}",
        _NAME + r" newsletter",
    ),
    "advertising": (
        r"advertise( with us| here)?[.!]?",
        r"advertisement|sponsored( content)?",
        r"get (our|the) media kit[.!]?",
        r"ready to get started\?",
    ),
    "feedback": (
        r"notice an error\?",
        r"(found|spot(ted)?|see) (an? )?(error|typo|mistake)\b.{0,80}",
        r"help us improve (our|this) (content|article|story)\b.{0,80}",
        r"report an? (error|issue|correction)\b.{0,60}",
    ),
    "promo": (
        r"do you have (any )?questions about\b.{0,160}",
        r"get the answers with\b.{0,200}",
        r"for the latest news from\b.{0,80}\bdownload (our|the) (mobile )?app\b.{0,40}",
        r"download (our|the) (free )?(mobile )?app\b.{0,80}",
        r"(follow|like) us on\b.{0,60}",
        r"listen to this (article|story)\b.{0,40}",
        r"share (this( article| story| page)?|on (facebook|twitter|x|linkedin|whatsapp|email))"
        r"\b.{0,40}",
    ),
    "read-more": (
        r"(read|show|load|view) more\b.{0,60}",
        r"see more( (stories|articles|news|videos|from|on|at)\b.{0,60})?",
        r"continue reading\b.{0,60}",
        r"click here\b.{0,80}",
    ),
    "cookies": (
        r"(we|this (site|website)) uses? cookies\b.{0,200}",
        r"(accept|reject|allow|manage|refuse)( all| essential| optional)? cookies[.!]?",
        r"cookie (settings|preferences|policy|consent)[.!]?",
    ),
    "dateline": (r"(first |last )?(published|updated|posted|modified)( on| at)?:?",),
    "counter": (
        r"[\d.,]+ ?[km]? (views|reads|shares|comments|likes)",
        r"(views|reads|shares)\s*:?\s*[\d.,]+ ?[km]?",
        r"\d+ ?min(ute)?s? read",
    ),
    "copyright": (
        r"(copyright( ©)?|©|\(c\)) ?\d{4}([-–]\d{4})?\b.{0,80}",
        r"(copyright|©) .{1,60}all rights reserved\.?",
        r"all rights reserved\.?",
    ),
    "credits": (
        rf"((additional )?(reporting|writing|editing|research) by {_NAMES}(; |,? and )?)+\.?",
        r"our standards: .{1,80}",
    ),
}
"""Rule name -> patterns, each matched against a whole sentence, case-insensitively."""

_COMPILED = {
    name: [re.compile(p, re.IGNORECASE) for p in patterns]
    for name, patterns in SENTENCE_RULES.items()
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
_BULLET = re.compile(r"^(?:[-*•–—·▪►]|\d{1,2}[.)])\s+")
_LINK_LIST_HEADING = re.compile(
    r"(more|latest|most (read|popular|viewed)|recommended|related|top|trending)"
    r"( stories| articles| news| reading| content| reads)?( from .{1,60})?"
    r"|(also|further) read(ing)?|read also|see also|you may also like",
    re.IGNORECASE,
)
_BARE_LINK_HEADING = re.compile(
    r"(related|recommended|most (read|popular|viewed)|trending)( stories| articles| reading)?"
    r"|(also|further) read(ing)?|read also|see also|you may also like",
    re.IGNORECASE,
)
"""Link-list headings no article section is called; cut even where the list itself is gone
(HTML extraction drops the links and leaves the heading)."""
_PROMO_TAIL_WORDS = 12
_FIGURE = re.compile(
    r"[$€£¥₹₩₽¢]\s?\d"
    r"|\b(?-i:[A-Z]{3}) ?\d"
    r"|\d(?:[.,]\d+)?\s?(?:%|per ?cent\b|percent\b|bn\b|billion\b|million\b|trillion\b"
    r"|mn\b|m\b|k\b|crore\b|lakh\b)",
    re.IGNORECASE,
)


def holds_figure(paragraph: str) -> bool:
    """A sum, a percentage or a number with a scale word ("£22.6bn", "5%", "13 million"), or a
    table row with a number in it: text whose figures a reader may want to tag."""
    return bool(_FIGURE.search(paragraph)) or (
        is_table_row(paragraph) and any(c.isdigit() for c in paragraph)
    )


def is_table_row(paragraph: str) -> bool:
    """A row of a table as the readers write it: cells joined by " | "."""
    return " | " in paragraph


def sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences (after . ! ? and any closing quote)."""
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


def sentence_rule(sentence: str) -> str | None:
    """The name of the sentence rule that ``sentence`` matches in full, or None."""
    text = sentence.strip()
    for name, patterns in _COMPILED.items():
        if any(p.fullmatch(text) for p in patterns):
            return name
    return None


def paragraph_rule(paragraph: str) -> str | None:
    """The rule that makes ``paragraph`` boilerplate: every sentence must match one."""
    names: list[str] = []
    for sentence in sentences(paragraph):
        name = sentence_rule(sentence)
        if name is None:
            return None
        if name not in names:
            names.append(name)
    return "+".join(names) or None


def is_bullet(paragraph: str) -> bool:
    """A list item: starts with a bullet or a short number and a space."""
    return bool(_BULLET.match(paragraph))


def is_headline_like(paragraph: str, max_words: int = 20) -> bool:
    """Short text that does not end like a sentence: a heading, a headline or a name."""
    text = paragraph.strip().rstrip("\"”’')]")
    if not text or len(text.split()) > max_words:
        return False
    return text[-1] not in ".;:,!?"


def is_link_list_heading(paragraph: str) -> bool:
    """'More from South China Morning Post:', 'Related articles', 'See also' and the like."""
    return bool(_LINK_LIST_HEADING.fullmatch(paragraph.strip().rstrip(":").strip()))


@dataclass(frozen=True)
class Removal:
    """One paragraph cut from the text and the rule that cut it."""

    index: int
    """Position of the paragraph in the text before cleaning."""
    text: str
    rule: str


def mark_sentence_rules(paragraphs: list[str], removed: dict[int, str]) -> None:
    """Mark every paragraph made only of boilerplate sentences."""
    for index, paragraph in enumerate(paragraphs):
        if index not in removed and (rule := paragraph_rule(paragraph)):
            removed[index] = rule


def mark_link_lists(paragraphs: list[str], removed: dict[int, str]) -> None:
    """Mark a link-list heading with the list under it.

    The list is the run of bullet items, or of short headline-like lines, that follows the
    heading; it stops at the first paragraph that reads as prose, and a headline-like line
    just before that prose is left to it as its section heading. A heading with no list under
    it is left alone (it may be a section heading of the article) unless it is one of the
    :data:`_BARE_LINK_HEADING` names.
    """
    index = 0
    while index < len(paragraphs):
        if index in removed or not is_link_list_heading(paragraphs[index]):
            index += 1
            continue
        end = index + 1
        while (
            end < len(paragraphs)
            and (is_bullet(paragraphs[end]) or is_headline_like(paragraphs[end]) or end in removed)
            and not holds_figure(paragraphs[end])
        ):
            end += 1
        while (
            end < len(paragraphs)
            and end - 1 > index
            and end - 1 not in removed
            and not is_bullet(paragraphs[end - 1])
        ):
            end -= 1  # a headline-like line right before prose is that prose's section heading
        heading = paragraphs[index].strip().rstrip(":").strip()
        if _BARE_LINK_HEADING.fullmatch(heading) or any(
            item not in removed for item in range(index + 1, end)
        ):
            for item in range(index, end):
                removed.setdefault(item, "link-list")
        index = end


def mark_promo_tail(paragraphs: list[str], removed: dict[int, str]) -> None:
    """Mark the heading-like lines inside the promo block that ends the text.

    The block is the longest run at the end made of removed paragraphs and short heading-like
    lines; when it holds at least two removed paragraphs, its heading-like lines (a newsletter's
    name, a section of sign-up prompts) go too. Prose ending in ``.`` stops the block, so the
    article's last sentences are never part of it.
    """
    start = len(paragraphs)
    while (
        start > 0
        and (start - 1 in removed or is_headline_like(paragraphs[start - 1], _PROMO_TAIL_WORDS))
        and not holds_figure(paragraphs[start - 1])
    ):
        start -= 1
    block = range(start, len(paragraphs))
    if sum(1 for i in block if i in removed) >= 2:
        for index in block:
            removed.setdefault(index, "promo-block")
