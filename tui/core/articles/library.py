"""The article library: one Markdown file per article, YAML front matter, canonical body.

A file looks like::

    ---
    id: hong-kong-tech-revival
    title: "Hong Kong Tech Revival: $50B Investments, 13K Jobs in AI, Biotech"
    source: WebProNews
    author: Zane Howard
    published: null
    updated: null
    url: null
    original_url: null
    currency: null
    summary: null
    imported_at: '2026-11-22T20:30:00Z'
    sha256: 9f1c...
    ---
    First paragraph.
    Second paragraph.

The body is stored canonical (:func:`tui.core.text.canonicalize`); an article is re-canonicalised
on load so a hand-edited file still yields offsets that mean the same thing everywhere. The
article's identity for anchoring is the sha256 of the canonical body as loaded.

Front matter is plain YAML values only: anchors, aliases and merge keys are refused (a few
hundred bytes of them can expand to gigabytes), and so is an impossible date. Files are
written through a random temporary name in the library folder (``mkstemp``), fsynced and
renamed into place, so a planted symlink is never followed and a crash leaves no half file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tui.core.articles.frontmatter import ArticleError as ArticleError
from tui.core.articles.frontmatter import dump_front_matter
from tui.core.articles.frontmatter import split_front_matter as split_front_matter
from tui.core.fileio import _umask, atomic_write, fsync_dir
from tui.core.text import canonicalize, sha256_text, visible_controls

MAX_ARTICLE_BYTES = 20 * 1024 * 1024
"""Files larger than this are reported and skipped: no news article is 20 MB of text."""

ARTICLE_SUFFIXES = (".md",)
_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_ID_OK = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
"""An ISO 4217 code, as ``currency:`` in front matter holds it."""


@dataclass(frozen=True)
class ArticleMeta:
    """Everything about an article except its body; cheap to list for a large library."""

    id: str
    title: str
    path: Path
    source: str | None = None
    author: str | None = None
    published: str | None = None
    updated: str | None = None
    """When the page says it was last updated (only when it differs from ``published``)."""
    url: str | None = None
    """The article's web address (the final one, after redirects)."""
    original_url: str | None = None
    """The address it was imported from, when a redirect led elsewhere."""
    currency: str | None = None
    """The currency a bare ``$`` or ``dollars`` means in this article (ISO code), if known."""
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


def _field(data: dict[str, Any], name: str) -> str | None:
    """A front-matter field as text, control characters made visible (it is shown as-is)."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
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
    currency = _field(data, "currency")
    if currency is not None and not CURRENCY_CODE.fullmatch(currency.upper()):
        raise ArticleError(
            f"front matter 'currency' must be a three-letter ISO code such as AUD, not {currency!r}"
        )
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
        updated=_field(data, "updated"),
        url=_field(data, "url"),
        original_url=_field(data, "original_url"),
        currency=currency.upper() if currency else None,
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
        "updated": meta.updated,
        "url": meta.url,
        "original_url": meta.original_url,
        "currency": meta.currency,
        "summary": meta.summary,
        "imported_at": meta.imported_at,
        "sha256": sha256_text(body),
    }
    dumped = dump_front_matter(header)
    return f"---\n{dumped}---\n{body}\n"


def write_article(directory: Path, meta: ArticleMeta, body: str, *, create: bool = False) -> Path:
    """Write an article atomically and durably as ``<directory>/<id>.md``; return the path.

    With ``create`` the file must not exist yet (FileExistsError otherwise): the new file is
    hard-linked into place, which fails rather than replace an article another process wrote.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{meta.id}.md"
    data = render_article(meta, body).encode("utf-8")
    if not create:
        atomic_write(path, data)
        return path
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())  # mkstemp's 0600 is not an article's
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # never replaces: FileExistsError when the id was taken meanwhile
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create, then write
            create_exclusive(path, data)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(directory)
    return path


def create_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` (never replacing or following a link) and write ``data`` durably;
    FileExistsError when it exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def scan_library(directory: Path, cache_dir: Path | None = None) -> LibraryScan:
    """Read every article's metadata in ``directory``; bad files become Problems.

    With ``cache_dir`` the metadata of unchanged files comes from an index there (see
    :mod:`tui.core.articles.index`), so thousands of articles list without parsing each file.
    """
    from tui.core.articles.index import scan_folder

    return scan_folder(directory, cache_dir)


def load_article(meta: ArticleMeta) -> Article:
    """Read an article's body; raise ArticleError if the file went bad since it was listed."""
    article = read_article(meta.path)
    if article.meta != meta:
        return article
    return Article(meta=meta, body=article.body)


def with_title(meta: ArticleMeta, title: str) -> ArticleMeta:
    """A copy of ``meta`` with a new title."""
    return replace(meta, title=title)
