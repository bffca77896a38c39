"""Canonical text: the invariants every offset in Claimdesk depends on."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.text import (
    canonicalize,
    is_heading,
    line_starts,
    offset_to_location,
    sha256_text,
    visible_controls,
)

TRICKY = st.text(
    alphabet=st.sampled_from(
        list(
            "ae1 \n\t\u0301\u0308\u1100\u1161\u200b\u200c\u200d\u2060\u00ad\ufeff"
            "\u202e\u2066\u2028\u3000\x1b\u0663\u1680\u2001"
        )
    ),
    max_size=30,
)
"""Text made of the characters canonicalize treats specially, to find non-idempotent orders."""


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
        ("HK$6\u200d0 billion", "HK$60 billion"),  # joiners inside numbers
        ("US$1\u2060200", "US$1200"),
        ("1\u00ad000 jobs", "1000 jobs"),
        ("12\u200c.5%", "12.5%"),
        ("👩\u200d💻 coder", "👩\u200d💻 coder"),  # an emoji sequence keeps its joiner
        ("می\u200cخواهم", "می\u200cخواهم"),  # Persian keeps its non-joiner
        ("e\u200b\u0301", "é"),  # a dropped character between a letter and its mark
        ("x\u202egnp.exe\u202c", "x⁅gnp.exe⁆"),  # RLO / PDF made visible
        ("\u2066a\u2067b\u2068c\u2069", "⁅a⁅b⁅c⁆"),
        ("[bold]x[/] [@click=app.quit]", "[bold]x[/] [@click=app.quit]"),
    ],
)
def test_canonicalize_table(raw: str, expected: str) -> None:
    assert canonicalize(raw) == expected


@given(st.one_of(st.text(), TRICKY))
@example("e\u200b\u0301")
@example("\u1100\ufeff\u1161")
def test_canonicalize_is_idempotent_and_control_free(raw: str) -> None:
    once = canonicalize(raw)
    assert canonicalize(once) == once
    assert not any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in once)
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


@pytest.mark.parametrize(
    "control",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_visible_controls_shows_every_bidi_control_one_for_one(control: str) -> None:
    shown = visible_controls(f"tag{control}x")
    assert len(shown) == 5 and control not in shown and shown[3] in "⁅⁆"
