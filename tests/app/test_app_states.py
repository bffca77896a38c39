"""Pilot tests of the reader's harder states: changed articles, broken database, colours, size."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input, OptionList, TextArea

from tests.app.support import (
    TECH_BODY,
    app_for,
    app_for_existing,
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    record_notifications,
    screen_text,
    shown,
    write_library,
)
from tui.app import make_app
from tui.core.annotations.store import open_store
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.config import Settings
from tui.screens.correction import label_choice
from tui.screens.tag import TagScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.library_list import LibraryList
from tui.widgets.panel.figures import FiguresPane
from tui.widgets.spans import label_styles

TECH = "hong-kong-tech-revival"


async def test_orphaned_claim_is_grouped_with_its_stored_quote(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        meta = app.workspace.scan.by_id(TECH)
        assert meta is not None
        article = app.workspace.article(meta)
        start = TECH_BODY.index("Cyberport")
        app.workspace.add_claim(article, start, start + len("Cyberport said"), tags=["gone"])
        kept = TECH_BODY.index("Growth")
        app.workspace.add_claim(article, kept, kept + len("Growth"), tags=["kept"])
    # the article is edited outside Claimdesk: the first quote disappears
    edited = TECH_BODY.replace("Cyberport said the number", "The number")
    write_article(app.settings.articles_dir, meta, edited)
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        claim_list = app.reader.query_one("#claim-list", OptionList)
        prompts = [option_text(option) for option in claim_list.options]
        assert "#kept" in prompts[0]
        assert prompts[1] == "Needs attention"
        assert "“Cyberport said”" in prompts[2] and "orphan" in prompts[2]
        view = app.reader.query_one("#article", ArticleView)
        assert view.claims == [(edited.index("Growth"), edited.index("Growth") + 6)]
        claim_list.focus()
        claim_list.highlighted = 2
        await pilot.press("enter")  # choose the orphan, select where it belongs, re-attach
        start = edited.index("The number")
        view.select_range(start, start + len("The number"))
        await pilot.press("a")
        await pilot.pause()
        assert "Needs attention" not in [option_text(o) for o in claim_list.options]
    [moved] = [
        r for r in open_store(tmp_path / "annotations.json").annotations() if "gone" in r["tags"]
    ]
    assert (moved["quote"], moved["anchor_state"]) == ("The number", "anchored")


async def test_unreadable_database_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    (tmp_path / "annotations.json").write_bytes(b"{ this is not json")
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await shown(pilot, "annotations.json")  # the toast may take a frame under load
        await open_article(pilot, TECH)
        await pilot.press("n", "t", *"x", "ctrl+s")
        await pilot.pause()
        assert "Not saved" in screen_text(app) and app.is_running
        assert isinstance(app.screen, TagScreen), "the dialog stays open with what was typed"
        assert app.screen.query_one("#tag-tags", Input).value == "x"
    assert (tmp_path / "annotations.json").read_bytes() == b"{ this is not json"


async def test_failed_save_keeps_the_typed_claim_for_a_retry(tmp_path: Path) -> None:
    articles = write_library(tmp_path)
    db = tmp_path / "later" / "annotations.json"
    app = make_app(Settings.from_paths(articles, db), entities=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        await pilot.press("n", "t", *"jobs", "tab", *"check it", "ctrl+s")
        await pilot.pause()
        assert "Not saved" in screen_text(app) and "does not exist" in screen_text(app)
        assert isinstance(app.screen, TagScreen)
        assert app.screen.query_one("#tag-tags", Input).value == "jobs"
        assert app.screen.query_one("#tag-note", TextArea).text == "check it"
        db.parent.mkdir()  # the user fixes the folder and saves again
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen)
    [saved] = open_store(db).annotations()
    assert (saved["tags"], saved["note"]) == (["jobs"], "check it")


async def test_no_color_keeps_highlights_distinguishable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, TECH)
        styles = app.reader.query_one("#article", ArticleView).label_styles
        assert styles["MONEY"].bgcolor is None and styles["MONEY"].bold
        assert styles["ORG"].italic and not styles["ORG"].bold


async def test_legend_clicks_and_theme_switch_restyle_highlights(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, TECH)
        legend = app.reader.query_one("#legend")
        row = screen_text(app).splitlines()[legend.region.y]
        column = row.index(" money ") + 2 - legend.region.x
        await pilot.click(legend, offset=(column, 0))  # hide money highlights
        await pilot.pause()
        assert app.reader.hidden_labels == {"MONEY"}
        assert view.spans and not any(s.label == "MONEY" for s in view.visible_spans())
        await pilot.press("n")  # n skips hidden labels
        assert view.focused is not None and view.focused.label != "MONEY"
        await pilot.click(legend, offset=(column, 0))  # and show them again
        await pilot.pause()
        assert app.reader.hidden_labels == set()
        assert any(s.label == "MONEY" for s in view.visible_spans())
        dark = dict(view.label_styles)
        app.theme = "textual-light"
        await pilot.pause()
        assert view.label_styles != dark, "a light theme gets its own highlight colours"


def _contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            x = value / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in colour.rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    low, high = sorted((luminance(first), luminance(second)))
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", sorted(BUILTIN_THEMES))
def test_highlights_are_readable_in_every_theme(theme: str) -> None:
    """ANSI themes leave the background to the terminal: highlights must still be legible."""
    current = BUILTIN_THEMES[theme]
    for label, style in label_styles(current.background, current.dark, False).items():
        assert style.color is not None and style.bgcolor is not None
        text, behind = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
        assert _contrast(text, behind) >= 3.5, (theme, label, str(style))


@pytest.mark.parametrize("theme", sorted(BUILTIN_THEMES))
@pytest.mark.parametrize("color_system", ["truecolor", "256", "standard"])
def test_every_label_has_its_own_colour_in_every_colour_mode(theme: str, color_system: str) -> None:
    """In 256 colours six labels used to round to one colour; each label must stay distinct."""
    current = BUILTIN_THEMES[theme]
    styles = label_styles(current.background, current.dark, False, color_system)
    looks = [(s.color, s.bgcolor) for s in styles.values()]
    assert len(set(looks)) == len(looks), (theme, color_system)
    if color_system == "256":
        for label, style in styles.items():
            assert style.color is not None and style.bgcolor is not None
            text = Color(*style.color.get_truecolor())
            behind = Color(*style.bgcolor.get_truecolor())
            assert _contrast(text, behind) >= 3.5, (theme, label)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("PERSON", "person (PERSON)"),
        ("GPE", "place (GPE)"),
        ("NORP", "group (NORP)"),
        ("LANGUAGE", "language (LANGUAGE)"),
    ],
)
def test_correction_labels_name_each_code_once(label: str, shown: str) -> None:
    assert label_choice(label) == shown


async def test_large_library_lists_lazily_and_opens_the_last(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    for i in range(300):
        meta = ArticleMeta(id=f"report-{i:04d}", title=f"Report {i}", path=articles)
        write_article(articles, meta, f"Report {i}\nCompany {i} raised HK${i + 1} billion.")
    app = app_for_existing(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        library = app.reader.query_one("#library-list", LibraryList)
        assert len(library.metas) == 300
        await pilot.press("end", "up", "enter")
        await pilot.pause()
        second_last = library.metas[-2]
        assert app.reader.article is not None and app.reader.article.id == second_last.id
        figures = app.reader.query_one(FiguresPane)
        number = int(second_last.id.removeprefix("report-"))
        assert figures.figures[0].text == f"HK${number + 1} billion"
        await pilot.press("l")
        await pilot.click(library, offset=(3, 0))  # the first visible row after scrolling
        await pilot.pause()
        assert app.reader.article.id == library.highlighted_id


async def test_long_article_shows_text_before_its_figures(tmp_path: Path) -> None:
    app = app_for(tmp_path)
    long_body = "\n".join([TECH_BODY] * 150)
    meta = ArticleMeta(id="long-read", title="Long read", path=app.settings.articles_dir)
    write_article(app.settings.articles_dir, meta, long_body)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.reader.open_article("long-read")
        view = app.reader.query_one("#article", ArticleView)
        assert view.body == long_body and view.spans == [], "text first, figures from a worker"
        await ready(pilot)
        assert len([s for s in view.spans if s.kind == "figure"]) >= 150 * 4


async def test_keys_remap_by_binding_id_from_env_and_at_run_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMDESK_KEYS", "reader.tag=x; nonsense; reader.tagg=y")
    app = app_for(tmp_path)
    assert app.settings.keymap == {"reader.tag": "x", "reader.tagg": "y"}
    assert len(app.settings.keymap_problems) == 1
    messages = record_notifications(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        warnings = [m for m in messages if m.startswith("CLAIMDESK_KEYS")]
        assert len(warnings) == 2, "a typo in CLAIMDESK_KEYS is reported, not ignored"
        assert "'nonsense'" in warnings[0] and "reader.tagg" in warnings[1]
        await open_article(pilot, TECH)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        assert "reader.tag" in help_text
        tag_row = next(
            line for line in help_text.splitlines() if line.rstrip("│▊▎ ").endswith("reader.tag")
        )
        assert tag_row.strip("│▊▎ ").split()[0] == "x", "the help shows the remapped key"
        await pilot.press("escape")
        app.update_keymap({"reader.next_span": "right_square_bracket"})  # remapped while running
        await pilot.press("right_square_bracket", "x")
        assert isinstance(app.screen, TagScreen)


async def test_entities_arrive_from_the_pool_after_the_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.core.extract as extract

    def fake_extract_in_process(
        text: str,
        model: str | None,
        corrections: list[dict[str, Any]],
        cache_dir: Path | None,
        context: object = None,
    ) -> extract.Extraction:
        start = text.index("Cyberport")
        entity = {"text": "Cyberport", "start": start, "end": start + 9, "label": "ORG"}
        figures = extract.Extractor(None, corrections).figures(text)
        return extract.Extraction(figures, [{**entity, "key": "Cyberport"}], "fake", None)

    monkeypatch.setattr(extract, "extract_in_process", fake_extract_in_process)
    articles = write_library(tmp_path)
    settings = Settings.from_paths(articles, tmp_path / "annotations.json")
    with ThreadPoolExecutor(max_workers=1) as pool:
        app = make_app(settings, pool)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            app.reader.open_article(TECH)
            view = app.reader.query_one("#article", ArticleView)
            assert [s for s in view.spans if s.kind == "entity"] == []
            await ready(pilot)
            assert [(s.text, s.label) for s in view.spans if s.kind == "entity"] == [
                ("Cyberport", "ORG")
            ]
            assert "finding entities" not in screen_text(app)
            assert "organisation 1" in screen_text(app)


async def test_empty_library_says_how_to_import(tmp_path: Path) -> None:
    app = app_for_existing(tmp_path)  # no articles folder at all
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        text = " ".join(screen_text(app).split())
        assert "No articles in" in text and "import FILE" in text
        await pilot.press("n", "t", "slash")
        assert app.is_running and app.reader.article is None
