"""User corrections to figures: fix a currency, value, unit or label, or say "not a figure".

A figure correction is stored in the store's ``corrections`` table next to entity corrections::

    {"id", "created", "action": "figure", "article": ARTICLE_ID, "text": "$2.8 billion",
     "set": {"currency": "AUD"}, "not_figure": false}

It is keyed by the article and the figure's text (spaces normalised), never by offsets, so it
applies to every occurrence of that figure in that article, in any field, and survives edits that
move it. ``set`` may change ``currency`` (an ISO code, or None for "unknown"), ``value``, ``unit``
and ``label``. A corrected figure carries ``corrected: true``, ``correction`` (the id) and
``original`` (the rules' values of the fields that changed); the rules' output itself is never
modified. Undo is removing the correction.
"""

from __future__ import annotations

import math
from typing import Any

from tui.core.extract.figure_context import currency_code
from tui.core.text import visible_controls

ACTION = "figure"
"""The ``action`` of a figure correction."""
FIGURE_LABELS = ("MONEY", "PERCENT", "COUNT", "MULTIPLIER")
"""Labels a figure may be corrected to."""
CHANGEABLE = ("currency", "value", "unit", "label")
"""Fields a figure correction may set."""
_MAX_TEXT = 200


class FigureCorrectionError(ValueError):
    """A figure correction that cannot be made; ``str()`` says what to change."""


def figure_text_key(text: str) -> str:
    """A figure's text as corrections compare it: controls visible, runs of spaces as one."""
    return " ".join(visible_controls(text).split())


def make_figure_correction(
    article: str,
    text: str,
    *,
    currency: str | None = None,
    clear_currency: bool = False,
    value: float | None = None,
    unit: str | None = None,
    label: str | None = None,
    not_figure: bool = False,
) -> dict[str, Any]:
    """A validated figure correction (without ``id``/``created``: the store adds those).

    ``clear_currency`` sets the currency to unknown (None); ``currency`` sets a code.
    """
    article = (article or "").strip()
    if not article:
        raise FigureCorrectionError("a figure correction needs the article id")
    key = figure_text_key(text)
    if not key:
        raise FigureCorrectionError("the figure's text is empty: give it as the article writes it")
    if len(key) > _MAX_TEXT:
        raise FigureCorrectionError(f"the figure's text is longer than {_MAX_TEXT} characters")
    changes: dict[str, Any] = {}
    if clear_currency:
        changes["currency"] = None
    elif currency is not None:
        code = currency_code(currency)
        if code is None:
            raise FigureCorrectionError(
                f"currency '{currency}' is not a three-letter code such as AUD (or 'unknown')"
            )
        changes["currency"] = code
    if value is not None:
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise FigureCorrectionError(f"value '{value}' is not a finite number")
        changes["value"] = int(value) if float(value).is_integer() else float(value)
    if unit is not None:
        changes["unit"] = " ".join(visible_controls(unit).split()) or None
    if label is not None:
        wanted = label.strip().upper()
        if wanted not in FIGURE_LABELS:
            raise FigureCorrectionError(
                f"unknown figure label '{label}': use one of {', '.join(FIGURE_LABELS)}"
            )
        changes["label"] = wanted
    if not_figure and changes:
        raise FigureCorrectionError("'not a figure' cannot be combined with other changes")
    if not not_figure and not changes:
        raise FigureCorrectionError(
            "say what to fix: --currency, --value, --unit, --label or --not-a-figure"
        )
    return {"action": ACTION, "article": article, "text": key, "set": changes,
            "not_figure": bool(not_figure)}  # fmt: skip


def valid_figure_correction(correction: dict[str, Any]) -> dict[str, Any] | None:
    """``correction`` re-validated (hand-edited or imported), or None when malformed."""
    changes = correction.get("set")
    if not isinstance(changes, dict) or set(changes) - set(CHANGEABLE):
        return None
    currency = changes.get("currency")
    try:
        checked = make_figure_correction(
            str(correction.get("article") or ""),
            str(correction.get("text") or ""),
            currency=currency if isinstance(currency, str) else None,
            clear_currency="currency" in changes and currency is None,
            value=changes.get("value"),
            unit=changes.get("unit"),
            label=changes.get("label"),
            not_figure=correction.get("not_figure") is True,
        )
    except (FigureCorrectionError, TypeError, AttributeError):
        return None
    return {**correction, **checked}


def describe(correction: dict[str, Any]) -> str:
    """A short summary for listings: "currency → AUD", "not a figure"."""
    if correction.get("not_figure"):
        return "not a figure"
    return ", ".join(
        f"{name} → {value if value is not None else 'unknown'}"
        for name, value in (correction.get("set") or {}).items()
    )


def apply_figure_corrections(
    figures: list[dict[str, Any]], corrections: list[dict[str, Any]], article: str | None
) -> list[dict[str, Any]]:
    """``figures`` of ``article`` with its figure corrections applied (later ones win)."""
    mine = [c for c in corrections if c.get("action") == ACTION and c.get("article") == article]
    if not article or not mine:
        return figures
    result = []
    for figure in figures:
        key = figure_text_key(figure["text"])
        corrected: dict[str, Any] | None = figure
        for correction in mine:
            if correction["text"] != key or corrected is None:
                continue
            if correction.get("not_figure"):
                corrected = None
                continue
            corrected = _corrected(corrected, correction)
        if corrected is not None:
            result.append(corrected)
    return result


def _corrected(figure: dict[str, Any], correction: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``figure`` with ``correction``'s changes and the originals it replaced."""
    changed = dict(figure)
    original = dict(figure.get("original") or {})
    for name, value in correction["set"].items():
        original.setdefault(name, figure.get(name))
        changed[name] = value
    if "value" in correction["set"]:
        original.setdefault("low", figure.get("low"))
        original.setdefault("high", figure.get("high"))
        changed["low"] = changed["high"] = None
    if "currency" in correction["set"]:
        original.setdefault("currency_reason", figure.get("currency_reason"))
        changed["currency_reason"] = "corrected by you"
    if changed.get("label") != "MONEY":
        changed["currency"] = changed["currency_reason"] = None
    changed.update(corrected=True, correction=correction.get("id"), original=original)
    return changed
