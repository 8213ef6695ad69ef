"""Looking keys up in other tables: joins with Arrow hash tables, never a loop over rows.

pandas' ``isin`` on Arrow-backed strings turns the values looked for into Python objects first, which
takes seconds for a million keys; ``pyarrow.compute.is_in`` and ``index_in`` hash them in C++.
"""

from __future__ import annotations


def _chunks(series):
    """The Arrow chunks of a pandas column, as large_string (so that any two columns compare)."""
    import pyarrow as pa

    from .strings import arrow_array

    array = arrow_array(series)
    return array if pa.types.is_large_string(array.type) else array.cast(pa.large_string())


def _set(series):
    """A pandas column as one Arrow array, the form a lookup's value set must take."""
    return _chunks(series).combine_chunks()


def is_in(values, targets):
    """For each of ``values`` (a pandas string column): is it one of ``targets``? A numpy bool array,
    False where the value is missing (missing targets are ignored)."""
    import pyarrow.compute as pc

    return pc.is_in(_chunks(values), value_set=_set(targets), skip_nulls=True).fill_null(False).to_numpy()


def positions(keys, targets):
    """For each of ``keys``: the position of its first occurrence in ``targets``, or -1 (also for a
    missing key). A numpy int64 array."""
    import pyarrow.compute as pc

    found = pc.index_in(_chunks(keys), value_set=_set(targets), skip_nulls=True)
    return found.fill_null(-1).to_numpy().astype("int64")


def codes(*columns):
    """One integer per value of each column, equal for equal strings across all of them (-1 where missing),
    from a single hash table. Returns a list of numpy int64 arrays."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = [chunk for column in columns for chunk in _chunks(column).chunks]
    encoded = pc.dictionary_encode(pa.chunked_array(chunks, type=pa.large_string()))
    flat = [chunk.indices.fill_null(-1).to_numpy().astype(np.int64) for chunk in encoded.chunks]
    flat = np.concatenate(flat) if flat else np.zeros(0, np.int64)
    bounds = np.cumsum([0] + [len(column) for column in columns])
    return [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
