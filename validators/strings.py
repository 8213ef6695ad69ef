"""Fast tests on whole string columns, to run the text rules at the speed of the data.

A text rule usually concerns few rows (a cell starting like a formula, a padded cell, an English cell
holding Arabic). Each helper here finds, from the raw UTF-8 bytes of an Arrow-backed column, the rows
that *could* break a rule; the rule's own test then runs on those rows only. The helpers never miss a
row the rule would fail, so results are exactly those of the rule run on every row.

Beside them, the comparisons the record and cross-table rules make of whole text columns with a value or
a vocabulary (``equals``, ``is_one_of``, ``vocabulary_index``), in Arrow.

Columns stay in the chunks the CSV reader made: joining them would copy every string.
"""

from __future__ import annotations

import functools

# First byte of every character pyarrow's utf8_trim_whitespace strips (and so pandas' str.strip()):
# ASCII controls and space up to 0x20, U+0085 and U+00A0 (0xC2 ..), U+1680 (0xE1 ..), U+2000-U+205F
# (0xE2 ..) and U+3000 (0xE3 ..). tests/test_validation_speed.py checks this against pyarrow itself.
WHITESPACE_LEAD_BYTES = (0xC2, 0xE1, 0xE2, 0xE3)
# First byte of the characters a spreadsheet reads as the start of a formula: = + - @ tab CR.
FORMULA_BYTES = tuple(b"=+-@\t\r")


# First byte of every character column.control_characters rejects (its table is in validators/columns.py):
# C0 controls and DEL themselves, C1 controls and the soft hyphen (0xC2 ..), U+180E (0xE1 ..), the
# zero-width, bidirectional and other format characters of U+200B-U+206F (0xE2 ..), U+FEFF and U+FFF9-U+FFFB
# (0xEF ..), and the format characters beyond the Basic Multilingual Plane (0xF0 .., 0xF3 ..).
# tests/test_control_characters.py checks this against the rule's own character class.
CONTROL_LEAD_BYTES = tuple(range(0x20)) + (0x7F, 0xC2, 0xE1, 0xE2, 0xEF, 0xF0, 0xF3)


@functools.cache
def byte_set(members: tuple[int, ...]):
    """A 256-entry numpy lookup table, True at the byte values ``members``: ``byte_set(m)[bytes]`` tests
    a whole array of bytes in one pass (``np.isin`` makes one pass per member)."""
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[list(members)] = True
    return table


def arrow_array(series):
    """The Arrow data of a pandas column as a ChunkedArray (for the validator's pyarrow-backed frames,
    the very buffers pandas holds: nothing is copied)."""
    import pyarrow as pa

    array = series.array
    array = array.__arrow_array__() if hasattr(array, "__arrow_array__") else pa.array(array, from_pandas=True)
    return array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])


def equals(column, value):
    """Where a pandas text column holds ``value``: numpy bool, False where missing (one comparison in Arrow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = arrow_array(column)
    return pc.equal(array, pa.scalar(value, array.type)).fill_null(False).to_numpy(zero_copy_only=False)


def has_value(column):
    """Where a pandas column has a value: numpy bool, from the Arrow validity bits."""
    import pyarrow.compute as pc

    return pc.is_valid(arrow_array(column)).to_numpy(zero_copy_only=False)


def is_one_of(values, options):
    """Is each of ``values`` (a pandas text column or an Arrow array) one of ``options``? A numpy bool
    array, False where missing. Hashed in Arrow: pandas would turn a million strings into objects first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else arrow_array(values)
    found = pc.is_in(array, value_set=pa.array(sorted(options), array.type)).fill_null(False)
    return found.to_numpy(zero_copy_only=False)


def vocabulary_index(values, vocabulary):
    """Each of ``values``' (a pandas text column or an Arrow array) place in ``vocabulary`` (a list), -1
    where missing or not in it: numpy int64."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else arrow_array(values)
    found = pc.index_in(array, value_set=pa.array(vocabulary, array.type)).fill_null(-1)
    return found.to_numpy(zero_copy_only=False).astype("int64")


def offsets_and_bytes(array):
    """Start and end (byte offsets) of every string of one Arrow (large_)string array, and its UTF-8
    bytes, as numpy arrays."""
    import numpy as np
    import pyarrow as pa

    kind = np.int64 if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type) else np.int32
    _, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=kind)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
    return offsets[:-1], offsets[1:], data


def _per_chunk(series, test):
    """``test(start, end, data)`` on each chunk of a string column, joined into one numpy bool array."""
    import numpy as np

    parts = [test(*offsets_and_bytes(chunk)) for chunk in arrow_array(series).chunks]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def edge_whitespace_candidates(series):
    """Rows whose first or last character may be whitespace (numpy bool array).

    Bytes are read without checking that a string is long enough: a byte of a neighbouring string only
    adds a candidate, and a short string cannot end with a long character anyway."""
    lead_byte = byte_set(tuple(range(0x21)) + WHITESPACE_LEAD_BYTES)
    long_lead_byte = byte_set(WHITESPACE_LEAD_BYTES[1:])

    def test(start, end, data):
        lead = lead_byte[data.take(start, mode="clip")]
        trail = data.take(end - 1, mode="clip") <= 0x20
        trail |= data.take(end - 2, mode="clip") == 0xC2
        trail |= long_lead_byte[data.take(end - 3, mode="clip")]
        return lead | trail

    return _per_chunk(series, test)


def formula_candidates(series):
    """Rows whose first character is = + - @, tab or CR (numpy bool array)."""
    formula_byte = byte_set(FORMULA_BYTES)
    return _per_chunk(series, lambda start, end, data: formula_byte[data.take(start, mode="clip")] & (end > start))


def rows_holding(start, end, hits):
    """Which strings (from ``start`` to ``end``, byte offsets) hold one of the byte positions ``hits``
    (ascending): a numpy bool array, one item per string."""
    import numpy as np

    rows = np.zeros(len(start), dtype=bool)
    if len(hits):
        row = np.searchsorted(end, hits, side="right")
        inside = row < len(start)
        row = row[inside]
        rows[row[hits[inside] >= start[row]]] = True
    return rows


def control_candidates(series):
    """Rows holding a byte that may start a character column.control_characters rejects (numpy bool
    array): a C0 control or DEL, 0xC2, or a lead byte of 0xE1 and above (the rule's own test then runs on
    those rows only).

    A few comparisons over the bytes, not a lookup table: comparisons run many bytes at a time, a table
    lookup one by one (four times slower on a million events' quotes). Tabs and line breaks, which free
    text may hold, make a row a candidate too; they are rare."""
    import numpy as np

    def test(start, end, data):
        rows = np.zeros(len(start), dtype=bool)
        if not len(end):
            return rows
        data = data[: end[-1]]
        # Most chunks hold no suspect byte at all: two reductions and two counts, which make no array of
        # their own, say so before any comparison array is made.
        if (
            (not len(data) or (data.min() >= 0x20 and data.max() < 0xE1))
            and not np.count_nonzero(data == 0xC2)
            and not np.count_nonzero(data == 0x7F)
        ):
            return rows
        suspect = (data < 0x20) | (data == 0x7F) | (data == 0xC2) | (data >= 0xE1)
        return rows_holding(start, end, np.flatnonzero(suspect))

    return _per_chunk(series, test)


def arabic_block_rows(series):
    """Rows holding a character of the Arabic block U+0600-U+06FF (numpy bool array): its UTF-8 lead byte
    is 0xD8-0xDB, a byte no other character's encoding holds. Such a row surely contains Arabic script;
    the others are left to the exact test (the other Arabic blocks are rare)."""
    import numpy as np

    def test(start, end, data):
        if not len(end):
            return np.zeros(0, dtype=bool)
        data = data[: end[-1]]
        return rows_holding(start, end, np.flatnonzero((data >= 0xD8) & (data <= 0xDB)))

    return _per_chunk(series, test)


def non_ascii(series):
    """Rows holding any character outside ASCII (numpy bool array; False where missing)."""
    import pyarrow.compute as pc

    return pc.invert(pc.string_is_ascii(arrow_array(series))).fill_null(False).to_numpy()


def matches(series, pattern: str):
    """Rows matching the RE2 ``pattern`` anywhere (numpy bool array; False where missing)."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(arrow_array(series), pattern).fill_null(False).to_numpy()


def strictly_increasing(series) -> bool:
    """Whether every value is present and greater than the one before (so all are distinct)."""
    import pyarrow.compute as pc

    array = arrow_array(series)
    if array.null_count or len(array) < 2:
        return array.null_count == 0
    return pc.all(pc.less(array.slice(0, len(array) - 1), array.slice(1))).as_py()


def exact_on(series, candidates, check):
    """``check(series)`` on the ``candidates`` rows; True on the others (which cannot fail it).

    Missing values pass: pandera ignores them in every check but ``column.required``. The result is built
    in numpy (a pandas Series filled from a scalar repeats it in Python-sized steps)."""
    import numpy as np
    import pandas as pd

    out = np.ones(len(series), dtype=bool)
    if candidates.any():
        out[candidates] = check(series[candidates]).fillna(True).to_numpy(dtype=bool)
    return pd.Series(out, index=series.index)
