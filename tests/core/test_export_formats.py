"""The export registry, streaming, positions after an edit, and the CSV, Markdown and JSONL
rules (formula safety, numbers, tags, Excel, literal Markdown, drifted spans)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from markdown_it import MarkdownIt

from tests.core.export_cases import EXPORTED_AT, Case, edited_library, record, write
from tui.core.annotations import export
from tui.core.annotations.exports import FORMATS, ExportOptions, ExportReport, render, stream
from tui.core.annotations.exports.common import BATCH
from tui.core.annotations.exports.markdown import md_escape
from tui.core.annotations.exports.spreadsheet import COLUMNS, safe_cell
from tui.core.annotations.interchange import read_annotations
from tui.core.annotations.records import FIELDS
from tui.core.text import sha256_text

OPTIONS = ExportOptions(exported_at=EXPORTED_AT)


@pytest.fixture
def case(tmp_path: Path) -> Case:
    return edited_library(tmp_path)


def run(fmt: str, case: Case, **options: Any) -> tuple[str, ExportReport]:
    report = ExportReport()
    chosen = ExportOptions(exported_at=EXPORTED_AT, **options)
    return render(fmt, case.records, case.articles, (), chosen, report), report


# ------------------------------------------------------------------ registry and streaming
def test_the_registry_lists_every_format_once_with_what_front_ends_show() -> None:
    assert list(FORMATS) == ["json", "w3c", "jsonl", "csv", "md", "hypothesis", "claimreview",
                             "doccano", "label-studio"]  # fmt: skip
    for name, fmt in FORMATS.items():
        assert fmt.name == name and fmt.title and fmt.description
        assert fmt.extension.startswith(".") and "/" in fmt.media_type
        assert fmt.label == f"{fmt.title} ({fmt.description})"
    assert export.FORMATS is FORMATS and export.render is render  # the old import path


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_exports_nothing_and_something(fmt: str, case: Case) -> None:
    empty = render(fmt, [], {}, (), OPTIONS)
    text, report = run(fmt, case)
    assert isinstance(empty, str) and text
    assert report.written > 0
    if FORMATS[fmt].media_type.endswith("json"):
        assert isinstance(json.loads(empty), dict | list)
        assert isinstance(json.loads(text), dict | list)
    elif FORMATS[fmt].media_type == "application/jsonl":
        assert all(isinstance(json.loads(line), dict) for line in text.splitlines())


def test_unknown_formats_and_options_are_one_line_errors() -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml' \\(choose json, w3c"):
        stream("xml", [], {})
    with pytest.raises(ValueError, match="unknown export option\\(s\\) colour"):
        export.render_chunks("csv", [], {}, colour=True)


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl", "csv", "md", "hypothesis"])
def test_large_exports_arrive_in_many_chunks(fmt: str, tmp_path: Path) -> None:
    """Streaming: no single chunk holds the whole export."""
    articles = {
        f"a{i}": write(tmp_path / "articles", f"a{i}", f"Article {i} says 5% rose.", url="https://e.com/")
        for i in range(3)
    }  # fmt: skip
    records = [
        {**record(articles[f"a{i % 3}"], "5%"), "id": f"id-{i}", "anchor_state": "anchored"}
        for i in range(BATCH * 2 + 10)
    ]
    chunks = list(stream(fmt, records, articles, (), OPTIONS))
    whole = b"".join(chunks)
    assert len(chunks) >= 3 and max(map(len, chunks)) < len(whole) * 0.6


def test_streamed_json_is_byte_for_byte_the_indented_document(case: Case) -> None:
    text, report = run("json", case)
    document = orjson.loads(text)
    assert text.encode() == orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"
    assert report.written == len(case.records) == len(document["annotations"])


def test_json_export_leaves_its_records_as_they_were(tmp_path: Path) -> None:
    """The fast path adds ``current`` to a record only while its batch is serialised: across
    batches, with one record given twice and one carrying a key of its own, the caller's
    records are unchanged afterwards, and every exported record has exactly the format's
    fields (the foreign key is not exported)."""
    article = write(tmp_path / "articles", "a", "Prices rose 5% and wages 3% this year.")
    records = [
        {**record(article, "5%" if i % 2 else "3%"), "id": f"id-{i}", "anchor_state": "anchored"}
        for i in range(BATCH + 5)
    ]
    records[3]["colour"] = "red"  # all the fields, and one more
    records.append(records[0])  # the same dict twice
    before = orjson.loads(orjson.dumps(records))
    document = orjson.loads(render("json", records, {"a": article}, (), OPTIONS))
    assert orjson.loads(orjson.dumps(records)) == before
    exported = document["annotations"]
    assert len(exported) == BATCH + 6
    assert {tuple(a) for a in exported} == {(*FIELDS, "current")}
    for given, written in zip(records, exported, strict=True):
        assert written["current"] == {"start": given["start"], "end": given["end"]}
        assert article.body[given["start"] : given["end"]] == written["quote"]


# ------------------------------------------------------------------ positions after an edit
def _anchored_positions(
    fmt: str, text: str, quotes: dict[str, str]
) -> list[tuple[str, int, int, str, str]]:
    """(article, start, end, quote, state) of every position an export claims for a span."""
    found = []
    if fmt == "w3c":
        for item in json.loads(text)["first"]["items"]:
            selectors = {s["type"]: s for s in item["target"]["selector"]}
            if "TextPositionSelector" in selectors:
                position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
                found.append((item["target"]["source"], position["start"], position["end"],
                              quote["exact"], item["cd:anchorState"]))  # fmt: skip
    elif fmt == "jsonl":
        for line in map(json.loads, text.splitlines()):
            for span in line["spans"]:
                found.append((line["meta"]["id"], span["start"], span["end"], span["quote"],
                              span["anchor_state"]))  # fmt: skip
    elif fmt == "csv":
        for row in csv.DictReader(io.StringIO(text)):
            if row["start"]:
                found.append((row["article"], int(row["start"]), int(row["end"]), row["quote"],
                              row["anchor_state"]))  # fmt: skip
    elif fmt == "doccano":
        for line in map(json.loads, text.splitlines()):
            for (start, end, _), claim in zip(line["label"], line["claims"], strict=True):
                found.append((line["article_id"], start, end, quotes[claim["id"]],
                              claim["anchor_state"]))  # fmt: skip
    elif fmt == "hypothesis":
        for body in json.loads(text):
            selectors = {s["type"]: s for s in body["target"][0]["selector"]}
            if "TextPositionSelector" in selectors:
                position = selectors["TextPositionSelector"]
                found.append((body["uri"], position["start"], position["end"],
                              selectors["TextQuoteSelector"]["exact"], "anchored"))  # fmt: skip
    elif fmt == "json":
        for a in json.loads(text)["annotations"]:
            if a["current"]:
                found.append((a["article_id"], a["current"]["start"], a["current"]["end"],
                              a["quote"], a["anchor_state"]))  # fmt: skip
    return found


@pytest.mark.parametrize("fmt", ["json", "w3c", "jsonl", "csv", "doccano", "hypothesis"])
def test_an_anchored_position_always_selects_its_quote_after_an_edit(fmt: str, case: Case) -> None:
    text, _ = run(fmt, case)
    by_source = {a.meta.url: a for a in case.articles.values()} | case.articles
    by_source |= {f"urn:claimdesk:article:{k}": a for k, a in case.articles.items()}
    positions = _anchored_positions(fmt, text, {r["id"]: r["quote"] for r in case.records})
    assert positions
    for source, start, end, quote, state in positions:
        assert state in ("anchored", "drifted")
        if state == "anchored" and fmt == "hypothesis":  # UTF-16 code units
            units = by_source[source].body.encode("utf-16-le")[start * 2 : end * 2]
            assert units.decode("utf-16-le") == quote
        elif state == "anchored":
            assert by_source[source].body[start:end] == quote
        else:
            assert quote == "2.1%" and by_source[source].body[start:end] == "2.2%"


def test_stale_and_impossible_offsets_never_export_as_anchored(case: Case) -> None:
    stale = [{**r, "anchor_state": "anchored"} for r in case.records]  # as if never measured
    document = json.loads(render("json", stale, case.articles))
    states = {a["id"]: a["anchor_state"] for a in document["annotations"]}
    assert states["imported-1"] == "orphan"
    assert states[case.by_quote("2.1%")["id"]] == "drifted"
    assert states[case.by_quote("deleted article")["id"]] == "orphan"
    moved = next(a for a in document["annotations"] if a["quote"] == "officials said")
    body = case.articles["wire"].body
    assert (moved["anchor_state"], body[moved["current"]["start"] : moved["current"]["end"]]) == (
        "anchored", "officials said",
    )  # fmt: skip
    assert (moved["start"], moved["end"]) == (31, 45)  # the stored selector is kept as stored


# ------------------------------------------------------------------ CSV
@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("- 5 cmd", "'- 5 cmd"),
        ("－1+1", "'－1+1"),  # full-width minus: some locales evaluate it
        ("＝1+1", "'＝1+1"),
        ("-5", "-5"),
        ("-1,000.50", "-1,000.50"),
        ("+2.5e3", "+2.5e3"),
        ("2+2", "2+2"),  # not a formula: does not start with an operator
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (2.5e9, 2.5e9),
        (-3, -3),
    ],
)
def test_a_cell_that_could_start_a_formula_is_disarmed(cell: object, written: object) -> None:
    assert safe_cell(cell) == written


def test_no_csv_cell_can_run_in_a_spreadsheet(case: Case) -> None:
    text, _ = run("csv", case)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        for cell in row:
            if cell and cell[0] in "=+-@\t\r":
                float(cell.replace(",", ""))  # only a plain number may start with - or +
    hostile = next(r for r in csv.DictReader(io.StringIO(text)) if r["quote"] == "€2.5 billion")
    assert hostile["note"].startswith("'-2+3+cmd") and hostile["author"] == "'=cmd()"


def test_csv_reads_into_pandas_with_numbers_and_unambiguous_tags(case: Case) -> None:
    pandas = pytest.importorskip("pandas")
    text, _ = run("csv", case)
    frame = pandas.read_csv(io.StringIO(text), keep_default_na=False)
    assert len(frame) == len(case.records)
    money = frame[frame.quote == "€2.5 billion"].iloc[0]
    assert (money.label, money.currency) == ("MONEY", "EUR")
    values = pandas.to_numeric(frame.value.replace("", None))
    assert values.sum() == 2_500_000_000
    assert json.loads(money.tags) == ["housing", "a; b", "x|y"]
    drifted = frame[frame.quote == "2.1%"].iloc[0]
    assert (drifted.anchor_state, drifted.current_text) == ("drifted", "2.2%")


def test_excel_csv_has_a_bom_and_crlf_and_reads_back(case: Case) -> None:
    pandas = pytest.importorskip("pandas")
    data = b"".join(stream("csv", case.records, case.articles, (), ExportOptions(excel=True)))
    assert data.startswith(b"\xef\xbb\xbfarticle,") and data.count(b"\xef\xbb\xbf") == 1
    header_end = data.index(b"\n")
    assert data[header_end - 1 : header_end] == b"\r"
    frame = pandas.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == list(COLUMNS)
    assert "€2.5 billion" in set(frame.quote)
    plain = b"".join(stream("csv", case.records, case.articles))
    assert not plain.startswith(b"\xef\xbb\xbf") and b"\r\n" not in plain.split(b"\n", 1)[0]


# ------------------------------------------------------------------ Markdown
def _blocks(markdown: str) -> list[str]:
    return [t.type for t in MarkdownIt("commonmark").parse(markdown) if t.type.endswith("_open")]


@pytest.mark.parametrize(
    "note",
    ["line one\n---", "line one\n===", "***", "- - -", "# heading", "1. item", "10) item",
     "+ item", "> quoted", "<div>html</div>", "    indented", "[x](javascript:alert(1))"],
)  # fmt: skip
def test_markdown_shows_every_note_line_literally(note: str) -> None:
    escaped = md_escape(note)
    tokens = MarkdownIt("commonmark").parse(escaped)
    kinds = {t.type for t in tokens}
    assert kinds <= {"paragraph_open", "paragraph_close", "inline", "code_block"}, kinds
    inline = "".join(t.content for t in tokens if t.type == "inline")
    rendered = MarkdownIt("commonmark").renderInline(inline) if inline else ""
    assert "<a " not in rendered and "<div>" not in rendered


def test_markdown_report_has_one_heading_per_article_and_visible_bidi(case: Case) -> None:
    text, _ = run("md", case)
    headings = [t for t in _blocks(text) if t == "heading_open"]
    assert len(headings) == 1 + 3  # the title, then wire, local and gone
    assert "hr" not in {t.type for t in MarkdownIt("commonmark").parse(text)}
    assert "\u202e" not in text and "\u202c" not in text and "⁅evil⁆" in text
    assert "   The article now reads: 2.2%\n" in text


# ------------------------------------------------------------------ JSONL
def test_jsonl_leaves_drifted_spans_out_and_says_so(case: Case) -> None:
    text, report = run("jsonl", case)
    lines = {line["meta"]["id"]: line for line in map(json.loads, text.splitlines())}
    wire = lines["wire"]
    assert "2.1%" not in [s["quote"] for s in wire["spans"]]
    assert wire["meta"]["include_drifted"] is False
    assert [(d["quote"], d["text"]) for d in wire["meta"]["drifted"]] == [("2.1%", "2.2%")]
    assert [o["quote"] for o in lines["gone"]["meta"]["orphans"]] == ["deleted article"]
    assert any("drifted" in note and "--include-drifted" in note for note in report.notes)
    for line in lines.values():
        for span in line["spans"]:
            assert line["text"][span["start"] : span["end"]] == span["text"] == span["quote"]


def test_jsonl_with_drifted_spans_places_them_where_they_are_now(case: Case) -> None:
    text, _ = run("jsonl", case, include_drifted=True)
    wire = next(line for line in map(json.loads, text.splitlines()) if line["meta"]["id"] == "wire")
    drifted = next(s for s in wire["spans"] if s["quote"] == "2.1%")
    assert (drifted["anchor_state"], drifted["text"]) == ("drifted", "2.2%")
    assert wire["text"][drifted["start"] : drifted["end"]] == "2.2%"
    assert wire["meta"]["include_drifted"] is True and wire["meta"]["drifted"] == []


# ------------------------------------------------------------------ spans in the headline
def _title_case(case: Case) -> Case:
    wire = case.articles["wire"]
    title = {**record(wire, "officials said"), "id": "title-1", "field": "title",
             "quote": "Prices", "prefix": "", "suffix": " — May", "start": 0, "end": 6,
             "sha256": sha256_text(wire.meta.title), "anchor_state": "anchored"}  # fmt: skip
    return Case(case.articles, [title])


@pytest.mark.parametrize("fmt", ["jsonl", "w3c"])
def test_a_headline_span_exports_in_its_own_text_and_imports_back(
    fmt: str, case: Case, tmp_path: Path
) -> None:
    titled = _title_case(case)
    text, _ = run(fmt, titled)
    if fmt == "jsonl":
        [line] = map(json.loads, text.splitlines())
        assert (line["meta"]["field"], line["text"]) == ("title", "Prices — May")
        assert [(s["start"], s["end"], s["text"]) for s in line["spans"]] == [(0, 6, "Prices")]
    else:
        [item] = json.loads(text)["first"]["items"]
        assert item["cd:field"] == "title" and item["cd:anchorState"] == "anchored"
    path = tmp_path / f"export.{fmt}"
    path.write_text(text, encoding="utf-8")
    [back] = read_annotations(path, case.articles).annotations
    assert (back["field"], back["quote"], back["start"], back["end"]) == ("title", "Prices", 0, 6)


def test_json_export_of_edited_articles_matches_its_schema(case: Case) -> None:
    from jsonschema import Draft202012Validator

    from tests.conftest import REPO

    schema = json.loads((REPO / "tui/schemas/claimdesk-export.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    document = json.loads(run("json", case)[0])
    assert [e.message for e in validator.iter_errors(document)] == []
    assert {a["anchor_state"] for a in document["annotations"]} == {"anchored", "drifted", "orphan"}
