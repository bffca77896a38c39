"""Extraction: rule-based figures, spaCy entities, user corrections and an on-disk cache.

Importing this package never imports spaCy; only an extraction that needs entities does.

* :meth:`Extractor.figures` — figures only, fast, no model (see :mod:`.figures` for the fields and
  the currency rules).
* :meth:`Extractor.extract` — figures and grouped entities with corrections applied, cached.
* :meth:`Extractor.cached` — the cached result, never running a model.
* :func:`extract_in_process` — a picklable entry point for a process pool.

Entities are ``{text, start, end, label, source, key}``: ``source`` is "model" or "correction",
and mentions with the same ``label`` and ``key`` are one entity (``key`` is its display name).
Figures keep exactly their documented fields; :func:`figure_key` groups them by meaning
("HK$50 billion" and "HK$50B" are one figure).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from tui.core.extract.cache import EXTRACTOR_VERSION, RULES_ONLY, CachedResult, ExtractionCache
from tui.core.extract.corrections import apply_corrections, valid_corrections
from tui.core.extract.entities import (
    clean_mentions,
    group_mentions,
    load_pipeline,
    raw_entities,
)
from tui.core.extract.figures import figure_key, find_figures
from tui.core.text import sha256_text

__all__ = ["EXTRACTOR_VERSION", "Extraction", "Extractor", "extract_in_process", "figure_key"]


@dataclass
class Extraction:
    """Everything found in one text, offsets into that text."""

    figures: list[dict[str, Any]]
    """``{text, start, end, label, value, currency, unit, qualifier, low, high}``."""
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

    def figures(self, text: str, *, cache: bool = False) -> list[dict[str, Any]]:
        """Rule-based figures with "ignore" corrections applied; never loads a model.

        With ``cache`` the rules' output is read from and kept in the cache, for texts listed
        again and again (the library); one-off texts are not worth a cache file each.
        """
        found = self._cached_rules(text) if cache else None
        if found is None:
            found = find_figures(text)
            if cache and self.cache is not None:
                self.cache.put(sha256_text(text), RULES_ONLY, CachedResult(found, [], None))
        figures, _ = apply_corrections(text, found, [], self.corrections)
        return figures

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

    def cached(self, text: str) -> Extraction | None:
        """The cached full extraction of ``text``, or None; never runs a model."""
        if self.cache is None:
            return None
        result = self.cache.get(sha256_text(text), self.model)
        if result is None or not _slices(text, result):
            return None
        return self._finish(text, result, None)

    def extract(self, text: str, figures_only: bool = False) -> Extraction:
        """Figures and entities of ``text`` with corrections applied (cached when possible)."""
        return next(self.extract_many([text], figures_only=figures_only))

    def extract_many(
        self, texts: Iterable[str], figures_only: bool = False, batch_size: int = 64
    ) -> Iterator[Extraction]:
        """Extract a stream of texts in order, running the model over batches with ``nlp.pipe``."""
        iterator = iter(texts)
        while batch := list(islice(iterator, batch_size)):
            yield from self._batch(batch, figures_only)

    def _batch(self, texts: list[str], figures_only: bool) -> list[Extraction]:
        if figures_only:
            return [self._figures_only(text, None) for text in texts]
        results: list[Extraction | None] = [self.cached(text) for text in texts]
        missing = [i for i, r in enumerate(results) if r is None]
        if not missing:
            return [r for r in results if r is not None]
        pipeline = load_pipeline(self.model)
        if pipeline.nlp is None:
            for i in missing:
                results[i] = self._figures_only(texts[i], pipeline.notice)
        else:
            docs = pipeline.nlp.pipe(texts[i] for i in missing)
            for i, doc in zip(missing, docs, strict=True):
                text = texts[i]
                raw = CachedResult(find_figures(text), raw_entities(doc), pipeline.name)
                if self.cache is not None:
                    self.cache.put(sha256_text(text), self.model, raw)
                results[i] = self._finish(text, raw, pipeline.notice)
        return [r for r in results if r is not None]

    def remember(self, text: str, extraction: Extraction) -> None:
        """Cache a result computed elsewhere (e.g. by :func:`extract_in_process` in a pool)."""
        if self.cache is not None and extraction.model is not None:
            raw = CachedResult(find_figures(text), extraction.raw_entities, extraction.model)
            self.cache.put(sha256_text(text), self.model, raw)

    def _figures_only(self, text: str, notice: str | None) -> Extraction:
        figures, mentions = apply_corrections(text, find_figures(text), [], self.corrections)
        return Extraction(figures, group_mentions(mentions), None, notice)

    def _finish(self, text: str, raw: CachedResult, notice: str | None) -> Extraction:
        mentions = clean_mentions(text, raw.raw_entities, raw.figures)
        figures, mentions = apply_corrections(text, raw.figures, mentions, self.corrections)
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
) -> Extraction:
    """Full extraction for a process-pool worker; the pipeline loads once per process."""
    return Extractor(cache_dir, corrections, model).extract(text)
