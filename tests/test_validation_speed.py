"""The shortcuts that make validation fast give exactly the answers of the plain rules they stand for."""

import csv
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from libya_conflict import schema as sch
from libya_conflict.validators import columns, graphs, joins, keys, offsets, strings
from libya_conflict.validators.package import read_package
from libya_conflict.validators.report import Report

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


# ------------------------------------------------------------------ Key lookups and graphs of the cross rules


def test_repeated_keys_and_first_rows_agree_with_counting():
    rng = np.random.default_rng(3)
    key = rng.integers(0, 40, 300)
    known = rng.random(300) < 0.8
    plain_repeated = [i for i in range(300) if known[i] and sum(known[j] and key[j] == key[i] for j in range(300)) > 1]
    assert keys.repeated(key, known).tolist() == plain_repeated
    first = {}
    for i in range(300):
        if known[i]:
            first.setdefault(key[i], i)
    assert keys.first_of(key, known).tolist() == [first[key[i]] if known[i] else i for i in range(300)]


@pytest.mark.parametrize("few_keys", [True, False])
def test_find_agrees_with_a_dict_of_first_positions(few_keys):
    rng = random.Random(4)
    targets = [rng.choice("abcd") + str(rng.randrange(30)) if rng.random() < 0.9 else None for _ in range(400)]
    wanted = [rng.choice(["a", "b", "x", None]) for _ in range(20 if few_keys else 2000)]
    wanted = [w + str(rng.randrange(40)) if w else None for w in wanted]
    first = {}
    for i, t in enumerate(targets):
        if t is not None:
            first.setdefault(t, i)
    found = keys.find(pa.array(wanted, pa.string()), strings_series(targets))
    assert found.tolist() == [first.get(w, -1) if w is not None else -1 for w in wanted]


def _on_loop(following, start):
    """Does following the pointers from ``start`` come back to it?"""
    at = following[start]
    for _ in range(len(following)):
        if at < 0:
            return False
        if at == start:
            return True
        at = following[at]
    return False


def test_loops_of_pointer_chains_agree_with_following_each_row():
    rng = np.random.default_rng(5)
    for n in (0, 1, 7, 200):
        following = np.where(rng.random(n) < 0.3, -1, rng.integers(0, max(n, 1), n))
        assert graphs.loops(following).tolist() == [_on_loop(following, i) for i in range(n)]


def test_cycle_edges_agree_with_reachability_and_on_cycles_keeps_them():
    rng = random.Random(6)
    nodes = [f"ev-{k}" for k in range(30)]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(45)]
    edges = [(a, b) for a, b in edges if a != b]

    def reaches(a, b):
        seen, todo = {a}, [a]
        while todo:
            at = todo.pop()
            for x, y in edges:
                if x == at and y not in seen:
                    seen.add(y)
                    todo.append(y)
        return b in seen

    plain = [k for k, (a, b) in enumerate(edges) if reaches(b, a)]
    graph = {}
    for k, (a, b) in enumerate(edges):
        graph.setdefault(a, []).append((b, k))
    assert sorted(graphs.cycle_edges(graph)) == plain
    kept = graphs.on_cycles(strings_series([a for a, _ in edges]), strings_series([b for _, b in edges]))
    assert kept[plain].all()


def test_components_agree_with_union_find():
    rng = np.random.default_rng(7)
    n = 120
    source, target = rng.integers(-1, n, 90), rng.integers(-1, n, 90)
    parent = list(range(n))

    def root_of(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in zip(source, target):
        if a >= 0 and b >= 0:
            ra, rb = root_of(a), root_of(b)
            parent[max(ra, rb)] = min(ra, rb)
    lowest = {}
    for x in range(n):
        lowest.setdefault(root_of(x), x)
    assert graphs.components(source, target, n).tolist() == [lowest[root_of(x)] for x in range(n)]


# ------------------------------------------------------------------ Joins in DuckDB and Arrow


def _rows(folder, table):
    with open(folder / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(folder, table, rows):
    with open(folder / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sch.field_names(table), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_joins_agree_with_plain_lookups(package_copy):
    """The foreign-key, claim and event/actor lookups of joins.py (DuckDB, and Arrow hash tables shared
    between rules) give the rows a set of each target's keys gives."""
    for table, column, value in (
        ("event_actors", "actor_id", "act-nobody"),
        ("event_relations", "related_event_id", "ev-nothing"),
        ("claims", "record_id", "ev-unclaimed"),
    ):
        rows = _rows(package_copy, table)
        for row in rows[1::7]:
            row[column] = value
        rows[0][column] = ""
        _write(package_copy, table, rows)
    package = read_package(package_copy, Report())
    frames = package.frames

    def plain_dangling(table, column, target, target_column):
        known = set(frames[target][target_column].dropna())
        return [i for i, v in enumerate(frames[table][column]) if not pd.isna(v) and v not in known]

    checked = 0
    for table, table_schema in sch.schemas().items():
        for fk in table_schema.get("foreignKeys", []):
            target, target_column = fk["reference"]["resource"] or table, fk["reference"]["fields"]
            expected = plain_dangling(table, fk["fields"], target, target_column)
            assert joins.dangling(package, table, fk["fields"], target, target_column).tolist() == expected
            checked += bool(expected)
    assert checked >= 2
    claims = frames["claims"]
    for table in ("events", "actors"):
        key = sch.primary_key(table)
        known = set(frames[table][key].dropna())
        about = claims["record_table"] == table
        expected = [i for i in range(len(claims)) if about.iloc[i] and claims["record_id"].iloc[i] not in known]
        assert joins.claims_without_record(package, table, key).tolist() == [
            i for i in expected if not pd.isna(claims["record_id"].iloc[i])
        ]
        named = set(claims["record_id"][about].dropna())
        assert joins.records_without_claim(package, table, key).tolist() == [
            i for i, v in enumerate(frames[table][key]) if not pd.isna(v) and v not in named
        ]
    for columns_, target, key in (
        (joins.EVENT_COLUMNS, "events", "event_id"),
        (joins.ACTOR_COLUMNS, "actors", "actor_id"),
    ):
        first = {}
        for i, v in enumerate(frames[target][key]):
            if not pd.isna(v):
                first.setdefault(v, i)
        found = joins.event_rows(package) if target == "events" else joins.actor_rows(package)
        for table, column in columns_:
            values = frames[table][column]
            assert found[(table, column)].tolist() == [-1 if pd.isna(v) else first.get(v, -1) for v in values]


def test_whole_column_comparisons_agree_with_pandas():
    series = strings_series(SAMPLES)
    plain = lambda mask: mask.fillna(False).to_numpy(dtype=bool).tolist()
    assert strings.equals(series, "ok").tolist() == plain(series == "ok")
    assert strings.has_value(series).tolist() == series.notna().tolist()
    options = {"a", "ok", "نص عربي", "absent"}
    assert strings.is_one_of(series, options).tolist() == plain(series.isin(options))
    vocabulary = ["ok", "a", "=1"]
    expected = [vocabulary.index(v) if isinstance(v, str) and v in vocabulary else -1 for v in SAMPLES]
    assert strings.vocabulary_index(series, vocabulary).tolist() == expected
    assert strings.vocabulary_index(pa.array(SAMPLES, pa.large_string()), vocabulary).tolist() == expected
