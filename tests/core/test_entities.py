"""Entities: grouping, figures winning overlaps, corrections across articles, cache, fallback."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tui.core.extract as extract_pkg
from tui.core.extract import Extraction, Extractor, extract_in_process, figure_key
from tui.core.extract import cache as cache_module
from tui.core.extract import entities as entities_module
from tui.core.extract.corrections import make_correction
from tui.core.extract.entities import INSTALL_COMMAND, Pipeline, clean_mentions, group_mentions
from tui.core.extract.figures import find_figures
from tui.core.text import canonicalize

SEEDS = Path(__file__).parents[1] / "fixtures" / "extract_seeds"


@dataclass
class FakeSpan:
    """What the code reads from a spaCy entity span."""

    text: str
    start_char: int
    end_char: int
    label_: str


@dataclass
class FakeDoc:
    ents: list[FakeSpan]


class FakeNLP:
    """A stand-in pipeline: labels every occurrence of known words; counts the texts it ran."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.texts_seen = 0

    def pipe(self, texts: Iterable[str]) -> Iterator[FakeDoc]:
        for text in texts:
            self.texts_seen += 1
            spans = []
            for word, label in self.known.items():
                start = text.find(word)
                while start != -1:
                    spans.append(FakeSpan(word, start, start + len(word), label))
                    start = text.find(word, start + len(word))
            yield FakeDoc(sorted(spans, key=lambda s: s.start_char))


KNOWN = {
    "AI": "GPE",
    "Hong Kong’s": "GPE",
    "Hong Kong": "GPE",
    "Liu Jun": "PERSON",
    "OASES": "PERSON",
}
ARTICLE_A = "Liu Jun said AI firms love Hong Kong’s market. OASES drew HK$50 billion. Subscribe"
ARTICLE_B = "In Hong Kong, AI rules changed; OASES hired 13,000 staff. Subscribe for 5% off"


@pytest.fixture
def fake_nlp(monkeypatch: pytest.MonkeyPatch) -> FakeNLP:
    nlp = FakeNLP(KNOWN)
    monkeypatch.setattr(
        extract_pkg, "load_pipeline", lambda model=None: Pipeline(nlp, "fake", None)
    )
    return nlp


def _mention(text: str, start: int, label: str) -> dict[str, Any]:
    return {
        "text": text,
        "start": start,
        "end": start + len(text),
        "label": label,
        "source": "model",
    }


def test_person_surname_joins_the_full_name() -> None:
    grouped = group_mentions([_mention("Liu Jun", 0, "PERSON"), _mention("Liu", 40, "PERSON")])
    assert [m["key"] for m in grouped] == ["Liu Jun", "Liu Jun"]


def test_short_org_name_joins_the_earlier_full_name() -> None:
    grouped = group_mentions(
        [
            _mention("CloudWalk Technology", 0, "ORG"),
            _mention("CloudWalk", 50, "ORG"),
            _mention("Cloud", 70, "ORG"),
        ]
    )
    assert [m["key"] for m in grouped] == ["CloudWalk Technology", "CloudWalk Technology", "Cloud"]


def test_case_variants_and_possessives_are_one_entity() -> None:
    body = "iFlyTek grew. iFlytek’s head spoke in Hong Kong’s port, and in Hong Kong."
    raw = [
        {"text": "iFlyTek", "start": 0, "end": 7, "label": "ORG"},
        {"text": "iFlytek’s", "start": 14, "end": 23, "label": "ORG"},
        {"text": "Hong Kong’s", "start": 38, "end": 49, "label": "GPE"},
        {"text": "Hong Kong", "start": 63, "end": 72, "label": "GPE"},
    ]
    grouped = group_mentions(clean_mentions(body, raw, []))
    assert [(m["text"], m["key"]) for m in grouped] == [
        ("iFlyTek", "iFlyTek"),
        ("iFlytek", "iFlyTek"),
        ("Hong Kong", "Hong Kong"),
        ("Hong Kong", "Hong Kong"),
    ]
    assert all(body[m["start"] : m["end"]] == m["text"] for m in grouped)


def test_names_found_once_are_tagged_where_the_model_missed_them() -> None:
    body = "iFlyTek and US firms told us in May. iFlytek’s US arm grew in May."
    second = body.index("iFlytek’s")
    may = body.rindex("May")
    raw = [
        {"text": "iFlytek’s", "start": second, "end": second + 9, "label": "ORG"},
        {"text": "US", "start": second + 10, "end": second + 12, "label": "GPE"},
        {"text": "May", "start": may, "end": may + 3, "label": "DATE"},
    ]
    mentions = group_mentions(clean_mentions(body, raw, []))
    assert [(m["text"], m["start"], m["label"], m["key"]) for m in mentions] == [
        ("iFlyTek", 0, "ORG", "iFlyTek"),
        ("US", 12, "GPE", "US"),
        ("iFlytek", second, "ORG", "iFlyTek"),
        ("US", second + 10, "GPE", "US"),
        ("May", may, "DATE", "May"),
    ]


def test_one_text_takes_the_label_most_of_its_mentions_have() -> None:
    grouped = group_mentions(
        [
            _mention("Cyberport", 0, "GPE"),
            _mention("Cyberport", 20, "ORG"),
            _mention("Cyberport", 40, "ORG"),
        ]
    )
    assert {(m["label"], m["key"]) for m in grouped} == {("ORG", "Cyberport")}


def test_figures_win_over_overlapping_numeric_spans() -> None:
    body = "Hong Kong Tech Revival: $50B Investments, 13 jobs and 2020 and 9 quid"
    raw = [
        {"text": "$50B Investments", "start": 24, "end": 40, "label": "MONEY"},
        {"text": "13", "start": 42, "end": 44, "label": "CARDINAL"},
        {"text": "2020", "start": 54, "end": 58, "label": "DATE"},
        {"text": "9 quid", "start": 63, "end": 69, "label": "MONEY"},
    ]
    mentions = clean_mentions(body, raw, find_figures(body))
    assert [(m["text"], m["label"]) for m in mentions] == [("2020", "DATE"), ("9 quid", "MONEY")]


def test_the_same_amount_written_two_ways_is_one_figure() -> None:
    keys = {f["text"]: figure_key(f) for f in find_figures("HK$50 billion, then HK$50B.")}
    assert keys["HK$50 billion"] == keys["HK$50B"] == "MONEY HKD 50000000000"


def test_corrections_apply_across_articles(fake_nlp: FakeNLP, tmp_path: Path) -> None:
    corrections = [
        {"id": "1", "action": "reject", "text": "AI", "label": "GPE"},
        {"id": "2", "action": "relabel", "text": "oases", "label": "ORG"},
        {"id": "3", "action": "ignore", "text": "Subscribe for 5% off"},
        {"id": "4", "action": "add", "text": "Liu", "label": "PERSON"},
    ]
    extractor = Extractor(tmp_path, corrections)
    first, second = extractor.extract(ARTICLE_A), extractor.extract(ARTICLE_B)
    for extraction, body in ((first, ARTICLE_A), (second, ARTICLE_B)):
        labels = {(e["text"], e["label"]) for e in extraction.entities}
        assert ("AI", "GPE") not in labels
        assert ("OASES", "ORG") in labels
        assert any(r["text"] == "AI" for r in extraction.raw_entities)  # the model's output stays
        for span in (*extraction.figures, *extraction.entities):
            assert body[span["start"] : span["end"]] == span["text"]
    assert [f["text"] for f in second.figures] == ["13,000 staff"]  # "5%" was inside the ignore
    assert ("Hong Kong", "Hong Kong") in {(e["text"], e["key"]) for e in first.entities}
    oases = next(e for e in first.entities if e["text"] == "OASES")
    assert oases["source"] == "correction"


def test_add_correction_works_without_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entities_module, "_PIPELINES", {})
    monkeypatch.setattr(entities_module, "FALLBACK_MODELS", ("no_such_pipeline_x",))
    extractor = Extractor(None, [{"action": "add", "text": "OASES", "label": "ORG"}], "nor_this_y")
    extraction = extractor.extract("OASES drew HK$50 billion.")
    assert extraction.model is None
    assert extraction.notice is not None and INSTALL_COMMAND in extraction.notice
    assert "\n" not in extraction.notice
    assert [f["text"] for f in extraction.figures] == ["HK$50 billion"]
    assert [(e["text"], e["label"]) for e in extraction.entities] == [("OASES", "ORG")]


def test_cache_hit_invalidation_and_corrections_without_rerun(
    fake_nlp: FakeNLP, tmp_path: Path
) -> None:
    Extractor(tmp_path, []).extract(ARTICLE_A)
    assert fake_nlp.texts_seen == 1
    again = Extractor(tmp_path, [{"action": "reject", "text": "Liu Jun"}])
    assert again.cached(ARTICLE_A) is not None
    result = again.extract(ARTICLE_A)
    assert fake_nlp.texts_seen == 1  # a new correction re-runs no model
    assert "Liu Jun" not in {e["text"] for e in result.entities}
    Extractor(tmp_path, []).extract(ARTICLE_A + " Edited.")
    assert fake_nlp.texts_seen == 2  # an edited body is extracted again


def test_rule_figures_are_cached_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extractor = Extractor(tmp_path, [{"action": "ignore", "text": "HK$50 billion"}])
    assert extractor.figures(ARTICLE_A) == [] and not (tmp_path / "extract").exists()
    plain = Extractor(tmp_path, []).figures(ARTICLE_A, cache=True)
    assert [f["text"] for f in plain] == ["HK$50 billion"]

    def no_rules(text: str) -> list[dict[str, Any]]:
        raise AssertionError("the figure rules ran")

    monkeypatch.setattr(extract_pkg, "find_figures", no_rules)
    assert Extractor(tmp_path, []).figures(ARTICLE_A, cache=True) == plain
    assert extractor.figures(ARTICLE_A, cache=True) == []  # corrections still apply
    with pytest.raises(AssertionError, match="the figure rules ran"):
        Extractor(tmp_path, []).figures(ARTICLE_A + " Edited.", cache=True)


def test_new_extractor_version_misses(
    fake_nlp: FakeNLP, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Extractor(tmp_path, []).extract(ARTICLE_A)
    monkeypatch.setattr(cache_module, "EXTRACTOR_VERSION", "999")
    assert Extractor(tmp_path, []).cached(ARTICLE_A) is None


@pytest.mark.parametrize(
    "damage", [b"", b"{not json", b"[]", b'{"version": "1", "sha256": "x"}', b"\xff\xfe"]
)
def test_corrupt_cache_is_ignored_and_rebuilt(
    fake_nlp: FakeNLP, tmp_path: Path, damage: bytes
) -> None:
    Extractor(tmp_path, []).extract(ARTICLE_A)
    (entry,) = (tmp_path / "extract").rglob("*.json")
    entry.write_bytes(damage)
    extractor = Extractor(tmp_path, [])
    assert extractor.cached(ARTICLE_A) is None
    assert {e["text"] for e in extractor.extract(ARTICLE_A).entities} >= {"Liu Jun", "OASES"}
    assert fake_nlp.texts_seen == 2
    assert extractor.cached(ARTICLE_A) is not None


def test_cache_entry_whose_spans_do_not_fit_is_a_miss(fake_nlp: FakeNLP, tmp_path: Path) -> None:
    Extractor(tmp_path, []).extract(ARTICLE_A)
    (entry,) = (tmp_path / "extract").rglob("*.json")
    entry.write_bytes(entry.read_bytes().replace(b'"Liu Jun"', b'"Liu Jon"'))
    assert Extractor(tmp_path, []).cached(ARTICLE_A) is None


def test_unwritable_cache_is_not_an_error(fake_nlp: FakeNLP, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    extraction = Extractor(blocker, []).extract(ARTICLE_A)
    assert extraction.model == "fake"


def test_importing_extraction_and_figures_never_import_spacy() -> None:
    code = (
        "import sys; from tui.core.extract import Extractor; "
        "print(len(Extractor(None, []).figures('HK$5 billion'))); "
        "print('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "False"]


@pytest.fixture(scope="session")
def real_pipeline() -> Pipeline:
    """The real small English pipeline, loaded once for the few tests that need it."""
    pipeline = entities_module.load_pipeline(None)
    assert pipeline.nlp is not None, pipeline.notice
    return pipeline


def test_real_pipeline_on_the_seeds(real_pipeline: Pipeline) -> None:
    bodies = [canonicalize(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    first, second = Extractor(None, []).extract_many(bodies)
    assert first.model == real_pipeline.name
    liu = [e["text"] for e in first.entities if e["key"] == "Liu Jun"]
    assert "Liu Jun" in liu and "Liu" in liu
    hong_kong = [e for e in second.entities if e["key"] == "Hong Kong"]
    assert len(hong_kong) >= 5 and {e["text"] for e in hong_kong} == {"Hong Kong"}
    for extraction, body in ((first, bodies[0]), (second, bodies[1])):
        figure_spans = [(f["start"], f["end"]) for f in extraction.figures]
        for entity in extraction.entities:
            assert body[entity["start"] : entity["end"]] == entity["text"]
            if entity["label"] in ("MONEY", "PERCENT", "QUANTITY"):
                assert not any(s < entity["end"] and entity["start"] < e for s, e in figure_spans)
    assert pickle.loads(pickle.dumps(second)) == second


def test_extract_in_process_returns_a_picklable_extraction(real_pipeline: Pipeline) -> None:
    result = extract_in_process("Liu Jun runs CloudWalk in Guangzhou.", None, [])
    assert isinstance(result, Extraction)
    assert result.model == real_pipeline.name
    assert pickle.loads(pickle.dumps(result)).entities == result.entities


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.text(alphabet=st.sampled_from(list("ab the’s'\n .,")), max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=6),
    st.sampled_from(["ORG", "DATE", "MONEY", "CARDINAL", "PERSON"]),
)
def test_cleaned_mentions_always_slice_to_their_text(
    body: str, bounds: list[tuple[int, int]], label: str
) -> None:
    raw = [
        {"text": body[s:e], "start": s, "end": e, "label": label}
        for s, e in (sorted(b) for b in bounds)
        if e <= len(body)
    ]
    for mention in group_mentions(clean_mentions(body, raw, find_figures(body))):
        assert body[mention["start"] : mention["end"]] == mention["text"]
        assert mention["text"] and mention["key"]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=120), st.sampled_from(["add", "ignore", "reject", "relabel"]))
def test_extraction_without_a_model_never_raises(body: str, action: str) -> None:
    word = body.split()[0] if body.split() else "x"
    extractor = Extractor(None, [{"action": action, "text": word, "label": "ORG"}])
    extraction = extractor.extract(body, figures_only=True)
    for span in (*extraction.figures, *extraction.entities):
        assert body[span["start"] : span["end"]] == span["text"]


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            ["Liu Jun", "said", "HK$50 billion", "Hong Kong’s", "13,000 jobs", "the", "AI", "\n",
             "[bold]", "␛[2J", "OASES", "in 2025", "sevenfold", ",", ".", "iFlyTek", " "]
        ),
        max_size=25,
    ).map(" ".join)
)  # fmt: skip
def test_full_extraction_never_raises_and_spans_fit(real_pipeline: Pipeline, body: str) -> None:
    extraction = Extractor(None, [{"action": "reject", "text": "AI"}]).extract(body)
    assert extraction.model == real_pipeline.name
    for span in (*extraction.figures, *extraction.entities, *extraction.raw_entities):
        assert body[span["start"] : span["end"]] == span["text"]


def test_a_correction_with_control_characters_matches_the_canonical_text() -> None:
    body = canonicalize("Promo \x1b[1m$5 off\x1b[0m today. Revenue was $9 million.")
    correction = make_correction("ignore", "\x1b[1m$5 off\x1b[0m")
    assert correction["text"] == "␛[1m$5 off␛[0m"
    figures = Extractor(None, [correction]).figures(body)
    assert [f["text"] for f in figures] == ["$9 million"]
