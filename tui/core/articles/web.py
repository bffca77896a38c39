"""Fetching web pages and feeds: one GET with a timeout, redirects, a size cap and a clear agent.

Redirects are followed by hand so a loop is named as one ("redirect loop: A -> B -> A") and
only ``http``/``https`` addresses are ever requested. The body is streamed and the download is
abandoned as soon as it passes the cap, or when the whole exchange passes the timeout (a server
that trickles bytes never holds an import forever). Every failure is a :class:`WebError` whose
text is one line naming the address and the reason.

Limits come from :class:`FetchOptions`; ``CLAIMDESK_HTTP_TIMEOUT`` (seconds) and
``CLAIMDESK_MAX_PAGE_BYTES`` override the defaults.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from importlib import metadata
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

DEFAULT_TIMEOUT = 20.0
"""Seconds for one whole fetch, redirects and body included."""
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Largest response body read: news pages are a few hundred kilobytes."""
MAX_REDIRECTS = 10

Kind = Literal["page", "feed"]
_PAGE_TYPES = ("text/html", "application/xhtml+xml")
_BINARY_KINDS = {
    "application/pdf": "a PDF document",
    "application/zip": "a zip archive",
    "application/octet-stream": "a binary file",
    "application/msword": "a Word document",
    "application/json": "JSON data",
}


def user_agent() -> str:
    """``Claimdesk/<version>``, sent with every request."""
    try:
        version = metadata.version("claimdesk")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "0"
    return f"Claimdesk/{version} (article importer)"


class WebError(Exception):
    """A fetch that failed: ``str()`` is one line naming the address and the reason."""


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one fetch."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = MAX_REDIRECTS

    @classmethod
    def from_env(cls) -> FetchOptions:
        """The defaults, with ``CLAIMDESK_HTTP_TIMEOUT`` / ``CLAIMDESK_MAX_PAGE_BYTES`` applied."""
        return cls(
            timeout=_env_number("CLAIMDESK_HTTP_TIMEOUT", DEFAULT_TIMEOUT),
            max_bytes=int(_env_number("CLAIMDESK_MAX_PAGE_BYTES", DEFAULT_MAX_BYTES)),
        )


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Response:
    """What a fetch brought back."""

    url: str
    """The final address, after redirects."""
    requested_url: str
    """The address asked for."""
    body: bytes
    content_type: str
    """The media type without parameters, lower case ("" when the server sent none)."""
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    """The server answered 304: nothing changed since the ETag / Last-Modified sent."""


def is_url(text: str) -> bool:
    """Whether ``text`` is an ``http://`` or ``https://`` address (as opposed to a file path)."""
    return text[:8].lower().startswith(("http://", "https://"))


def fetch(
    url: str,
    *,
    kind: Kind = "page",
    options: FetchOptions | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Response:
    """GET ``url`` (following redirects) and return its body; raise WebError on any failure.

    ``kind`` says what is expected: a ``page`` must be HTML; a ``feed`` may be any XML or text
    (feedparser decides) but not an HTML page, a PDF or an image. ``etag`` / ``last_modified``
    are sent back as ``If-None-Match`` / ``If-Modified-Since``.
    """
    options = options or FetchOptions.from_env()
    headers = {"User-Agent": user_agent(), "Accept": _accept(kind)}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + options.timeout
    try:
        with httpx.Client(
            follow_redirects=False, timeout=httpx.Timeout(options.timeout), headers=headers
        ) as client:
            return _follow(client, url, kind, options, deadline)
    except httpx.TimeoutException:
        raise WebError(f"{url}: timed out after {options.timeout:g} s; try again later") from None
    except httpx.ConnectError as exc:
        raise WebError(f"{url}: {_connect_reason(exc)}") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        raise WebError(f"{url}: not a valid web address; check it") from None
    except httpx.HTTPError as exc:
        raise WebError(f"{url}: {type(exc).__name__} ({exc}); try again later") from None


def _accept(kind: Kind) -> str:
    if kind == "feed":
        return "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"
    return "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def _connect_reason(exc: httpx.ConnectError) -> str:
    text = str(exc)
    if "CERTIFICATE" in text.upper() or "SSL" in text.upper() or "TLS" in text.upper():
        return f"TLS error ({text}); the site's certificate could not be verified"
    return f"cannot connect ({text or 'connection refused'}); check the address"


def _follow(
    client: httpx.Client, url: str, kind: Kind, options: FetchOptions, deadline: float
) -> Response:
    visited = [url]
    current = url
    for _ in range(options.max_redirects + 1):
        _check_scheme(url, current)
        with client.stream("GET", current) as response:
            if response.is_redirect and "location" in response.headers:
                target = urljoin(str(response.url), response.headers["location"])
                if target in visited:
                    chain = " -> ".join([*visited[visited.index(target) :], target])
                    raise WebError(f"{url}: redirect loop ({chain}); the site is misconfigured")
                visited.append(target)
                current = target
                continue
            return _read(response, url, kind, options, deadline)
    raise WebError(f"{url}: more than {options.max_redirects} redirects; check the address")


def _check_scheme(url: str, current: str) -> None:
    if urlsplit(current).scheme.lower() not in ("http", "https"):
        raise WebError(f"{url}: redirected to {current}, which is not a web address")


def _read(
    response: httpx.Response, url: str, kind: Kind, options: FetchOptions, deadline: float
) -> Response:
    final = str(response.url)
    etag = response.headers.get("etag")
    modified = response.headers.get("last-modified")
    if response.status_code == 304:
        return Response(final, url, b"", "", None, etag, modified, not_modified=True)
    if response.status_code >= 400:
        reason = response.reason_phrase or "error"
        raise WebError(f"{url}: HTTP {response.status_code} {reason}; check the address")
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    _check_type(url, media, kind)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > options.max_bytes:
        raise WebError(f"{url}: {_too_large(int(declared), options.max_bytes)}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > options.max_bytes:
            raise WebError(f"{url}: {_too_large(size, options.max_bytes, more=True)}")
        if time.monotonic() > deadline:
            raise WebError(f"{url}: timed out after {options.timeout:g} s; try again later")
        chunks.append(chunk)
    body = b"".join(chunks)
    if kind == "page" and not media and not _looks_like_html(body):
        raise WebError(f"{url}: not an HTML page (no content type, and no HTML in it)")
    charset = response.charset_encoding
    return Response(final, url, body, media, charset, etag, modified)


def _too_large(size: int, cap: int, *, more: bool = False) -> str:
    limit = f"{cap / 2**20:.1f} MB"
    amount = f"more than the {limit} limit" if more else f"{size / 2**20:.1f} MB, limit {limit}"
    return f"response too large ({amount}); save the article text and import the file"


def _check_type(url: str, media: str, kind: Kind) -> None:
    """Refuse what cannot be the expected kind of document, naming what it is."""
    wanted = "a feed" if kind == "feed" else "an HTML page"
    what = _BINARY_KINDS.get(media)
    if what is None and media.startswith(("image/", "audio/", "video/", "font/")):
        family = media.split("/")[0]
        what = f"{'an' if family[0] in 'aeiou' else 'a'} {family} file"
    if what is None and kind == "page" and media and media not in _PAGE_TYPES:
        what = "not HTML"
    if what is None and kind == "feed" and media in _PAGE_TYPES:
        raise WebError(
            f"{url}: is a web page ({media}), not a feed; find the page's RSS or Atom link"
        )
    if what is not None:
        lead = what if what.startswith("not ") else f"is {what}"
        raise WebError(f"{url}: {lead} ({media}), not {wanted}; nothing imported")


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
