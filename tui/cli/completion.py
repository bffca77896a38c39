"""Shell completion of article ids: ``claimdesk show hong<TAB>``.

Click completes by parsing the command line without running the group's callback, so the
library is found from the parsed ``--articles``/``--db`` (or the environment, config file and
defaults) exactly as a real run would. Enable it with click's usual line, e.g. for bash:
``eval "$(_CLAIMDESK_COMPLETE=bash_source claimdesk)"``.
"""

from __future__ import annotations

from typing import Any

import click
from click.shell_completion import CompletionItem

from tui.cli.output import safe
from tui.core.config import ConfigError, Settings


def _settings(ctx: click.Context) -> Settings | None:
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    try:
        return Settings.resolve(root.params.get("articles_dir"), root.params.get("db_path"))
    except ConfigError:
        return None


def article_id_completions(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Ids in the library that start with ``incomplete``, each with its title as help."""
    from tui.core.articles.library import scan_library  # imported here: only when completing

    settings = _settings(ctx)
    if settings is None or not settings.articles_dir.is_dir():
        return []
    try:
        articles = scan_library(settings.articles_dir, settings.cache_dir).articles
    except OSError:
        return []
    return [
        CompletionItem(meta.id, help=safe(meta.title))
        for meta in articles
        if meta.id.startswith(incomplete)
    ]


class ArticleIdType(click.ParamType):  # type: ignore[type-arg]  # generic only in stubs
    """An article id (or unique prefix) argument or option that the shell can complete."""

    name = "article_id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The id as given: resolving it is the command's job (with a one-line error)."""
        return value

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """The library's matching ids."""
        return article_id_completions(ctx, incomplete)


class ArticleIdOrFileType(ArticleIdType):
    """An article id or a file path (``claimdesk entities``): ids first, then file names."""

    name = "article_id_or_file"

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """Matching ids, then the shell's own file completion."""
        return [*article_id_completions(ctx, incomplete), CompletionItem(incomplete, type="file")]


ARTICLE_ID = ArticleIdType()
"""``@click.argument("article_id", type=ARTICLE_ID)``"""
ARTICLE_ID_OR_FILE = ArticleIdOrFileType()
"""``@click.argument("target", type=ARTICLE_ID_OR_FILE)``"""
