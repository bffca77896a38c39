"""Any text: the checks never raise, and every span they report slices its own field."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.checks import check_article, check_library
from tui.core.checks.prepare import text_input

PIECES = [
    "rose", "fell", "doubled", "halved", "by half", "a 3-point gain", "an increase of", "up",
    "down", "to", "from", "of respondents", "of voters", "HK$", "US$", "$", "€", "£", "¥", "S$",
    "A$", "50", "6.37", "13,000", "1.2", "41%", "45%", "15%", "per cent", "billion", "bn",
    "million", "m", "K", "(", ")", ",", ".", ";", " or about ", " while ", "OASES", "Qantas",
    "jobs", "firms", "revenue", "profit", "2024", "about", "more than", "\n", "-", "×", "…",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, summary=texts, body=texts, other=texts)
def test_checks_never_raise_and_spans_slice_their_field(
    title: str, summary: str, body: str, other: str
) -> None:
    names = {"OASES": "ORG", "Qantas": "ORG"}
    one = text_input("one", title or "t", body, summary or None, names=names, published="2025")
    two = text_input("two", "t", other, names=names, published="2026")
    findings = check_article(one.fields, one.figures_by_field, one.entities_by_field)
    findings += check_library([one, two])
    by_id = {"one": one.fields, "two": two.fields}
    for finding in findings:
        assert finding.explanation and "\n" not in finding.explanation
        for span in finding.spans:
            assert by_id[span.article_id].text(span.field)[span.start : span.end] == span.text
