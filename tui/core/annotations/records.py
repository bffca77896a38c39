"""Annotation records: their fields, validation, copies, and schema migrations.

A record is a plain dict with exactly :data:`FIELDS`; the store keeps them in TinyDB and the
JSON export writes them unchanged (``anchor_state`` recomputed against the current article).
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from typing import Any

import orjson

from tui.core.fileio import paused_gc as paused_gc
from tui.core.text import visible_controls

FIELDS = (
    "id", "article_id", "kind", "quote", "prefix", "suffix", "start", "end", "sha256",
    "tags", "note", "status", "figure", "anchor_state", "created", "modified", "author",
    "field", "history",
)  # fmt: skip
"""Every field of an annotation, in export order. ``field`` names the text the offsets count in
(:data:`TEXT_FIELDS`); ``history`` lists earlier versions of the quote and figure, newest last."""
TEXT_FIELDS = ("title", "summary", "body")
"""The texts of an article a span can lie in: the headline, the publisher's summary, the body."""
STATUSES = ("unverified", "supported", "disputed", "false", "needs-source")
"""Verdicts on a claim: not checked yet; backed by a source; contested; shown wrong; needs a
source before it can be judged."""
KINDS = ("claim", "figure", "quote", "note")
"""What was marked: a claim (default), a figure, a quotation, or a plain note on a passage."""
ANCHOR_STATES = ("anchored", "drifted", "orphan")
EDITABLE = frozenset({"tags", "note", "status", "kind", "figure", "history"})
"""Fields that may change after creation (selectors change only through re-attaching; the
history grows when the figure is derived again)."""
DEFAULTS: dict[str, Any] = {
    "kind": "claim", "tags": [], "note": "", "status": "unverified", "figure": None,
    "anchor_state": "anchored", "author": "unknown", "sha256": "", "prefix": "", "suffix": "",
    "field": "body", "history": [],
}  # fmt: skip
"""Values of the fields an imported record may lack (created/modified default to now)."""
FIGURE_KEYS = ("text", "label", "value", "currency", "unit", "qualifier", "low", "high")
_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("id", "article_id", "quote", "prefix", "suffix", "sha256", "created", "modified")


def scrub(text: str) -> str:
    """Text safe to store, export and print: NFC, ``\n`` line ends, control characters made
    visible (ESC -> ␛), and lone surrogates (from odd terminal input, which orjson cannot
    encode) replaced by U+FFFD."""
    fixed = _SURROGATE.sub("\ufffd", text) if _has_surrogate(text) else text
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    return visible_controls(unicodedata.normalize("NFC", fixed))


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_tags(tags: Any) -> list[str]:
    """Tags stripped, single-spaced, without empties or repeats (case-insensitive), in order."""
    if isinstance(tags, str) or not isinstance(tags, list | tuple):
        raise ValueError("tags must be a list of strings")
    seen: set[str] = set()
    result = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValueError(f"tag {tag!r} is not text")
        text = " ".join(scrub(tag).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            result.append(text)
    return result


def clean_figure(figure: Any) -> dict[str, Any] | None:
    """A figure reduced to its normalized fields, or None; non-finite numbers are refused."""
    if figure is None:
        return None
    if not isinstance(figure, dict):
        raise ValueError("figure must be an object or null")
    result: dict[str, Any] = {}
    for key in FIGURE_KEYS:
        value = figure.get(key)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"figure {key} is not a finite number")
        if isinstance(value, str):
            value = scrub(value)
        elif value is not None and not isinstance(value, int | float):
            raise ValueError(f"figure {key} must be text or a number")
        if value is not None or key in ("label", "value", "currency", "unit"):
            result[key] = value
    return result


def clean(record: dict[str, Any]) -> dict[str, Any]:
    """A validated copy of ``record`` with exactly :data:`FIELDS`; ValueError says what is wrong."""
    missing = [name for name in FIELDS if name not in record]
    if missing:
        raise ValueError(f"annotation {record.get('id', '?')} lacks {', '.join(missing)}")
    doc = {name: record[name] for name in FIELDS}
    for name in (*_TEXT_FIELDS, "note", "author", "kind", "status"):
        if not isinstance(doc[name], str):
            raise ValueError(f"annotation {doc['id']}: {name} must be text")
        doc[name] = scrub(doc[name])
    if not doc["id"] or not doc["quote"]:
        raise ValueError("an annotation needs an id and a non-empty quote")
    doc["created"] = utc_time(doc["created"], f"annotation {doc['id']}: created")
    doc["modified"] = utc_time(doc["modified"], f"annotation {doc['id']}: modified")
    start, end = doc["start"], doc["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        raise ValueError(f"annotation {doc['id']}: start/end must satisfy 0 <= start < end")
    if doc["status"] not in STATUSES:
        raise ValueError(f"status '{doc['status']}' is not one of {', '.join(STATUSES)}")
    if doc["kind"] not in KINDS:
        raise ValueError(f"kind '{doc['kind']}' is not one of {', '.join(KINDS)}")
    if doc["anchor_state"] not in ANCHOR_STATES:
        doc["anchor_state"] = "anchored"
    doc["tags"] = clean_tags(doc["tags"])
    doc["figure"] = clean_figure(doc["figure"])
    if doc["field"] not in TEXT_FIELDS:
        raise ValueError(f"field '{doc['field']}' is not one of {', '.join(TEXT_FIELDS)}")
    doc["history"] = clean_history(doc["history"], doc["id"])
    return doc


def as_text_field(value: str) -> str:
    """``value`` when it names a text field; ValueError naming the choices otherwise."""
    if value not in TEXT_FIELDS:
        raise ValueError(f"field '{value}' is not one of {', '.join(TEXT_FIELDS)}")
    return value


HISTORY_KEYS = ("at", "reason", "quote", "start", "end", "figure")
"""What a history entry keeps of an earlier version: when and why it changed, and the old
quote, offsets and figure."""


def clean_history(history: Any, annotation_id: str = "?") -> list[dict[str, Any]]:
    """A validated copy of a record's history (a list of earlier versions)."""
    if not isinstance(history, list):
        raise ValueError(f"annotation {annotation_id}: history must be a list")
    entries = []
    for entry in history:
        if not isinstance(entry, dict):
            raise ValueError(f"annotation {annotation_id}: a history entry must be an object")
        kept = {k: entry.get(k) for k in HISTORY_KEYS if k in entry}
        for key in ("at", "reason", "quote"):
            value = kept.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                raise ValueError(f"annotation {annotation_id}: history {key} must be text")
            kept[key] = scrub(value)
        if "figure" in kept:
            kept["figure"] = clean_figure(kept["figure"])
        check_json(kept)
        entries.append(kept)
    return entries


def same_figure(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether two recorded figures say the same (text, label, value, currency, unit...)."""
    if not a or not b:
        return not a and not b
    return all(a.get(key) == b.get(key) for key in FIGURE_KEYS)


def history_entry(record: dict[str, Any], reason: str) -> dict[str, Any]:
    """The history entry that keeps ``record``'s current quote, offsets and figure."""
    return {
        "at": utc_timestamp(),
        "reason": reason,
        "quote": record["quote"],
        "start": record["start"],
        "end": record["end"],
        "figure": record.get("figure"),
    }


_REQUIRED = frozenset(FIELDS)


def first_malformed(table: dict[str, dict[str, Any]]) -> str | None:
    """Why the first unusable record of an ``annotations`` table is unusable, or None.

    A cheap check (keys and the types sorting and filtering rely on), run once per parse.
    """
    for key, doc in table.items():
        missing = _REQUIRED - doc.keys()
        if missing:
            return f"annotation {key} lacks {', '.join(sorted(missing))}"
        if not (
            isinstance(doc["start"], int)
            and isinstance(doc["end"], int)
            and isinstance(doc["tags"], list)
            and isinstance(doc["article_id"], str)
            and isinstance(doc["created"], str)
        ):
            return f"annotation {key} has a malformed start, end, tags, article_id or created"
    return None


READING_ORDER = itemgetter("article_id", "start", "created")
"""The order annotations are listed and exported in: by article, then position, then age."""


def in_reading_order(table: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``table`` (doc id -> record) with its members in :data:`READING_ORDER`, doc ids unchanged;
    ``table`` itself when it already is, or when its records cannot be ordered (a save never
    fails over its order).

    The snapshot is written in this order so that a database, once read back, lies in memory
    in the order it is read: listing or exporting 100k records in another order than the file's
    walks scattered memory: a 100k JSON export took about twice as long (``bench_store.py``).
    TinyDB keys a table by doc id, so the order of a table's members changes nothing for it.
    """
    with paused_gc():  # 100k key tuples: collections would cost more than the sort
        try:
            keys = list(map(READING_ORDER, table.values()))
            if all(map(operator.le, keys, islice(keys, 1, None))):
                return table  # already in order: the common case after a compaction
            order = sorted(range(len(keys)), key=keys.__getitem__)
        except (KeyError, TypeError):
            return table
        items = list(table.items())
        return dict(map(items.__getitem__, order))


def copy(doc: dict[str, Any]) -> dict[str, Any]:
    """A copy safe to mutate (the store's cached documents must never change in place)."""
    new = doc.copy()
    new["tags"] = new["tags"][:]
    new["history"] = [dict(entry) for entry in new.get("history") or ()]
    if new["figure"]:
        new["figure"] = new["figure"].copy()
    return new


def same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two versions of an annotation hold the same data (anchor state aside)."""
    return all(a.get(k) == b.get(k) for k in FIELDS if k != "anchor_state")


def check_json(value: Any) -> None:
    """Raise ValueError when ``value`` would not survive a save (sets, NaN, huge ints...)."""
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError as exc:
        raise ValueError(f"cannot be saved as JSON: {exc}") from None
    if any(isinstance(leaf, float) and not math.isfinite(leaf) for leaf in _leaves(value)):
        raise ValueError("cannot be saved as JSON: a number is NaN or infinite")


def clean_correction(correction: dict[str, Any], now: str) -> dict[str, Any]:
    """A copy of an imported correction whose ``created`` is a UTC time (``now`` if unusable)."""
    doc = dict(correction)
    try:
        doc["created"] = utc_time(doc["created"])
    except (KeyError, TypeError, AttributeError, ValueError):
        doc["created"] = now
    check_json(doc)
    return doc


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list | tuple):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def utc_timestamp() -> str:
    """Now in UTC, ISO-8601 with milliseconds and a ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_UTC_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")


def utc_time(text: str, name: str = "time") -> str:
    """``text`` as an ISO-8601 UTC time with a ``Z`` (exports and the W3C model require it).

    A UTC time with ``Z`` is kept as written; another offset is converted to UTC and a time
    without one is read as UTC. Anything else raises ValueError naming ``name``.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{name} '{text[:40]}' is not an ISO-8601 date and time") from None
    if _UTC_Z.fullmatch(text):
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moment(text: str) -> datetime:
    """The instant a stored time names, for ordering (strings differ in precision); an
    unreadable one (a hand-edited file) sorts first."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class MergeReport:
    """What an import did: ids added, replaced by a newer version, unchanged, and conflicts."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    """One line per id whose two versions differ: which version was kept."""
    skipped: list[str] = field(default_factory=list)
    """One line per record that could not be imported, with the reason."""
    corrections_added: int = 0


# ------------------------------------------------------------------ schema versions
def schema_version(tables: dict[str, dict[str, Any]]) -> int:
    """The layout version of a TinyDB file: ``_meta`` says; files without it are version 1."""
    meta = tables.get("_meta", {}).get("1")
    if isinstance(meta, dict) and isinstance(meta.get("schema_version"), int):
        return int(meta["schema_version"])
    return 1 if tables.get("annotations") else 2


def _v1_to_v2(tables: dict[str, dict[str, Any]]) -> None:
    """Version 1 (no ``_meta``): ``text_sha256`` instead of ``sha256``, comma-joined tags, and
    no kind/figure/anchor_state/modified. Version 2 fills them in."""
    table = tables.get("annotations", {})
    for key, doc in list(table.items()):
        new = dict(doc)
        if "sha256" not in new:
            new["sha256"] = new.pop("text_sha256", "")
        if isinstance(new.get("tags"), str):
            new["tags"] = [t for t in new["tags"].split(",") if t.strip()]
        new.setdefault("tags", [])
        new.setdefault("note", "")
        new.setdefault("status", "unverified")
        new.setdefault("kind", "claim")
        new.setdefault("figure", None)
        new.setdefault("anchor_state", "anchored")
        new.setdefault("author", "unknown")
        new["created"] = _readable_time(new.get("created"))
        new["modified"] = _readable_time(new.get("modified", new["created"]))
        table[key] = new


def _readable_time(value: Any) -> str:
    """``value`` as a UTC time; a missing or unreadable one becomes now (the record stays
    editable and exportable rather than failing validation at every change)."""
    try:
        return utc_time(value)
    except (TypeError, AttributeError, ValueError):
        return utc_timestamp()


def _v2_to_v3(tables: dict[str, dict[str, Any]]) -> None:
    """Version 3 adds the text a span lies in (``field``: every older span is in the body) and
    each record's ``history`` of earlier quotes and figures (empty)."""
    table = tables.get("annotations", {})
    for key, doc in list(table.items()):
        table[key] = {"field": "body", "history": [], **doc}


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}
"""``MIGRATIONS[n]`` turns a version-n file into version n + 1, in place."""


def migrate(tables: dict[str, dict[str, Any]], target: int) -> dict[str, dict[str, Any]]:
    """Bring ``tables`` forward to ``target`` one version at a time."""
    version = schema_version(tables)
    while version < target:
        MIGRATIONS[version](tables)
        version += 1
    tables["_meta"] = {"1": {"schema_version": target}}
    return tables
