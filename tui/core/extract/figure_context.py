"""What the figure rules may know about an article besides its text: publication, URL, overrides.

A :class:`FigureContext` travels with a text into :func:`tui.core.extract.figures.find_figures`
and :class:`tui.core.extract.Extractor`; every field is optional and the empty context means
"the text alone". It is part of the extraction cache key (:meth:`FigureContext.key`), so the
same body read under another publication or override is resolved again.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

CURRENCY_ENV = "CLAIMDESK_CURRENCY"
"""Environment variable holding the user's default currency (ISO 4217, e.g. "AUD")."""

_CODE_RE = re.compile(r"[A-Z]{3}")


def currency_code(value: object) -> str | None:
    """``value`` as an upper-case three-letter code, or None when it is not one."""
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if _CODE_RE.fullmatch(code) else None


def default_currency(environ: dict[str, str] | None = None) -> str | None:
    """The user's default currency from :data:`CURRENCY_ENV`; None when unset or malformed."""
    env = os.environ if environ is None else environ
    return currency_code(env.get(CURRENCY_ENV, ""))


@dataclass(frozen=True)
class FigureContext:
    """An article's publication, URL and currency choices, as far as they are known."""

    source: str | None = None
    """The publication's title ("The Straits Times")."""
    url: str | None = None
    """Where the article was published; its domain names the publication."""
    currency: str | None = None
    """The article's own ``currency:`` front-matter override (ISO code)."""
    default_currency: str | None = None
    """The user's default (``CLAIMDESK_CURRENCY``), used only when the article gives no evidence."""
    article_id: str | None = None
    """The article's id, which keys the user's figure corrections."""

    def key(self) -> str:
        """A string that changes whenever the context could change a figure (cache key part)."""
        parts = (self.source, self.url, self.currency, self.default_currency)
        return "\0".join(p or "" for p in parts)

    @classmethod
    def from_meta(cls, meta: Any, default: str | None = None) -> FigureContext:
        """The context of an article's metadata (``ArticleMeta`` or any object with its fields).

        ``currency`` is read when the metadata has it (front matter ``currency: AUD``).
        """
        return cls(
            source=getattr(meta, "source", None) or None,
            url=getattr(meta, "url", None) or None,
            currency=currency_code(getattr(meta, "currency", None)),
            default_currency=currency_code(default),
            article_id=getattr(meta, "id", None) or None,
        )


ArticleContext = FigureContext
"""The same type under the name the workspace uses for a whole article."""

EMPTY = FigureContext()
"""The text alone: no publication, no override, no default."""
