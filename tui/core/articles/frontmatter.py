"""Article front matter: the ``---`` YAML block, read as plain values only.

Anchors, aliases and merge keys are refused before anything is built (a few hundred bytes of
them can expand to gigabytes), and so is front matter that is huge, nests deeply, or holds a
date that cannot exist. Every failure is an :class:`~tui.core.articles.library.ArticleError`
whose text is one line.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import ModuleType


class ArticleError(Exception):
    """A user-facing problem with one article file: ``str()`` is the one-line message."""


__all__ = ["ArticleError", "dump_front_matter", "split_front_matter"]


@functools.cache
def _yaml() -> tuple[ModuleType, Any, Any]:
    """PyYAML with its safe loader and dumper, imported on first use (a library listed from
    its index never parses YAML, so start-up does not pay for the import). The C loader is
    ~10x faster; the pure-Python one is used quietly where libyaml is missing."""
    import yaml

    try:
        return yaml, yaml.CSafeLoader, yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - depends on the PyYAML build
        return yaml, yaml.SafeLoader, yaml.SafeDumper


def dump_front_matter(header: dict[str, Any]) -> str:
    """``header`` as the YAML of a front-matter block (plain values, in the given order)."""
    yaml, _, dumper = _yaml()
    dumped: str = yaml.dump(header, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    return dumped


MAX_FRONT_MATTER = 64 * 1024
"""Characters of front matter accepted: real headers are a few hundred."""
MAX_NESTING = 64
"""Nesting of YAML ``[`` / ``{`` accepted in front matter (real headers have none)."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML front matter from the body; raise ArticleError when malformed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---"):
        raise ArticleError("no front matter (the file must start with '---'); re-import it")
    end = re.search(r"^---[ \t]*$", text[3:], flags=re.MULTILINE)
    if end is None or text[3:4] != "\n":
        raise ArticleError("front matter is not closed with a '---' line")
    header = text[3 : 3 + end.start()]
    body = text[3 + end.end() :]
    if len(header) > MAX_FRONT_MATTER or _nesting(header) > MAX_NESTING:
        raise ArticleError("front matter is too large or nests too deeply; fix it or re-import")
    yaml, loader, _ = _yaml()
    try:
        _refuse_aliases(header)
        data = yaml.load(header, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleError(f"malformed front matter{where}; fix the YAML or re-import") from None
    except ValueError as exc:  # a date YAML reads as one but cannot exist (2024-13-45)
        raise ArticleError(
            f"impossible date in front matter ({exc}); fix the date or quote it"
        ) from None
    if not isinstance(data, dict):
        raise ArticleError("front matter is not a mapping of fields")
    return data, body


def _refuse_aliases(header: str) -> None:
    """Raise ArticleError when ``header`` uses YAML anchors, aliases or merge keys.

    Checked on the parser's events, before anything is built, so an alias bomb never expands.
    """
    if "&" not in header and "*" not in header and "<<" not in header:
        return  # the usual case, decided at C speed
    yaml, loader, _ = _yaml()
    for event in yaml.parse(header, Loader=loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ArticleError(
                "front matter uses YAML anchors or aliases (&name, *name); write plain values"
            )
        if isinstance(event, yaml.ScalarEvent) and event.value == "<<" and not event.style:
            raise ArticleError("front matter uses a YAML merge key (<<); write plain values")


def _nesting(header: str) -> int:
    """How deeply YAML flow collections nest in ``header`` (libyaml crashes past ~30,000)."""
    if header.count("[") + header.count("{") <= MAX_NESTING:
        return 0  # the usual case, decided at C speed
    depth = deepest = 0
    for char in header:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest
