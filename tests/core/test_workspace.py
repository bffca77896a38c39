"""The workspace both front ends share, and the pure claim policies it applies."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tui.core.articles.library import Article, ArticleMeta, read_article, write_article
from tui.core.claims import Claim, ClaimQuery, claims_at, figure_for_span
from tui.core.config import Settings
from tui.core.text import canonicalize
from tui.core.workspace import DuplicateClaim, Workspace, WorkspaceError

BODY = canonicalize(
    "Hong Kong will invest HK$50 billion over 2.5 years.\n"
    "The plan should create 13,000 jobs, officials said.\n"
    "A HK$1 billion AI institute opens next year."
)
TITLE = "Hong Kong plan: $50B and 13K Jobs"


def write(folder: Path, body: str = BODY, title: str = TITLE) -> Path:
    meta = ArticleMeta(id="hk-plan", title=title, path=folder / "hk-plan.md", summary=None)
    return write_article(folder, meta, body)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    write(tmp_path / "articles")
    work = Workspace(Settings.from_paths(tmp_path / "articles", tmp_path / "annotations.json"))
    work.load_library()
    return work


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


FIGURES: list[dict[str, Any]] = [
    {"text": "HK$50 billion", "start": 22, "end": 35, "label": "MONEY", "value": 5e10},
    {"text": "13,000 jobs", "start": 75, "end": 86, "label": "COUNT", "value": 13000},
]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (22, 35, "HK$50 billion"),  # exactly the figure
        (25, 35, "HK$50 billion"),  # "50 billion" inside "HK$50 billion": the HK$ figure
        (15, 40, "HK$50 billion"),  # a passage holding the figure
        (0, 100, "HK$50 billion"),  # a passage holding two: the first
        (75, 86, "13,000 jobs"),
        (0, 10, None),  # no figure touched
        (30, 80, None),  # straddles two figures without holding either
    ],
)
def test_figure_for_span_is_the_figure_the_span_lies_in_else_the_first_inside(
    start: int, end: int, expected: str | None
) -> None:
    figure = figure_for_span(FIGURES, start, end)
    assert (figure["text"] if figure else None) == expected
    assert figure is None or not {"start", "end"} & set(figure)


def test_claims_at_finds_every_claim_sharing_a_span_closest_first() -> None:
    base = {"quote": "HK$50 billion", "tags": [], "status": "unverified", "note": ""}
    wide = Claim({**base, "id": "wide"}, "anchored", 10, 40, "x")
    exact = Claim({**base, "id": "exact"}, "anchored", 22, 35, "HK$50 billion")
    other = Claim({**base, "id": "other"}, "anchored", 60, 70, "y")
    gone = Claim({**base, "id": "gone"}, "orphan", 0, 0, "")
    found = claims_at([wide, exact, other, gone], 22, 35)
    assert [c.id for c in found] == ["exact", "wide"]
    assert [c.id for c in claims_at([wide, exact], 30, 30)] == ["exact", "wide"]  # a caret


@pytest.mark.parametrize(
    ("query", "matches"),
    [
        (ClaimQuery(tag="jobs"), True),
        (ClaimQuery(tag="#JOBS"), True),  # as the Claims tab writes tags
        (ClaimQuery(tag="job"), False),
        (ClaimQuery(status="disputed"), True),
        (ClaimQuery(status="supported"), False),
        (ClaimQuery(search="officials"), True),  # the note
        (ClaimQuery(author="Ana"), True),
        (ClaimQuery(author="ben"), False),
    ],
)
def test_claim_query_filters_like_the_cli_options(query: ClaimQuery, matches: bool) -> None:
    record = {"tags": ["jobs"], "status": "disputed", "quote": "13,000 jobs",
              "note": "officials said so", "author": "ana"}  # fmt: skip
    assert query.matches_record(record) is matches


def test_the_same_span_twice_is_refused_with_the_existing_claim(workspace: Workspace) -> None:
    article = workspace.article("hk-plan")
    first = workspace.add_claim(article, *span(article.body, "13,000 jobs"), tags=["jobs"])
    with pytest.raises(DuplicateClaim) as caught:
        workspace.add_claim(article, *span(article.body, "13,000 jobs"))
    assert caught.value.existing.id == first["id"]
    again = workspace.add_claim(article, *span(article.body, "13,000 jobs"), allow_duplicate=True)
    assert again["id"] != first["id"] and len(workspace.claims(article)) == 2


def test_a_claim_on_part_of_a_figure_records_that_figure(workspace: Workspace) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "50 billion"))
    assert record["figure"]["currency"] == "HKD" and record["figure"]["value"] == 5e10


def test_reattach_derives_the_figure_again_and_keeps_the_old_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "HK$50 billion"))
    path = write(tmp_path / "articles", BODY.replace("HK$50 billion", "HK$55 billion"))
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    workspace.load_library()
    edited = workspace.article("hk-plan")
    [claim] = workspace.claims(edited)
    assert claim.state == "drifted" and claim.current_text == "HK$55 billion"
    moved = workspace.reattach_claim(record["id"], edited, *span(edited.body, "HK$55 billion"))
    assert moved["quote"] == "HK$55 billion" and moved["figure"]["value"] == 5.5e10
    assert moved["history"][-1]["figure"]["value"] == 5e10
    assert moved["history"][-1]["quote"] == "HK$50 billion"


def test_an_article_changed_on_disk_is_read_again(workspace: Workspace, tmp_path: Path) -> None:
    before = workspace.article("hk-plan")
    path = write(tmp_path / "articles", BODY + "\nA new paragraph.")
    os.utime(path, ns=(2, 2))
    assert workspace.article(before.meta).body.endswith("A new paragraph.")


def test_headline_claims_anchor_in_the_headline(workspace: Workspace) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.title, "$50B"), field="title")
    assert record["field"] == "title" and record["quote"] == "$50B"
    assert record["figure"]["currency"] == "HKD"  # the body says HK$50 billion
    [claim] = workspace.claims(article)
    assert (claim.field, claim.state, claim.start) == ("title", "anchored", TITLE.index("$50B"))


def test_search_finds_tags_statuses_and_shows_the_quote(workspace: Workspace) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "13,000 jobs"), tags=["jobs"])
    workspace.set_status(record["id"], "disputed")
    [tag_hit] = workspace.search("#jobs")
    assert tag_hit.annotation_id == record["id"] and "13,000 jobs" in tag_hit.snippet
    assert [h.where for h in workspace.search("disputed")] == ["status"]


def test_set_status_returns_the_previous_verdict_for_undo(workspace: Workspace) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "13,000 jobs"))
    saved, previous = workspace.set_status(record["id"], "false")
    assert (saved["status"], previous) == ("false", "unverified")
    with pytest.raises(WorkspaceError, match="not one of"):
        workspace.set_status(record["id"], "maybe")


@pytest.mark.parametrize(
    "target",
    [
        "articles/hk-plan.md",
        "articles/new.json",
        "annotations.json",
        "annotations.json.bak",
        "annotations.json.lock",
        "annotations.json.v1.bak",
    ],
)
def test_export_refuses_the_library_and_the_database_files(
    workspace: Workspace, tmp_path: Path, target: str
) -> None:
    article = workspace.article("hk-plan")
    workspace.add_claim(article, *span(article.body, "13,000 jobs"))
    victim = tmp_path / target
    before = victim.read_bytes() if victim.exists() else None
    with pytest.raises(WorkspaceError, match="choose"):
        workspace.export_to(victim, "json")
    assert (victim.read_bytes() if victim.exists() else None) == before


def test_export_writes_and_counts(workspace: Workspace, tmp_path: Path) -> None:
    article = workspace.article("hk-plan")
    workspace.add_claim(article, *span(article.body, "13,000 jobs"))
    result = workspace.export_to(tmp_path / "out.json", "json")
    assert result.count == 1 and result.path == (tmp_path / "out.json").resolve()
    assert b"13,000 jobs" in (tmp_path / "out.json").read_bytes()


def test_unknown_article_is_one_line_naming_the_library(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError, match=r"no article 'nope' in .*articles"):
        workspace.resolve("nope")
    assert workspace.resolve("hk-").id == "hk-plan"  # a unique prefix


def test_read_marks_live_beside_the_database_not_in_the_cache(workspace: Workspace) -> None:
    workspace.mark_read("hk-plan")
    assert workspace.state_path.parent == workspace.settings.db_path.parent
    fresh = Workspace(workspace.settings)
    assert fresh.read_ids == {"hk-plan"}
    fresh.mark_read("hk-plan", read=False)
    assert Workspace(workspace.settings).read_ids == set()


def test_read_article_helper_matches_workspace(workspace: Workspace) -> None:
    article: Article = workspace.article("hk-plan")
    assert read_article(article.meta.path).body == article.body


def test_refresh_records_a_changed_figure_and_keeps_the_quote(workspace: Workspace) -> None:
    """A claim whose figure a new rule (or correction) changes keeps its quote and records the
    old figure in its history; unchanged claims are left alone."""
    article = workspace.article("hk-plan")
    stale = workspace.add_claim(article, *span(article.body, "HK$50 billion"))
    steady = workspace.add_claim(article, *span(article.body, "13,000 jobs"))
    old = {**stale["figure"], "currency": "USD"}  # what an older rule had recorded
    workspace.update_claim(stale["id"], figure=old)
    [changed] = workspace.refresh_figures(reason="rules changed")
    assert changed["id"] == stale["id"] and changed["quote"] == "HK$50 billion"
    assert changed["figure"]["currency"] == "HKD"
    assert changed["history"][-1]["figure"]["currency"] == "USD"
    assert changed["history"][-1]["reason"] == "rules changed"
    claim = workspace.claim(steady["id"])
    assert claim is not None and claim.record["history"] == []
    assert workspace.refresh_figures() == []


def test_a_figure_correction_is_carried_into_the_claims_on_it(workspace: Workspace) -> None:
    from tui.core.extract.figure_corrections import make_figure_correction

    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "HK$50 billion"))
    correction = workspace.add_correction(
        make_figure_correction("hk-plan", "HK$50 billion", value=5.5e10)
    )
    claim = workspace.claim(record["id"])
    assert claim is not None and claim.figure is not None
    assert claim.figure["value"] == 5.5e10 and claim.quote == "HK$50 billion"
    assert claim.record["history"][-1]["figure"]["value"] == 5e10
    workspace.remove_correction(correction["id"])  # undo puts the rules' figure back
    claim = workspace.claim(record["id"])
    assert claim is not None and claim.figure is not None and claim.figure["value"] == 5e10


@pytest.mark.parametrize("delete_claims", [False, True])
def test_deleting_an_article_keeps_or_deletes_its_claims_and_undo_restores_both(
    workspace: Workspace, delete_claims: bool
) -> None:
    article = workspace.article("hk-plan")
    record = workspace.add_claim(article, *span(article.body, "13,000 jobs"), tags=["Jobs"])
    assert workspace.claim_tags_by_article() == {"hk-plan": {"jobs"}}
    deletion = workspace.delete_article("hk-plan", delete_claims=delete_claims)
    assert workspace.scan.by_id("hk-plan") is None
    left = workspace.claim(record["id"])
    assert (left is None) is delete_claims
    assert left is None or left.state == "orphan"
    workspace.restore_article(deletion)
    back = workspace.claim(record["id"])
    assert back is not None and back.state == "anchored"


def test_the_users_default_currency_decides_a_bare_dollar_with_no_other_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    write(folder, "The council spent $3 million on roads.", title="Roads")
    settings = Settings.from_paths(folder, tmp_path / "annotations.json")
    unknown = Workspace(settings).field_figures(Workspace(settings).article("hk-plan"))
    [figure] = unknown["body"]
    assert figure["currency"] is None and figure["currency_reason"]
    monkeypatch.setenv("CLAIMDESK_CURRENCY", "CAD")
    settings = Settings.from_paths(folder, tmp_path / "annotations.json")
    work = Workspace(settings)
    [figure] = work.field_figures(work.article("hk-plan"))["body"]
    assert figure["currency"] == "CAD"
    [quick] = work.quick_extraction(work.article("hk-plan")).figures
    assert quick["currency"] == "CAD"


@pytest.mark.parametrize(
    ("old", "new", "conflict"),
    [
        (("relabel", "AI", "PERSON"), ("reject", "AI", "PERSON"), True),
        (("relabel", "AI", "PERSON"), ("relabel", "ai", "ORG"), True),
        (("add", "OASES", "ORG"), ("add", "OASES", "GPE"), True),
        (("add", "OASES", "ORG"), ("reject", "OASES", "ORG"), True),
        (("ignore", "Subscribe", None), ("add", "Subscribe", "ORG"), True),
        (("reject", "X", "PERSON"), ("reject", "X", "GPE"), False),
        (("add", "Cyberport", "ORG"), ("relabel", "Cyberport", "LOC"), False),
        (("reject", "AI", "PERSON"), ("relabel", "AI", "ORG"), False),
        (("relabel", "AI", "PERSON"), ("reject", "OASES", "PERSON"), False),
    ],
)
def test_which_corrections_contradict_each_other(
    old: tuple[str, str, str | None], new: tuple[str, str, str | None], conflict: bool
) -> None:
    from tui.core.workspace.claim_actions import corrections_conflict

    keys = ("action", "text", "label")
    before, after = dict(zip(keys, old, strict=True)), dict(zip(keys, new, strict=True))
    assert corrections_conflict(before, after) is conflict


def test_a_later_correction_replaces_the_one_it_contradicts(workspace: Workspace) -> None:
    from tui.core.extract.corrections import make_correction

    workspace.add_correction(make_correction("relabel", "AI", "PERSON"))
    workspace.add_correction(make_correction("reject", "OASES", "PERSON"))
    workspace.add_correction(make_correction("reject", "OASES", "GPE"))  # both stand
    workspace.add_correction(make_correction("reject", "AI", "PERSON"))  # replaces the relabel
    kept = sorted((c["action"], c["text"], c["label"]) for c in workspace.corrections())
    assert kept == [("reject", "AI", "PERSON"), ("reject", "OASES", "GPE"),
                    ("reject", "OASES", "PERSON")]  # fmt: skip
