"""``claimdesk index``: every library article into the extraction cache, on every core."""

from __future__ import annotations

import time

import click

from tui.cli.corpus_run import BATCH_SIZE, IN_PROCESS_BELOW, INTERRUPTED, progress, progress_wanted
from tui.cli.library import corrections_or_warn, scan_or_warn
from tui.cli.output import UserError, safe, warn
from tui.core.articles.library import ArticleError, ArticleMeta, load_article
from tui.core.config import Settings
from tui.core.extract import Extractor
from tui.core.extract.parallel import ExtractBatch, RecordFailure, all_cores, batched, map_batches


@click.command("index")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores)."
)
@click.pass_obj
def index_command(settings: Settings, jobs: int | None) -> None:
    """Extract every library article not yet in the cache, on every core.

    Afterwards the reader, 'list' and 'show' have every article's entities at once. Safe to
    interrupt: what is done stays cached and the next run carries on from there.
    """
    scan = scan_or_warn(settings)
    extractor = Extractor(settings.cache_dir, corrections_or_warn(settings), settings.model)
    bodies: list[str] = []
    pending: list[ArticleMeta] = []
    failed = 0
    for meta in scan.articles:
        try:
            body = load_article(meta).body
        except ArticleError as exc:
            warn(f"skipped {safe(meta.path)}: {exc}")
            failed += 1
            continue
        if extractor.cached(body) is None:
            bodies.append(body)
            pending.append(meta)
    cached = len(scan.articles) - failed - len(bodies)
    step = ExtractBatch(settings.cache_dir, extractor.corrections, settings.model)
    workers = 1 if len(bodies) < IN_PROCESS_BELOW else (jobs or all_cores())
    started, done, notice = time.perf_counter(), 0, None
    in_order = iter(pending)
    try:
        with progress(len(bodies), "articles", progress_wanted(True)) as advance:
            for results in map_batches(step, batched(bodies, BATCH_SIZE), workers):
                # results first: zip then stops without taking one more article
                for result, meta in zip(results, in_order, strict=False):
                    if isinstance(result, RecordFailure):
                        warn(f"{safe(meta.id)}: extraction failed ({result.message}); not cached")
                        failed += 1
                    else:
                        notice = notice or result.notice
                        done += 1
                advance(len(results))
    except KeyboardInterrupt:
        warn(
            f"interrupted: {done} article(s) indexed and cached; run 'claimdesk index' again "
            "to carry on"
        )
        raise SystemExit(INTERRUPTED) from None
    if notice:
        raise UserError(f"{notice} (nothing was indexed)")
    seconds = time.perf_counter() - started
    click.echo(
        f"Indexed {done} article(s) in {seconds:.1f} s with {workers} process(es); "
        f"{cached} already cached"
    )
    if failed:
        raise UserError(f"{failed} article(s) could not be indexed (see above)")
