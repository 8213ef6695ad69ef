"""The shortcuts that make validation fast give exactly the answers of the plain rules they stand for."""

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from libya_conflict.validators import columns, keys, offsets, strings

SAMPLES = [
    "",
    "a",
    " a",
    "a ",
    "\u00a0x",
    "x\u3000",
    "=1",
    "+12.5",
    "-x",
    "@x",
    "\tx",
    "ok",
    "نص عربي",
    "ط،",
    "x\u2028",
    "\u1680y",
    "y\u205f",
    "مرحبا ",
    "Ø§Ù„",
    "ط§ظ„",
    "٣٤",
    "act-١",
    "a\nb",
    "é",
    None,
]


def strings_series(values):
    return pd.Series(values, dtype=pd.StringDtype())


def test_whitespace_lead_bytes_cover_every_character_pyarrow_strips():
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    stripped = pc.utf8_trim_whitespace(pa.array(chars))
    whitespace = [c for c, s in zip(chars, stripped.to_pylist()) if s == ""]
    series = strings_series([w + "x" for w in whitespace] + ["x" + w for w in whitespace])
    assert strings.edge_whitespace_candidates(series).all()


@pytest.mark.parametrize(
    "check, plain",
    [
        ("column.whitespace", lambda s: s.str.strip() == s),
        ("column.formula", lambda s: ~s.str.contains(columns.FORMULA_START) | s.str.match(columns.PLAIN_NUMBER)),
        ("column.script_latin", lambda s: ~s.str.contains(columns.ARABIC)),
        ("column.ascii_digits", lambda s: ~s.str.contains(columns.NON_ASCII_DIGIT)),
    ],
)
def test_fast_text_checks_agree_with_the_plain_ones(check, plain):
    field = {"name": "x", "type": "string", "script": "latin", "constraints": {"pattern": "^.*$"}}
    fast = next(c for c in columns._checks_for(field) if c.name == check)
    rng = random.Random(0)
    values = SAMPLES + ["".join(rng.choice("ab =+-@\t\u00a0ط٣1") for _ in range(rng.randint(0, 4))) for _ in range(500)]
    series = strings_series(values)
    expected = plain(series).astype("boolean")
    got = fast(series).check_output.astype("boolean")
    known = series.notna()
    assert (got[known] == expected[known]).all()


def test_mojibake_candidates_keep_every_mojibake_cell():
    rng = random.Random(1)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
    texts = ["".join(rng.choice(letters + " ،") for _ in range(rng.randint(2, 12))) for _ in range(400)]
    garbled = []
    for text in texts:
        for encoding in columns.MOJIBAKE_ENCODINGS:
            try:
                garbled.append(text.encode("utf-8").decode(encoding))
            except UnicodeDecodeError:
                pass
    series = strings_series(texts + garbled)
    plain = series.map(columns.is_mojibake).astype(bool)
    assert plain[len(texts) :].any()
    assert (columns.column_mojibake(series) == plain).all()


def test_bulk_quote_comparison_agrees_with_python_slicing():
    rng = random.Random(2)
    alphabet = "ab ص\u00a0é€𝄞\n"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(40)]
    article, start, end, quotes, expected = [], [], [], [], []
    for _ in range(3000):
        k = rng.randrange(len(texts))
        text = texts[k]
        s = rng.randint(-3, len(text) + 3)
        e = rng.randint(-3, len(text) + 3)
        quote = (
            text[s:e]
            if rng.random() < 0.6 and text[s:e]
            else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14)))
        )
        article.append(k), start.append(s), end.append(e), quotes.append(quote)
        expected.append(text[s:e] == quote)
    raw = [t.encode() for t in texts]

    def read(first, last):
        starts = np.cumsum([0] + [len(r) for r in raw[first:last]])[:-1].tolist()
        return b"".join(raw[first:last]), starts

    matched = offsets.quotes_match(
        read,
        [len(r) for r in raw],
        np.array(article),
        np.array(start),
        np.array(end),
        pa.chunked_array([pa.array(quotes[:1000], pa.large_string()), pa.array(quotes[1000:], pa.large_string())]),
    )
    expected = np.array(expected)
    # Never a false match; every miss is one Python's slicing then decides (out of range or reversed).
    assert not (matched & ~expected).any()
    inside = (
        (np.array(start) >= 0)
        & (np.array(start) <= np.array(end))
        & (np.array(end) <= np.array([len(texts[k]) for k in article]))
    )
    assert (matched == expected)[inside].all()


def test_key_lookups_ignore_missing_values_and_take_the_first_occurrence():
    values = strings_series(["a", "b", None, "z"])
    targets = strings_series(["b", "a", "b", None])
    assert keys.is_in(values, targets).tolist() == [True, True, False, False]
    assert keys.positions(values, targets).tolist() == [1, 0, -1, -1]


@pytest.mark.parametrize(
    "check, field, plain",
    [
        (
            "column.script_arabic",
            {"name": "x", "type": "string", "script": "arabic"},
            lambda s: s.str.contains(columns.ARABIC),
        ),
        (
            "column.control_characters",
            {"name": "x", "type": "string"},
            lambda s: s.map(lambda v: columns.CONTROL.search(v) is None, na_action="ignore"),
        ),
    ],
)
def test_fast_script_and_control_checks_agree_with_the_plain_ones(check, field, plain):
    fast = next(c for c in columns._checks_for(field) if c.name == check)
    rng = random.Random(1)
    # Characters either side of every boundary the byte tests draw: Arabic and its neighbours, C0, DEL,
    # C1, the no-break space, joiners and marks, the bidirectional controls, a byte-order mark, astral ones.
    alphabet = (
        "aZ ٣ط\u0600\u06ff\u05ff\u0700\u0750\u08a0\ufb50\ufe70\x00\x1f\t\n\x7f\x80\x9f\xa0\xab\u00ad"
        "\u200b\u200c\u200f\u202a\u202e\u202f\u2066\u2069\u2028\ufeff\U0001d173\U000e0001\U0001f600"
    )
    values = SAMPLES + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5))) for _ in range(2000)]
    series = strings_series(values)
    expected = plain(series).astype("boolean")
    got = fast(series).check_output.astype("boolean")
    known = series.notna()
    assert (got[known] == expected[known]).all()


def test_control_lead_bytes_cover_every_character_the_rule_refuses():
    refused = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and columns.CONTROL.match(chr(c))]
    assert {ch.encode("utf-8")[0] for ch in refused} <= set(strings.CONTROL_LEAD_BYTES)
    series = strings_series(["x" + ch + "y" for ch in refused])
    assert strings.control_candidates(series).all()
