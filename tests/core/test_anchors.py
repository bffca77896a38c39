"""Re-anchoring: annotations find their passage again after the article text changed."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.core.annotations.anchors import CONTEXT, current_states, reanchor, select
from tui.core.text import sha256_text

BODY = (
    "Official figures show inflation fell to 2.1% in October, the statistics office said.\n"
    "Analysts said inflation fell to 2.1% in November, the lowest reading in three years.\n"
    "The government plans to invest HK$50 billion over 2.5 years to create 13,000 jobs."
)


def annotate(body: str, quote: str, occurrence: int = 1) -> dict[str, Any]:
    """An annotation record on the n-th occurrence of ``quote`` in ``body``."""
    start = -1
    for _ in range(occurrence):
        start = body.index(quote, start + 1)
    return {**select(body, start, start + len(quote)), "sha256": sha256_text(body)}


def test_select_keeps_32_characters_of_context() -> None:
    record = annotate(BODY, "HK$50 billion")
    assert record["quote"] == "HK$50 billion"
    assert record["prefix"] == BODY[record["start"] - CONTEXT : record["start"]]
    assert record["suffix"] == BODY[record["end"] : record["end"] + CONTEXT]
    assert len(record["prefix"]) == len(record["suffix"]) == 32


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (7, 3), (0, len(BODY) + 1)])
def test_select_rejects_spans_outside_the_body(start: int, end: int) -> None:
    with pytest.raises(ValueError, match="not inside the article"):
        select(BODY, start, end)


def test_unchanged_body_anchors_at_the_stored_offsets() -> None:
    record = annotate(BODY, "2.1%", occurrence=2)
    anchor = reanchor(record, BODY)
    assert (anchor.state, anchor.start, anchor.end, anchor.score) == (
        "anchored", record["start"], record["end"], 1.0,
    )  # fmt: skip


def test_text_inserted_before_moves_the_anchor_with_it() -> None:
    record = annotate(BODY, "2.1%", occurrence=2)
    edited = "BREAKING: " + BODY
    anchor = reanchor(record, edited)
    assert anchor.state == "anchored"
    assert anchor.start == record["start"] + len("BREAKING: ")
    assert edited[anchor.start : anchor.end] == "2.1%"


def test_edited_figure_is_found_where_it_was_not_at_another_copy() -> None:
    """The second "2.1%" corrected to "2.2%": the first sentence still says "2.1%" verbatim,
    but the annotation stays on the edited sentence and is reported as drifted."""
    record = annotate(BODY, "2.1%", occurrence=2)
    edited = BODY[: record["start"]] + "2.2%" + BODY[record["end"] :]
    anchor = reanchor(record, edited)
    assert (anchor.state, anchor.start, anchor.end, anchor.text) == (
        "drifted", record["start"], record["end"], "2.2%",
    )  # fmt: skip


def test_reworded_context_with_a_unique_quote_still_anchors() -> None:
    record = annotate(BODY, "HK$50 billion over 2.5 years")
    edited = BODY.replace("The government plans to invest", "Officials expect to spend")
    anchor = reanchor(record, edited)
    assert anchor.state == "anchored"
    assert edited[anchor.start : anchor.end] == "HK$50 billion over 2.5 years"


def test_slightly_changed_quote_is_drifted_and_keeps_both_texts() -> None:
    record = annotate(BODY, "the lowest reading in three years")
    edited = BODY.replace("the lowest reading in three years", "the lowest reading in four years")
    anchor = reanchor(record, edited)
    assert anchor.state == "drifted"
    assert anchor.text == "the lowest reading in four years"
    assert record["quote"] == "the lowest reading in three years"


def test_removed_passage_is_an_orphan() -> None:
    record = annotate(BODY, "HK$50 billion over 2.5 years to create 13,000 jobs")
    edited = BODY.split("\n")[0]
    anchor = reanchor(record, edited)
    assert (anchor.state, anchor.start, anchor.end, anchor.text) == ("orphan", None, None, "")


def test_annotation_at_the_very_start_survives_a_prepended_line() -> None:
    record = annotate(BODY, "Official figures")
    assert record["prefix"] == ""
    edited = "Updated 3 December.\n" + BODY
    anchor = reanchor(record, edited)
    assert anchor.state == "anchored"
    assert edited[anchor.start : anchor.end] == "Official figures"


def test_offsets_are_code_points_even_after_emoji() -> None:
    body = "📈 Markets 🚀 rallied as HK$50 billion flowed in."
    record = annotate(body, "HK$50 billion")
    assert record["start"] == body.index("HK$50 billion")
    edited = "🔥🔥 " + body
    anchor = reanchor(record, edited)
    assert anchor.start == record["start"] + 3
    assert edited[anchor.start : anchor.end] == "HK$50 billion"


def test_fuzzy_search_works_beyond_256_distinct_characters() -> None:
    """edlib takes at most 256 symbols; a CJK article easily has more."""
    cjk = "".join(chr(0x4E00 + i) for i in range(600))
    body = cjk[:300] + " 香港投資五百億元 " + cjk[300:]
    record = annotate(body, "香港投資五百億元")
    edited = "X" * 50 + body.replace("香港投資五百億元", "香港投資五百億圓").replace(
        cjk[250:300], ""
    )
    anchor = reanchor(record, edited)
    assert anchor.state == "drifted"
    assert anchor.text == "香港投資五百億圓"


def test_current_states_marks_missing_articles_orphan() -> None:
    record = {**annotate(BODY, "13,000 jobs"), "article_id": "a", "id": "1"}
    edited_away = {**record, "article_id": "gone", "id": "2"}
    states = current_states([record, edited_away], {"a": BODY})
    assert [s["anchor_state"] for s in states] == ["anchored", "orphan"]
    assert "anchor_state" not in record  # inputs are not modified
    current_states([record], {}, in_place=True)
    assert record["anchor_state"] == "orphan"


# ------------------------------------------------------------------ properties
text_strategy = st.one_of(
    st.text(alphabet="ab 2.1%", min_size=1, max_size=300),  # repeats everywhere
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
)


@st.composite
def body_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    body = draw(text_strategy)
    start = draw(st.integers(0, len(body) - 1))
    end = draw(st.integers(start + 1, min(len(body), start + 60)))
    return body, start, end


@st.composite
def passage_in_context(draw: st.DrawFn) -> tuple[str, int, int]:
    """A body with room for edits on both sides of the span and its context."""
    choices: list[str | st.SearchStrategy[str]] = ["ab 2.1%", st.characters(codec="utf-8")]
    alphabet = draw(st.sampled_from(choices))
    before = draw(st.text(alphabet=alphabet, min_size=CONTEXT + 1, max_size=150))
    quote = draw(st.text(alphabet=alphabet, min_size=1, max_size=40))
    after = draw(st.text(alphabet=alphabet, min_size=0, max_size=150))
    return before + quote + after, len(before), len(before) + len(quote)


@settings(max_examples=300, deadline=None)
@given(body_and_span(), st.booleans())
def test_property_unedited_text_always_reanchors_exactly(
    case: tuple[str, int, int], hash_known: bool
) -> None:
    body, start, end = case
    record = {**select(body, start, end), "sha256": sha256_text(body) if hash_known else ""}
    anchor = reanchor(record, body)
    assert (anchor.state, anchor.start, anchor.end) == ("anchored", start, end)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.one_of(body_and_span(), passage_in_context()), st.data())
def test_property_an_edit_elsewhere_never_moves_the_annotation(
    case: tuple[str, int, int], data: st.DataObject
) -> None:
    """Insert and/or delete text outside the quote and its context: the annotation is found at
    the same passage (shifted by the edit), provided that passage is not repeated verbatim."""
    body, start, end = case
    record = {**select(body, start, end), "sha256": sha256_text(body)}
    before_limit = start - len(record["prefix"])
    after_limit = end + len(record["suffix"])
    regions = [(0, before_limit)] if before_limit > 0 else []
    regions += [(after_limit, len(body))] if after_limit < len(body) else []
    insert = data.draw(st.text(max_size=40), label="insert")
    if regions:
        lo, hi = data.draw(st.sampled_from(regions), label="region")
        a = data.draw(st.integers(lo, hi), label="a")
        b = data.draw(st.integers(a, hi), label="b")
    else:  # the span and its context cover the body: only append or prepend-free edits remain
        a = b = len(body)
    assume(insert or a != b)
    edited = body[:a] + insert + body[b:]
    shift = len(insert) - (b - a) if b <= before_limit else 0
    context = record["prefix"] + record["quote"] + record["suffix"]
    assume(_overlapping_count(edited, context) == 1)
    anchor = reanchor(record, edited)
    assert (anchor.state, anchor.start, anchor.end) == ("anchored", start + shift, end + shift)


def _overlapping_count(text: str, pattern: str) -> int:
    count, at = 0, text.find(pattern)
    while at >= 0:
        count, at = count + 1, text.find(pattern, at + 1)
    return count
