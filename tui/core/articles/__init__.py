"""The article library: files on disk, the importer, readers of file types, boilerplate, headers.

`tui.core.articles` keeps its public names (`ArticleMeta`, `Article`, `read_article`,
`write_article`, …) for outside scripts; they live in `tui.core.articles.library`, and
`delete_article` / `restore_article` in `tui.core.articles.versions`.
"""

from tui.core.articles.library import (
    ARTICLE_SUFFIXES,
    MAX_ARTICLE_BYTES,
    Article,
    ArticleError,
    ArticleMeta,
    LibraryScan,
    Problem,
    load_article,
    parse_article,
    read_article,
    render_article,
    scan_library,
    slugify,
    split_front_matter,
    utc_now,
    with_title,
    write_article,
)
from tui.core.articles.versions import delete_article, restore_article

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_ARTICLE_BYTES",
    "Article",
    "ArticleError",
    "ArticleMeta",
    "LibraryScan",
    "Problem",
    "delete_article",
    "load_article",
    "parse_article",
    "read_article",
    "render_article",
    "restore_article",
    "scan_library",
    "slugify",
    "split_front_matter",
    "utc_now",
    "with_title",
    "write_article",
]
