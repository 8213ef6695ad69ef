"""Fast tests on whole string columns, to run the text rules at the speed of the data.

A text rule usually concerns few rows (a cell starting like a formula, a padded cell, an English cell
holding Arabic). Each helper here finds, from the raw UTF-8 bytes of an Arrow-backed column, the rows
that *could* break a rule; the rule's own test then runs on those rows only. The helpers never miss a
row the rule would fail, so results are exactly those of the rule run on every row.
"""

from __future__ import annotations

# First byte of every character pyarrow's utf8_trim_whitespace strips (and so pandas' str.strip()):
# ASCII controls and space up to 0x20, U+0085 and U+00A0 (0xC2 ..), U+1680 (0xE1 ..), U+2000-U+205F
# (0xE2 ..) and U+3000 (0xE3 ..). tests/test_validate_speed.py checks this against pyarrow itself.
WHITESPACE_LEAD_BYTES = (0xC2, 0xE1, 0xE2, 0xE3)
# First byte of the characters a spreadsheet reads as the start of a formula: = + - @ tab CR.
FORMULA_BYTES = tuple(b"=+-@\t\r")


def arrow_array(series):
    """The Arrow array of a pandas string column, as one chunk (the text is not copied when the column is
    pyarrow-backed, as the validator's frames are)."""
    import pyarrow as pa

    array = series.array
    array = array.__arrow_array__() if hasattr(array, "__arrow_array__") else pa.array(array, from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.large_string())
    return array


def offsets_and_bytes(array):
    """Start and end (byte offsets) of every string of ``array``, and its UTF-8 bytes, as numpy arrays."""
    import numpy as np
    import pyarrow as pa

    kind = np.int64 if pa.types.is_large_string(array.type) else np.int32
    _, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=kind)[array.offset:array.offset + len(array) + 1].astype(np.int64)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None and data.size else np.zeros(1, np.uint8)
    return offsets[:-1], offsets[1:], data


def _byte(data, position, exists):
    """``data[position]`` where ``exists``, else 0."""
    import numpy as np

    return np.where(exists, data[np.clip(position, 0, len(data) - 1)], 0)


def edge_whitespace_candidates(series):
    """Rows whose first or last character may be whitespace (numpy bool array)."""
    import numpy as np

    start, end, data = offsets_and_bytes(arrow_array(series))
    length = end - start
    first = _byte(data, start, length >= 1)
    last = _byte(data, end - 1, length >= 1)
    second_last = _byte(data, end - 2, length >= 2)
    third_last = _byte(data, end - 3, length >= 3)
    lead = (first <= 0x20) | np.isin(first, WHITESPACE_LEAD_BYTES)
    trail = (last <= 0x20) | (second_last == 0xC2) | np.isin(third_last, (0xE1, 0xE2, 0xE3))
    return lead | trail


def formula_candidates(series):
    """Rows whose first character is = + - @, tab or CR (numpy bool array)."""
    import numpy as np

    start, end, data = offsets_and_bytes(arrow_array(series))
    return np.isin(_byte(data, start, end > start), FORMULA_BYTES)


def non_ascii(series):
    """Rows holding any character outside ASCII (numpy bool array; False where missing)."""
    import pyarrow.compute as pc

    return pc.invert(pc.string_is_ascii(arrow_array(series))).fill_null(False).to_numpy(zero_copy_only=False)


def matches(series, pattern: str):
    """Rows matching the RE2 ``pattern`` anywhere (numpy bool array; False where missing)."""
    import pyarrow.compute as pc

    return pc.match_substring_regex(arrow_array(series), pattern).fill_null(False).to_numpy(zero_copy_only=False)


def exact_on(series, candidates, check):
    """``check(series)`` on the ``candidates`` rows; True on the others (which cannot fail it)."""
    import pandas as pd

    out = pd.Series(True, index=series.index, dtype="boolean")
    if candidates.any():
        out[candidates] = check(series[candidates]).astype("boolean").array
    return out
