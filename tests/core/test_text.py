"""Canonical text: the invariants every offset in Claimdesk depends on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.text import canonicalize, is_heading, line_starts, offset_to_location, sha256_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("one\n\n\ntwo", "one\ntwo"),
        ("tab\there", "tab here"),
        ("  padded  line  ", "padded line"),
        ("e\u0301", "é"),  # NFC
        ("x\x1b[2Jy", "x␛[2Jy"),  # ESC made visible, nothing removed
        ("osc\x1b]52;c;SGVsbG8=\x07end", "osc␛]52;c;SGVsbG8=␇end"),
        ("nul\x00del\x7fc1\x9b", "nul␀del␡c1\ufffd"),
        ("para\u2028next\u2029last", "para\nnext\nlast"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("[bold]x[/] [@click=app.quit]", "[bold]x[/] [@click=app.quit]"),
    ],
)
def test_canonicalize_table(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


@given(st.text())
def test_canonicalize_is_idempotent_and_control_free(raw: str) -> None:
    once = canonicalize(raw)
    assert canonicalize(once) == once
    assert not any(ord(c) < 0x20 and c != "\n" for c in once)
    assert not any(0x7F <= ord(c) <= 0x9F for c in once)
    assert "\n\n" not in once and "\t" not in once


def test_line_starts_round_trip() -> None:
    text = "alpha\nbeta gamma\n\u00e9t\u00e9"
    starts = line_starts(text)
    assert starts == [0, 6, 17]
    for offset, char in enumerate(text):
        row, col = offset_to_location(starts, offset)
        assert text.split("\n")[row][col : col + 1] in (char, "")


def test_sha256_is_stable_hex() -> None:
    assert sha256_text("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Navigating Security Laws and Business Realities", True),
        ("Hong Kong is experiencing a tech revival.", False),
        ("Written by Zane Howard", True),
        ("- a bullet", False),
        ("", False),
    ],
)
def test_is_heading(line: str, heading: bool) -> None:
    assert is_heading(line) is heading
