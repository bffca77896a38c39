"""The article library: one Markdown file per article, YAML front matter, canonical body.

A file looks like::

    ---
    id: hong-kong-tech-revival
    title: "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech"
    source: WebProNews
    author: Zane Howard
    published: null
    url: null
    summary: null
    imported_at: '2026-11-22T20:30:00Z'
    sha256: 9f1c...
    ---
    First paragraph.
    Second paragraph.

The body is stored canonical (:func:`tui.core.text.canonicalize`); an article is re-canonicalised
on load so a hand-edited file still yields offsets that mean the same thing everywhere. The
article's identity for anchoring is the sha256 of the canonical body as loaded.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import yaml

from tui.core.text import canonicalize, sha256_text, visible_controls

try:  # the C loader is ~10x faster; fall back quietly where libyaml is missing
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Files larger than this are reported and skipped: no news article is 20 MB of text."""

MAX_FRONT_MATTER = 64 * 1024
"""Characters of front matter accepted: real headers are a few hundred."""
MAX_NESTING = 64
"""Nesting of YAML ``[`` / ``{`` accepted in front matter (real headers have none)."""
ARTICLE_SUFFIXES = (".md",)
_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_ID_OK = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
INDEX_FILE = "library-index-v2.json"
"""Metadata of unchanged files (the version changes whenever what is stored for a file does)."""


class ArticleError(Exception):
    """A user-facing problem with one article file: ``str()`` is the one-line message."""


@dataclass(frozen=True)
class ArticleMeta:
    """Everything about an article except its body; cheap to list for a large library."""

    id: str
    title: str
    path: Path
    source: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    summary: str | None = None
    """The publisher's summary (dek) when the import found one; never part of the body."""
    imported_at: str | None = None
    sha256: str = ""
    words: int = 0


@dataclass(frozen=True)
class Article:
    """One article: its metadata and canonical body."""

    meta: ArticleMeta
    body: str

    @property
    def id(self) -> str:
        """The stable slug that names the article everywhere."""
        return self.meta.id

    @property
    def title(self) -> str:
        """The title shown in lists and exports."""
        return self.meta.title

    @property
    def sha256(self) -> str:
        """sha256 of the canonical body."""
        return self.meta.sha256


@dataclass(frozen=True)
class Problem:
    """A file that could not be read as an article, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class LibraryScan:
    """The result of reading a library folder: good articles (sorted by id) and problems."""

    articles: list[ArticleMeta] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def by_id(self, article_id: str) -> ArticleMeta | None:
        """The article with this id, or None."""
        return next((a for a in self.articles if a.id == article_id), None)


def slugify(text: str, max_words: int = 8) -> str:
    """A stable, readable id from a title: lower-case ASCII words joined by hyphens."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in _SLUG_BAD.split(ascii_text.lower()) if w][:max_words]
    slug = "-".join(words)[:80].strip("-")
    return slug or "article"


def utc_now() -> str:
    """Current UTC time as ISO-8601 with a ``Z``, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise ArticleError("empty file; delete it or re-import the article")
    if b"\x00" in raw[:8192]:
        raise ArticleError("binary file, not an article; move it out of the library")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"not valid UTF-8 (byte {exc.start}); re-save it as UTF-8 or re-import it"
        ) from None


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
    try:
        data = yaml.load(header, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ArticleError(f"malformed front matter{where}; fix the YAML or re-import") from None
    if not isinstance(data, dict):
        raise ArticleError("front matter is not a mapping of fields")
    return data, body


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


def _field(data: dict[str, Any], name: str) -> str | None:
    """A front-matter field as text, control characters made visible (it is shown as-is)."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list | dict):  # never str() one: YAML aliases can nest it hugely
        raise ArticleError(f"front matter '{name}' must be text, not a list or mapping")
    return visible_controls(str(value))


def parse_article(path: Path, raw: bytes) -> Article:
    """Parse one article file's bytes; raise ArticleError with a one-line reason."""
    data, body_text = split_front_matter(_decode(path, raw))
    article_id = _field(data, "id")
    if not article_id or not _ID_OK.match(article_id):
        raise ArticleError("front matter needs an 'id' of lower-case letters, digits and hyphens")
    title = _field(data, "title")
    if not title:
        raise ArticleError("front matter needs a 'title'")
    body = canonicalize(body_text)
    if not body:
        raise ArticleError("the article has no text after the front matter")
    meta = ArticleMeta(
        id=article_id,
        title=canonicalize(title).replace("\n", " "),
        path=path,
        source=_field(data, "source"),
        author=_field(data, "author"),
        published=_field(data, "published"),
        url=_field(data, "url"),
        summary=_field(data, "summary"),
        imported_at=_field(data, "imported_at"),
        sha256=sha256_text(body),
        words=len(body.split()),
    )
    return Article(meta=meta, body=body)


def read_article(path: Path) -> Article:
    """Read and parse one article file; every failure is an ArticleError naming the reason."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise ArticleError("not a regular file; move it out of the library")
        size = st.st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"too large ({size / 1e6:.0f} MB, limit {MAX_ARTICLE_BYTES // 2**20} MB); "
                "split it or move it out of the library"
            )
        raw = path.read_bytes()
    except PermissionError:
        raise ArticleError(
            "cannot read the file (permission denied); check its permissions"
        ) from None
    except OSError as exc:
        raise ArticleError(f"cannot read the file ({exc.strerror}); check the path") from None
    return parse_article(path, raw)


def render_article(meta: ArticleMeta, body: str) -> str:
    """The file text for an article: front matter then the canonical body."""
    header = {
        "id": meta.id,
        "title": meta.title,
        "source": meta.source,
        "author": meta.author,
        "published": meta.published,
        "url": meta.url,
        "summary": meta.summary,
        "imported_at": meta.imported_at,
        "sha256": sha256_text(body),
    }
    dumped = yaml.dump(header, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n{body}\n"


def write_article(directory: Path, meta: ArticleMeta, body: str) -> Path:
    """Write an article atomically as ``<directory>/<id>.md`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{meta.id}.md"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(render_article(meta, body), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _article_files(directory: Path) -> Iterable[Path]:
    try:
        entries = sorted(directory.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [p for p in entries if p.suffix in ARTICLE_SUFFIXES and not p.name.startswith(".")]


def _signature(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def scan_library(directory: Path, cache_dir: Path | None = None) -> LibraryScan:
    """Read every article's metadata in ``directory``; bad files become Problems.

    With ``cache_dir`` the metadata of unchanged files (same inode, size, mtime) comes from an
    index there, so a library of thousands of articles lists without parsing each file.
    """
    index: dict[str, Any] = {}
    index_path = cache_dir / INDEX_FILE if cache_dir else None
    if index_path is not None:
        try:
            loaded = orjson.loads(index_path.read_bytes())
            index = loaded if isinstance(loaded, dict) else {}
        except (OSError, orjson.JSONDecodeError):
            index = {}
    scan = LibraryScan()
    fresh: dict[str, Any] = {}
    seen: dict[str, Path] = {}
    for path in _article_files(directory):
        signature = _signature(path)
        cached = index.get(str(path))
        meta: ArticleMeta | None = None
        if signature and isinstance(cached, dict) and cached.get("sig") == signature:
            try:
                meta = ArticleMeta(**{**cached["meta"], "path": path})
            except TypeError:
                meta = None
        if meta is None:
            try:
                meta = read_article(path).meta
            except ArticleError as exc:
                scan.problems.append(Problem(path, str(exc)))
                continue
        if meta.id in seen:
            scan.problems.append(
                Problem(
                    path, f"duplicate id '{meta.id}' (also in {seen[meta.id].name}); rename one"
                )
            )
            continue
        seen[meta.id] = path
        scan.articles.append(meta)
        if signature:
            record = asdict(meta)
            record.pop("path")
            fresh[str(path)] = {"sig": signature, "meta": record}
    if index_path is not None and fresh != index:
        try:
            index_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = index_path.with_suffix(".tmp")
            tmp.write_bytes(orjson.dumps(fresh))
            os.replace(tmp, index_path)
        except OSError:
            pass  # the index is only a speed-up
    scan.articles.sort(key=lambda a: a.id)
    return scan


def load_article(meta: ArticleMeta) -> Article:
    """Read an article's body; raise ArticleError if the file went bad since it was listed."""
    article = read_article(meta.path)
    if article.meta != meta:
        return article
    return Article(meta=meta, body=article.body)


def with_title(meta: ArticleMeta, title: str) -> ArticleMeta:
    """A copy of ``meta`` with a new title."""
    return replace(meta, title=title)
