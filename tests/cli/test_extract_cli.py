"""`claimdesk entities`, `extract` and `correct`: JSON shapes, streaming, corrections, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tui.core.extract as extract_pkg
from tui.cli import cli
from tui.core.annotations.store import open_store
from tui.core.articles.library import ArticleMeta, write_article
from tui.core.extract.entities import Pipeline

FIGURE_FIELDS = {
    "text",
    "start",
    "end",
    "label",
    "value",
    "currency",
    "unit",
    "qualifier",
    "low",
    "high",
    "currency_reason",
    "corrected",
}
ENTITY_FIELDS = {"text", "start", "end", "label", "key", "source"}
BODY = (
    "The government allocated HK$1 billion (US$129 million) to an AI institute.\n"
    "Over 270 blockchain firms joined OASES in Hong Kong. Subscribe for 5% off"
)


class _Span:
    def __init__(self, text: str, start: int, label: str) -> None:
        self.text, self.start_char, self.end_char, self.label_ = (
            text,
            start,
            start + len(text),
            label,
        )


class _Doc:
    def __init__(self, ents: list[_Span]) -> None:
        self.ents = ents


class _NLP:
    """Labels "AI" as GPE and "Hong Kong" as GPE wherever they occur."""

    def pipe(self, texts: Iterable[str]) -> Iterator[_Doc]:
        for text in texts:
            ents = []
            for word in ("AI", "Hong Kong"):
                at = text.find(word)
                while at != -1:
                    ents.append(_Span(word, at, "GPE"))
                    at = text.find(word, at + 1)
            yield _Doc(sorted(ents, key=lambda s: s.start_char))


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(_NLP(), "fake", None)
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    write_article(
        tmp_path / "articles", ArticleMeta(id="ai-institute", title="AI", path=tmp_path), BODY
    )
    return tmp_path


def run(
    home: Path, *args: str, stdin: str | None = None, wide: bool = False
) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "250"} if wide else None).invoke(
        cli,
        ["--articles", str(home / "articles"), "--db", str(home / "db.json"), *args],
        input=stdin,
    )
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_entities_json_of_an_article_has_exactly_the_documented_fields(
    home: Path, fake_model: None
) -> None:
    code, out, err = run(home, "entities", "ai-institute", "--json")
    assert code == 0, err
    rows = json.loads(out)
    figures = [r for r in rows if r["label"] in ("MONEY", "PERCENT", "COUNT", "MULTIPLIER")]
    entities = [r for r in rows if r not in figures]
    assert {r["text"] for r in figures} == {
        "HK$1 billion",
        "US$129 million",
        "270 blockchain firms",
        "5%",
    }
    assert all(set(r) == FIGURE_FIELDS | {"field"} for r in figures)
    assert all(set(r) == ENTITY_FIELDS for r in entities)
    assert {(r["text"], r["label"]) for r in entities} == {("AI", "GPE"), ("Hong Kong", "GPE")}
    assert all(BODY[r["start"] : r["end"]] == r["text"] for r in rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)


def test_entities_of_a_file_use_offsets_into_the_text_as_read(home: Path) -> None:
    path = home / "note.txt"
    path.write_bytes("Intro\r\n\r\nIt cost ¥500 million, up 25 per cent.".encode())
    code, out, _ = run(home, "entities", str(path), "--json", "--figures-only")
    assert code == 0
    text = path.read_bytes().decode()
    rows = json.loads(out)
    assert [(r["text"], r["currency"], r["value"]) for r in rows] == [
        ("¥500 million", None, 500_000_000),  # no word says yen or yuan
        ("25 per cent", None, 25),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_label_filter_and_table_output_are_literal(home: Path) -> None:
    path = home / "[bold red]x[@click=app.quit] \x1b[2J.md"
    path.write_text("Boom raised $5 million and 42 new listings", encoding="utf-8")
    code, out, _ = run(home, "entities", str(path), "--json", "--label", "money", "--figures-only")
    assert code == 0
    assert [r["text"] for r in json.loads(out)] == ["$5 million"]
    code, out, _ = run(home, "entities", str(path), "--label", "COUNT", "--figures-only", wide=True)
    assert code == 0
    assert "42 new listings" in out and "$5 million" not in out
    assert "[bold red]x[@click=app.quit] ␛[2J.md" in out and "\x1b" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("entities", "no-such-article"), "no article 'no-such-article'"),
        (("entities", "missing.txt"), "missing.txt: no such file"),
        (("entities", "."), ".: is a folder; give a .txt/.md file or an article id"),
        (("entities", "ai-institute", "--label", "MONEY,PLACE"), "unknown label PLACE"),
        (("correct", "add", "OASES", "PLACE"), "unknown label 'PLACE'"),
        (("correct", "relabel", "OASES"), "Missing argument"),
        (("correct", "add", "  ", "ORG"), "the text to correct is empty"),
        (("correct", "remove", "nope"), "no correction with id 'nope'"),
    ],
)
def test_user_mistakes_are_one_clear_line(home: Path, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(home, *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err + out


def test_a_binary_file_is_refused_with_one_line(home: Path) -> None:
    path = home / "binary.txt"
    path.write_bytes(b"\xff\xfe\x00bad")
    code, _, err = run(home, "entities", str(path))
    assert code == 1 and err.strip().endswith("not UTF-8 text; convert it to UTF-8 first")


def test_extract_streams_jsonl_and_reports_bad_lines(home: Path, fake_model: None) -> None:
    lines = [
        json.dumps({"id": "a", "text": "AI firms raised HK$50 billion."}),
        "{broken",
        json.dumps({"id": 7, "text": "Hong Kong added 13,000 jobs."}),
        json.dumps({"id": "no-text"}),
        "",
    ]
    code, out, err = run(home, "extract", stdin="\n".join(lines))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a", 7]
    assert [set(r) for r in records] == [{"id", "entities"}] * 2
    assert [e["text"] for e in records[0]["entities"]] == ["AI", "HK$50 billion"]
    assert [e["text"] for e in records[1]["entities"]] == ["Hong Kong", "13,000 jobs"]
    assert code == 1
    assert "line 2: not JSON" in err and "line 4" in err


def test_extract_from_a_file_figures_only(home: Path) -> None:
    source = home / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "text": "sevenfold, 3x and 36 times"}) + "\n")
    code, out, _ = run(home, "extract", str(source), "--figures-only")
    assert code == 0
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert [(e["text"], e["value"]) for e in record["entities"]] == [
        ("sevenfold", 7),
        ("3x", 3),
        ("36 times", 36),
    ]


def test_corrections_persist_and_apply_to_every_article(home: Path, fake_model: None) -> None:
    code, reject_id, _ = run(home, "correct", "reject", "AI", "GPE")
    assert code == 0 and reject_id.strip()
    assert run(home, "correct", "add", "OASES", "org")[0] == 0
    assert run(home, "correct", "ignore", "Subscribe for 5% off")[0] == 0
    other = home / "other.txt"
    other.write_text("AI labs and OASES in Hong Kong.", encoding="utf-8")
    for target in ("ai-institute", str(other)):
        rows = json.loads(run(home, "entities", target, "--json")[1])
        labelled = {(r["text"], r["label"]) for r in rows}
        assert ("AI", "GPE") not in labelled
        assert ("OASES", "ORG") in labelled
        assert "5%" not in {r["text"] for r in rows}
    listed: list[dict[str, Any]] = json.loads(run(home, "correct", "list", "--json")[1])
    assert [(c["action"], c["text"], c["label"]) for c in listed] == [
        ("reject", "AI", "GPE"),
        ("add", "OASES", "ORG"),
        ("ignore", "Subscribe for 5% off", None),
    ]
    code, removed, _ = run(home, "correct", "remove", reject_id.strip()[:8])
    assert code == 0 and removed.strip() == reject_id.strip()
    rows = json.loads(run(home, "entities", "ai-institute", "--json")[1])
    assert ("AI", "GPE") in {(r["text"], r["label"]) for r in rows}


def test_an_unreadable_database_does_not_stop_entities(home: Path) -> None:
    (home / "db.json").write_text("{not json", encoding="utf-8")
    code, out, err = run(home, "entities", "ai-institute", "--json", "--figures-only")
    assert code == 0 and len(json.loads(out)) == 4
    assert "db.json" in err and "without corrections" in err
    code, _, err = run(home, "correct", "list")
    assert code == 1 and "db.json" in err and "Traceback" not in err


def test_extract_refuses_a_non_utf8_file_with_one_line(home: Path) -> None:
    source = home / "in.jsonl"
    source.write_bytes(b'{"id": 1, "text": "caf\xe9"}\n')
    code, _, err = run(home, "extract", str(source), "--figures-only")
    assert code == 1
    assert err.strip() == f"Error: {source}: not UTF-8 text"


def test_correct_remove_prints_an_imported_id_literally(home: Path) -> None:
    hostile = {"id": "c\x1b[2J", "action": "ignore", "text": "Subscribe", "label": None}
    open_store(home / "db.json").add_correction(hostile)
    code, out, _ = run(home, "correct", "remove", "c")
    assert code == 0 and out == "c␛[2J\n"
    assert open_store(home / "db.json").corrections() == []


def test_an_article_id_wins_over_a_folder_of_the_same_name(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "ai-institute").mkdir()
    monkeypatch.chdir(home)
    code, out, err = run(home, "entities", "ai-institute", "--json", "--figures-only")
    assert code == 0, err
    assert "HK$1 billion" in {row["text"] for row in json.loads(out)}
