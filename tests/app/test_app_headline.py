"""Pilot tests of the headline and summary in the reader: shown, highlighted, navigable, taggable,
listed in the Figures tab and found by search."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.app.support import (
    app_for_existing,
    open_article,
    option_text,
    quick_idle_checks,  # noqa: F401  (autouse)
    ready,
    screen_text,
)
from tui.app import ClaimdeskApp
from tui.core.annotations.store import open_store
from tui.core.articles.library import ArticleMeta, write_article
from tui.widgets.panel.claims import ClaimList
from tui.widgets.panel.figures import FigureList, FiguresPane

REVIVAL = "revival"
TITLE = "Hong Kong Tech Revival: $50B Investments, 13K Jobs"
SUMMARY = "OASES lured 84 firms with HK$50 billion in investments."
BODY = "\n".join(
    [
        "The Office for Attracting Strategic Enterprises has lured 84 companies, with "
        "investments reaching HK$50 billion ($6.37 billion) and approximately 13,000 jobs.",
        "Officials expect more firms to follow.",
    ]
)


def headline_app(root: Path) -> ClaimdeskApp:
    """A figures-only app on one article with a headline figure and a summary."""
    articles = root / "articles"
    meta = ArticleMeta(id=REVIVAL, title=TITLE, path=articles, source="WebProNews", summary=SUMMARY)
    write_article(articles, meta, BODY)
    return app_for_existing(root)


async def test_headline_and_summary_come_before_the_body(tmp_path: Path) -> None:
    """The view's text is the headline, the summary, then the body, a blank row after each."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        assert view.text == f"{TITLE}\n\n{SUMMARY}\n\n" + BODY.replace("\n", "\n\n")
        assert view.location_of(0, "title") == (0, 0)
        assert view.location_of(0, "summary") == (2, 0)
        assert view.field_offset_of((4, 3)) == ("body", 3)
        assert view.field_offset_of((2, 6)) == ("summary", 6)


async def test_headline_figure_is_highlighted_as_hong_kong_dollars(tmp_path: Path) -> None:
    """The headline's bare "$50B" takes the body's HK$ (money, HKD, a currency reason)."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        figure = next(s for s in view.spans if s.text == "$50B")
        assert (figure.field, figure.label, figure.data["currency"]) == ("title", "MONEY", "HKD")
        assert figure.data.get("currency_reason")
        line = view.get_line(0)
        styled = [span for span in line.spans if line.plain[span.start : span.end] == "$50B"]
        assert styled, "the headline figure is styled in the reader"


async def test_n_starts_with_the_headline_figure(tmp_path: Path) -> None:
    """From the top, n focuses the headline's first figure, then the next one in reading order."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        await pilot.press("n")
        assert view.focused is not None and view.focused.text == "$50B"
        assert view.selected_text == "$50B" and view.selected_field_range[0] == "title"
        await pilot.press("n")
        assert view.focused is not None and view.focused.field == "title"
        assert view.focused.text.startswith("13K")
        await pilot.press("N")
        assert view.focused is not None and view.focused.text == "$50B"


async def test_t_on_a_headline_figure_saves_a_title_claim(tmp_path: Path) -> None:
    """n then t on "$50B" saves a claim on the headline with its HKD figure."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, REVIVAL)
        await pilot.press("n", "t", *"headline", "ctrl+s")
        await pilot.pause()
        assert "Claims 1" in screen_text(app)
    [record] = open_store(tmp_path / "annotations.json").annotations()
    assert (record["field"], record["quote"], record["start"]) == ("title", "$50B", 24)
    assert record["figure"]["currency"] == "HKD"


async def test_a_mouse_drag_on_the_summary_tags_summary_text(tmp_path: Path) -> None:
    """Dragging over summary words selects them there; t saves a claim with field summary."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        dx = view.content_region.x - view.region.x
        dy = view.content_region.y - view.region.y
        await pilot.mouse_down(view, offset=(dx + 6, dy + 2))  # row 2: the summary
        await pilot.hover(view, offset=(dx + 17, dy + 2))
        await pilot.mouse_up(view, offset=(dx + 17, dy + 2))
        assert view.selected_field_range == ("summary", 6, 17)
        assert view.selected_text == "lured 84 fi"
        await pilot.press("t", "ctrl+s")
        await pilot.pause()
    [record] = open_store(tmp_path / "annotations.json").annotations()
    assert (record["field"], record["quote"]) == ("summary", "lured 84 fi")


async def test_headline_claims_are_underlined_and_listed(tmp_path: Path) -> None:
    """A saved claim on the headline is underlined there and listed in the Claims tab."""
    app = headline_app(tmp_path)
    article = app.workspace.article(REVIVAL)
    app.workspace.add_claim(article, 24, 28, field="title", note="headline check")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        assert view.field_claims["title"] == [(24, 28)]
        line = view.get_line(0)
        assert any(span.style.underline for span in line.spans if span.start == 24)  # type: ignore[union-attr]
        claims = app.reader.query_one(ClaimList)
        row = option_text(claims.get_option_at_index(0))
        assert "headline: “$50B”" in row and "headline check" in row


async def test_search_opens_a_headline_claim_in_the_headline(tmp_path: Path) -> None:
    """A search hit on a claim's note opens the article with the headline quote selected."""
    app = headline_app(tmp_path)
    article = app.workspace.article(REVIVAL)
    app.workspace.add_claim(article, 24, 28, field="title", note="overstated")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f", *"overstated")
        await pilot.pause()
        hits = app.screen.hits  # type: ignore[attr-defined]
        assert hits and hits[0].field == "title"
        await pilot.press("enter")
        await pilot.pause()
        assert app.reader.view.selected_field_range == ("title", 24, 28)


async def test_figures_tab_names_headline_and_summary_figures(tmp_path: Path) -> None:
    """The Figures tab lists "$50B" as a headline figure with its US-dollar equivalent."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, REVIVAL)
        figures = app.reader.query_one(FigureList)
        rows = [option_text(figures.get_option_at_index(i)) for i in range(figures.option_count)]
        assert any("$50B" in r and "headline" in r and "≈ US$6.37 billion" in r for r in rows)
        assert any("HK$50 billion" in r and "summary" in r for r in rows)


async def test_figures_tab_shows_the_currency_reason_of_the_highlighted_figure(
    tmp_path: Path,
) -> None:
    """Moving onto a money figure in the list shows why it has its currency."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        reason = next(s for s in view.spans if s.text == "$50B").data["currency_reason"]
        figures = app.reader.query_one(FigureList)
        figures.focus()
        figures.highlighted = 0
        await pilot.pause()
        detail = app.reader.query_one("#figure-detail", Static)
        assert detail.display and str(detail.content) == f"Currency HKD: {reason}"


async def test_s_sorts_figures_by_us_dollar_value(tmp_path: Path) -> None:
    """Sorted by value, HK$50 billion (≈ US$6.4 billion) ranks by its US-dollar equivalent."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_article(pilot, REVIVAL)
        pane = app.reader.query_one(FiguresPane)
        app.reader.query_one(FigureList).focus()
        await pilot.press("s")
        order = [pane.figures[i].text for i in pane.ordered()]
        money = [t for t in order if "$" in t]
        assert money[-1] == "$6.37 billion", "US$6.37bn is just below HK$50bn ≈ US$6.41bn"
        assert order.index("$6.37 billion") < order.index("13,000 jobs"), "money first"


async def test_keyboard_selection_extends_within_the_headline(tmp_path: Path) -> None:
    """n, v and w select "$50B Investments" in the headline; t tags that quote there."""
    app = headline_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        await pilot.press("n", "v", "w")
        assert view.selected_field_range == ("title", 24, 40)
        assert view.selected_text == "$50B Investments"
        await pilot.press("t", "ctrl+s")
        await pilot.pause()
    [record] = open_store(tmp_path / "annotations.json").annotations()
    assert (record["field"], record["quote"]) == ("title", "$50B Investments")


async def test_d_deletes_the_headline_claim_under_the_cursor(tmp_path: Path) -> None:
    """With the cursor inside a headline claim, d deletes that claim (u restores it)."""
    app = headline_app(tmp_path)
    article = app.workspace.article(REVIVAL)
    app.workspace.add_claim(article, 24, 28, field="title")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await open_article(pilot, REVIVAL)
        view.select_range(25, 25, "title")
        await pilot.press("d")
        await pilot.pause()
        assert app.reader.claims == []
        await pilot.press("u")
        await pilot.pause()
        assert [c.field for c in app.reader.claims] == ["title"]
