"""Looking keys up in other tables: joins with Arrow hash tables, never a loop over rows.

pandas' ``isin`` on Arrow-backed strings turns the values looked for into Python objects first, which
takes seconds for a million keys; ``pyarrow.compute.is_in`` and ``index_in`` hash them in C++.
"""

from __future__ import annotations


def _arrow(series):
    """The Arrow array of a pandas column (strings as large_string, so that any two columns compare)."""
    import pyarrow as pa

    from .strings import arrow_array

    array = arrow_array(series)
    return array if pa.types.is_large_string(array.type) else array.cast(pa.large_string())


def is_in(values, targets):
    """For each of ``values`` (a pandas string column): is it one of ``targets``? A numpy bool array,
    False where the value is missing (missing targets are ignored)."""
    import pyarrow.compute as pc

    found = pc.is_in(_arrow(values), value_set=_arrow(targets), skip_nulls=True)
    return found.fill_null(False).to_numpy(zero_copy_only=False)


def positions(keys, targets):
    """For each of ``keys``: the position of its first occurrence in ``targets``, or -1 (also for a
    missing key). A numpy int64 array."""
    import pyarrow.compute as pc

    found = pc.index_in(_arrow(keys), value_set=_arrow(targets), skip_nulls=True)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
