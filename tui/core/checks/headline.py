"""Headline: a title or summary figure that the body contradicts or makes ambiguous.

Three forms, each needing the body's figure to be of the same kind:

* **Currency dropped or changed.** A headline's bare "$" reads as US dollars; when the body has
  the same amount in another currency ("$50B" vs "HK$50 billion"), the headline overstates or
  understates the body by the exchange rate. The US-dollar value comes from the article's own
  conversion ("HK$50 billion ($6.37 billion)"), else a peg or the user's rate, else it is
  reported as unknown. When the body writes the amount with a bare "$" too, nothing was dropped;
  when the publication's home currency is the body's (an Australian paper's "$3bn" for "A$3
  billion"), its own readers may read it right, so the finding is only "possible".
* **Same measure, different value.** A headline amount of the same measure (a COUNT's noun, or a
  money/percent measure word such as "investment", "revenue"), currency and role as body figures,
  consistent with none of them: "warning" when the body has one such figure, else "possible".
* **A rounding that changes the claim.** A headline change ("doubles") that the body's change of
  the same subject contradicts ("rose 60%": ×1.6, not ×2).
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.checks.changes import Change, field_changes
from tui.core.checks.conversion import conversion_pairs
from tui.core.checks.findings import Finding, SpanRef
from tui.core.checks.inputs import ArticleInput, CheckContext, Figure, Located, located
from tui.core.checks.reading import count_verb, figure_measure, figure_role
from tui.core.checks.values import bare_dollar, consistent, human, money, overlaps
from tui.core.extract.conversion import USD_PEGS
from tui.core.extract.publications import publication

HEADLINE_FIELDS = ("title", "summary")
_LOCAL_READERS = "; the publication's own readers may take '$' as {code}"
FIELD_NAMES = {"title": "Headline", "summary": "Summary"}


def _usd_value(
    row: Located, conversions: dict[tuple[str, int], Located], context: CheckContext
) -> tuple[float, str] | None:
    """A body money figure in US dollars, and where the rate comes from."""
    figure = row.figure
    if figure.get("currency") == "USD":
        return float(figure["value"]), "as written"
    partner = conversions.get((row.field, row.start))
    if partner is not None:
        return float(
            partner.figure["value"]
        ), f"the article's own conversion {partner.figure['text']!r}"
    code = figure.get("currency")
    if code in context.user_rates:
        return float(figure["value"]) * context.user_rates[str(code)], "your rate"
    if code in USD_PEGS:
        return float(figure["value"]) * USD_PEGS[str(code)], f"the {code} peg"
    return None


def _currency_findings(
    head: Located,
    body: Sequence[Located],
    conversions: dict[tuple[str, int], Located],
    context: CheckContext,
) -> list[Finding]:
    figure = head.figure
    currency = figure.get("currency")
    same_value = [b for b in body if consistent(figure, b.figure)]
    if not same_value:
        return []
    where = FIELD_NAMES[head.field]
    if bare_dollar(figure):
        if any(b.figure.get("currency") == "USD" or bare_dollar(b.figure) for b in same_value):
            return []  # the body writes it the same way, or as US dollars: nothing dropped
        foreign = [b for b in same_value if b.figure.get("currency") not in (None, "USD")]
        if not foreign:
            return []
        other = foreign[0]
        read_as = float(figure["value"])
        usd = _usd_value(other, conversions, context)
        code = other.figure["currency"]
        home = publication(head.article.source, head.article.url)
        local = home is not None and home.home.currency == code
        severity = "possible" if local else "warning"
        if usd is None:
            explanation = (
                f"{where} {figure['text']!r} drops the currency: the body says "
                f"{other.figure['text']!r} ({code}); a reader takes a bare '$' as US dollars "
                f"(no {code} rate known, so the size of the gap is unknown)"
            ) + (_LOCAL_READERS.format(code=code) if local else "")
            facts = {"headline_value": read_as, "body_currency": code}
            return [Finding("headline", severity, explanation, (head.span(), other.span()), facts)]
        usd_value, basis = usd
        ratio = read_as / usd_value if usd_value else 0.0
        side = "overstates" if ratio > 1 else "understates"
        explanation = (
            f"{where} {figure['text']!r} reads as US${human(read_as)}, but the body says "
            f"{other.figure['text']!r} (≈ US${human(usd_value)}, {basis}): the {where.lower()} "
            f"{side} it about {max(ratio, 1 / ratio if ratio else 0):.1f}×"
        ) + (_LOCAL_READERS.format(code=code) if local else "")
        spans = [head.span(), other.span()]
        if (partner := conversions.get((other.field, other.start))) is not None:
            spans.append(partner.span())
        facts = {
            "headline_usd": read_as,
            "body_usd": usd_value,
            "ratio": ratio,
            "body_currency": code,
        }
        return [Finding("headline", severity, explanation, tuple(spans), facts)]
    if currency is None or any(b.figure.get("currency") == currency for b in same_value):
        return []
    changed = [b for b in same_value if b.figure.get("currency") not in (None, currency)]
    if not changed:
        return []
    other = changed[0]
    explanation = (
        f"{where} {figure['text']!r} is in {currency}, but the body gives the same amount as "
        f"{other.figure['text']!r} ({other.figure['currency']})"
    )
    facts = {"headline_currency": currency, "body_currency": other.figure["currency"]}
    return [Finding("headline", "warning", explanation, (head.span(), other.span()), facts)]


def _read_currency(figure: Figure) -> str | None:
    """The currency a reader takes: the figure's own, or US dollars for a bare "$"."""
    currency = figure.get("currency")
    if currency is None and figure.get("label") == "MONEY" and bare_dollar(figure):
        return "USD"
    return str(currency) if currency else None


def _same_verb(verb: str | None, body: Located) -> bool:
    """False when both counts name their verb and the verbs differ ("hire" vs "employ")."""
    if verb is None or body.figure["label"] != "COUNT":
        return True
    other = count_verb(body.text, body.figure)
    return other is None or other == verb


def _value_findings(article: ArticleInput, head: Located, body: Sequence[Located]) -> list[Finding]:
    figure = head.figure
    measure = figure_measure(article, head)
    role = figure_role(article, head)
    verb = count_verb(head.text, figure) if figure["label"] == "COUNT" else None
    if measure is None or (role == "change" and figure["label"] == "PERCENT"):
        return []  # a percent change is compared as a change (see _change_findings)
    same = [
        b
        for b in body
        if b.figure["label"] == figure["label"]
        and _read_currency(b.figure) == _read_currency(figure)
        and (figure["label"] != "PERCENT" or b.figure.get("unit") == figure.get("unit"))
        and figure_measure(article, b) == measure
        and figure_role(article, b) == role
        and _same_verb(verb, b)
    ]
    if not same or any(consistent(figure, b.figure) for b in same):
        return []
    where = FIELD_NAMES[head.field]
    shown = ", ".join(repr(b.figure["text"]) for b in same[:3])
    severity = "warning" if len(same) == 1 else "possible"
    if figure["label"] == "MONEY":
        values = money(float(figure["value"]), _read_currency(figure))
    else:
        values = human(float(figure["value"]))
    explanation = (
        f"{where} {figure['text']!r} ({values}) does not match the body's {measure}: {shown}"
    )
    facts = {"headline_value": figure["value"], "body_values": [b.figure["value"] for b in same]}
    return [
        Finding("headline", severity, explanation, (head.span(), *(b.span() for b in same)), facts)
    ]


def _change_spans(article: ArticleInput, field: str, change: Change) -> list[SpanRef]:
    return [SpanRef(article.fields.article_id, field, s, e, t) for s, e, t in change.spans()]


def _describe(change: Change) -> str:
    """ "'60%' (×1.60)": the stated size (or the verb, for "doubles") and its ratio."""
    ratio = change.ratio()
    words = change.magnitude_span[2] if change.magnitude_span else change.trigger
    if ratio is None:
        return repr(words)
    return f"{words!r} (×{(ratio[0] + ratio[1]) / 2:.2f})"


def _change_findings(
    article: ArticleInput, field: str, body_changes: list[Change]
) -> list[Finding]:
    findings = []
    for change in field_changes(article, field):
        ratio = change.ratio()
        if ratio is None or change.subject is None:
            continue
        same = [c for c in body_changes if c.subject == change.subject and c.ratio() is not None]
        if not same or any(overlaps(ratio, c.ratio() or (0, 0)) for c in same):
            continue
        severity = "warning" if len(same) == 1 else "possible"
        body = "; ".join(_describe(c) for c in same[:3])
        explanation = (
            f"{FIELD_NAMES[field]} says {_describe(change)} for {change.subject}, "
            f"the body says {body}"
        )
        spans = _change_spans(article, field, change)
        for other in same:
            spans += _change_spans(article, "body", other)
        facts = {"headline_ratio": sum(ratio) / 2, "subject": change.subject}
        findings.append(Finding("headline", severity, explanation, tuple(spans), facts))
    return findings


def headline_findings(article: ArticleInput, context: CheckContext) -> list[Finding]:
    """Headline and summary figures the body contradicts (see the module docstring)."""
    pairs = conversion_pairs(article)
    conversions = {(f.field, f.start): u for f, u in pairs}
    dependent = {(u.field, u.start) for _, u in pairs}
    body = [r for r in located(article, "body") if r.figure["label"] != "MULTIPLIER"]
    independent = [b for b in body if (b.field, b.start) not in dependent]
    body_money = [b for b in body if b.figure["label"] == "MONEY"]
    body_changes: list[Change] | None = None
    findings: list[Finding] = []
    for field in HEADLINE_FIELDS:
        if not article.fields.text(field):
            continue
        for head in located(article, field):
            label = head.figure["label"]
            if label == "MONEY":
                found = _currency_findings(head, body_money, conversions, context)
                if found:
                    findings += found
                    continue
            if label in ("MONEY", "COUNT", "PERCENT"):
                findings += _value_findings(
                    article, head, [b for b in independent if b.figure["label"] == label]
                )
        if body_changes is None:
            body_changes = field_changes(article, "body")

        findings += _change_findings(article, field, body_changes)
    return findings
