"""Extraction: rule-based figures, spaCy entities, user corrections and an on-disk cache.

Importing this package never imports spaCy; only an extraction that needs entities does.

* :meth:`Extractor.figures` — figures only, fast, no model (see :mod:`.figures` for the fields and
  :mod:`.evidence` for the currency rules); :meth:`Extractor.figures_for_fields` — an article's
  title, summary and body together (:mod:`.article_figures`).
* :meth:`Extractor.extract` — figures and grouped entities with corrections applied, cached.
* :meth:`Extractor.cached` — the cached result, never running a model.
* :func:`extract_in_process` — a picklable entry point for a process pool.

Entities are ``{text, start, end, label, source, key}``: ``source`` is "model" or "correction",
and mentions with the same ``label`` and ``key`` are one entity (``key`` is its display name).
Figures keep their documented fields plus ``currency_reason``; :func:`figure_key` groups them by
meaning ("HK$50 billion" and "HK$50B" are one figure). A :class:`FigureContext` (publication, URL,
``currency:`` override, default currency, article id) is an optional keyword everywhere; the cache
holds only what does not depend on it (the rules' output before currencies are decided).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from tui.core.extract.article_figures import resolve_fields
from tui.core.extract.cache import EXTRACTOR_VERSION, RULES_ONLY, CachedResult, ExtractionCache
from tui.core.extract.corrections import apply_corrections, valid_corrections
from tui.core.extract.entities import (
    clean_mentions,
    group_mentions,
    load_pipeline,
    raw_entities,
)
from tui.core.extract.evidence import resolve_currencies
from tui.core.extract.figure_context import ArticleContext, FigureContext, default_currency
from tui.core.extract.figure_corrections import apply_figure_corrections
from tui.core.extract.figures import figure_key, raw_figures
from tui.core.text import sha256_text

find_figures = raw_figures
"""The rules' raw output (kept under this name for callers and tests that replace it)."""

__all__ = [
    "EXTRACTOR_VERSION",
    "ArticleContext",
    "Extraction",
    "Extractor",
    "FigureContext",
    "article_context",
    "extract_in_process",
    "figure_key",
    "figures_for_fields",
]


@dataclass
class Extraction:
    """Everything found in one text, offsets into that text."""

    figures: list[dict[str, Any]]
    """``{text, start, end, label, value, currency, unit, qualifier, low, high, currency_reason}``
    (corrected figures add ``corrected``, ``correction`` and ``original``)."""
    entities: list[dict[str, Any]]
    """``{text, start, end, label, source, key}`` after corrections, in reading order."""
    model: str | None
    """The spaCy pipeline used; None when figures-only or when none could be loaded."""
    notice: str | None
    """A one-line message for the user (no pipeline, and the command that installs one)."""
    raw_entities: list[dict[str, Any]] = field(default_factory=list)
    """The model's own spans before cleaning and corrections: ``{text, start, end, label}``."""


class Extractor:
    """Extraction with one set of corrections and one pipeline choice."""

    def __init__(
        self, cache_dir: Path | None, corrections: list[dict[str, Any]], model: str | None = None
    ) -> None:
        self.cache = ExtractionCache(cache_dir) if cache_dir is not None else None
        self.corrections = valid_corrections(corrections)
        self.model = model

    def figures(
        self, text: str, *, cache: bool = False, context: FigureContext | None = None
    ) -> list[dict[str, Any]]:
        """Rule-based figures with corrections applied; never loads a model.

        With ``cache`` the rules' output is read from and kept in the cache, for texts listed
        again and again (the library); one-off texts are not worth a cache file each.
        ``context`` decides the currencies the text leaves open and names the article whose
        figure corrections apply.
        """
        return self._resolved(text, self._raw(text, cache), context)

    def figures_for_fields(
        self,
        title: str | None,
        summary: str | None,
        body: str,
        *,
        context: FigureContext | None = None,
        cache: bool = False,
    ) -> dict[str, list[dict[str, Any]]]:
        """An article's figures by field ("title", "summary", "body"), each with its ``field``.

        Currencies are decided across the fields (a headline's "$50B" is the body's "HK$50
        billion"); corrections apply to every field. See :mod:`.article_figures`.
        """
        texts = {"title": title or "", "summary": summary or "", "body": body}
        raws = {
            name: self._raw(text, cache and name == "body") for name, text in texts.items() if text
        }
        fields = resolve_fields(texts, raws, context)
        article = context.article_id if context else None
        return {
            name: apply_figure_corrections(
                apply_corrections(texts[name], found, [], self.corrections)[0],
                self.corrections,
                article,
            )
            for name, found in fields.items()
        }

    def _raw(self, text: str, cache: bool) -> list[dict[str, Any]]:
        """The rules' context-free output for ``text``, from the cache when asked and present."""
        found = self._cached_rules(text) if cache else None
        if found is None:
            found = find_figures(text)
            if cache and self.cache is not None:
                self.cache.put(sha256_text(text), RULES_ONLY, CachedResult(found, [], None))
        return found

    def _resolved(
        self, text: str, raw: list[dict[str, Any]], context: FigureContext | None
    ) -> list[dict[str, Any]]:
        """Raw figures with currencies decided and every correction applied (``raw`` unchanged)."""
        figures = resolve_currencies(text, [dict(f) for f in raw], context)  # flat dicts
        figures, _ = apply_corrections(text, figures, [], self.corrections)
        article = context.article_id if context else None
        return apply_figure_corrections(figures, self.corrections, article)

    def _cached_rules(self, text: str) -> list[dict[str, Any]] | None:
        """The figure rules' cached output for ``text`` (from a full or a rules-only entry)."""
        if self.cache is None:
            return None
        body_sha = sha256_text(text)
        for key in (self.model, RULES_ONLY):
            entry = self.cache.get(body_sha, key)
            if entry is not None and _slices(text, entry):
                return entry.figures
        return None

    def cached(self, text: str, *, context: FigureContext | None = None) -> Extraction | None:
        """The cached full extraction of ``text``, or None; never runs a model."""
        if self.cache is None:
            return None
        result = self.cache.get(sha256_text(text), self.model)
        if result is None or not _slices(text, result):
            return None
        return self._finish(text, result, None, context)

    def extract(
        self, text: str, figures_only: bool = False, *, context: FigureContext | None = None
    ) -> Extraction:
        """Figures and entities of ``text`` with corrections applied (cached when possible)."""
        return next(self.extract_many([text], figures_only=figures_only, context=context))

    def extract_many(
        self,
        texts: Iterable[str],
        figures_only: bool = False,
        batch_size: int = 64,
        *,
        context: FigureContext | None = None,
    ) -> Iterator[Extraction]:
        """Extract a stream of texts in order, running the model over batches with ``nlp.pipe``.

        ``context`` applies to every text (one article's fields, or texts of one publication).
        """
        iterator = iter(texts)
        while batch := list(islice(iterator, batch_size)):
            yield from self._batch(batch, figures_only, context)

    def _batch(
        self, texts: list[str], figures_only: bool, context: FigureContext | None = None
    ) -> list[Extraction]:
        if figures_only:
            return [self._figures_only(text, None, context) for text in texts]
        results: list[Extraction | None] = [self.cached(text, context=context) for text in texts]
        missing = [i for i, r in enumerate(results) if r is None]
        if not missing:
            return [r for r in results if r is not None]
        pipeline = load_pipeline(self.model)
        if pipeline.nlp is None:
            for i in missing:
                results[i] = self._figures_only(texts[i], pipeline.notice, context)
        else:
            docs = pipeline.nlp.pipe(texts[i] for i in missing)
            for i, doc in zip(missing, docs, strict=True):
                text = texts[i]
                raw = CachedResult(find_figures(text), raw_entities(doc), pipeline.name)
                if self.cache is not None:
                    self.cache.put(sha256_text(text), self.model, raw)
                results[i] = self._finish(text, raw, pipeline.notice, context)
        return [r for r in results if r is not None]

    def remember(self, text: str, extraction: Extraction) -> None:
        """Cache a result computed elsewhere (e.g. by :func:`extract_in_process` in a pool)."""
        if self.cache is not None and extraction.model is not None:
            raw = CachedResult(find_figures(text), extraction.raw_entities, extraction.model)
            self.cache.put(sha256_text(text), self.model, raw)

    def _figures_only(
        self, text: str, notice: str | None, context: FigureContext | None = None
    ) -> Extraction:
        figures = self._resolved(text, find_figures(text), context)
        _, mentions = apply_corrections(text, [], [], self.corrections)
        return Extraction(figures, group_mentions(mentions), None, notice)

    def _finish(
        self, text: str, raw: CachedResult, notice: str | None, context: FigureContext | None = None
    ) -> Extraction:
        mentions = clean_mentions(text, raw.raw_entities, raw.figures)
        _, mentions = apply_corrections(text, [], mentions, self.corrections)
        figures = self._resolved(text, raw.figures, context)
        return Extraction(figures, group_mentions(mentions), raw.model, notice, raw.raw_entities)


def _slices(text: str, result: CachedResult) -> bool:
    """True when every cached span still slices ``text`` to its own text."""
    return all(
        text[s["start"] : s["end"]] == s["text"] for s in (*result.figures, *result.raw_entities)
    )


def extract_in_process(
    text: str,
    model: str | None,
    corrections: list[dict[str, Any]],
    cache_dir: Path | None = None,
    context: FigureContext | None = None,
) -> Extraction:
    """Full extraction for a process-pool worker; the pipeline loads once per process.
    ``context`` (the article's publication, URL, currency) decides the figures' currencies."""
    return Extractor(cache_dir, corrections, model).extract(text, context=context)


def article_context(article: Any, default: str | None = None) -> FigureContext:
    """The :class:`FigureContext` of an ``Article`` (or ``ArticleMeta``): its source, URL,
    ``currency:`` override and id, with ``default`` or else ``CLAIMDESK_CURRENCY`` as default."""
    meta = getattr(article, "meta", article)
    return FigureContext.from_meta(meta, default or default_currency())


def figures_for_fields(
    extractor: Extractor, article: Any, *, cache: bool = True, default: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """An article's figures by field, with its context and corrections (what the workspace shows).

    ``article`` is an ``Article``: ``meta.title``, ``meta.summary`` and ``body``.
    """
    meta = getattr(article, "meta", article)
    return extractor.figures_for_fields(
        getattr(meta, "title", None),
        getattr(meta, "summary", None),
        article.body,
        context=article_context(article, default),
        cache=cache,
    )
