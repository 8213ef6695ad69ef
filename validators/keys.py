"""Looking keys up in other tables, and finding the keys repeated within one: joins with Arrow hash tables
(or numpy hashing), never a loop over rows.

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


def first_of(key, known):
    """For each row, the first row with the same ``key`` (numpy int64); rows not ``known`` are their own."""
    import numpy as np
    import pandas as pd

    rows = np.arange(len(key))
    keyed = pd.Series(rows[known], index=key[known])
    seen = keyed.index.duplicated()
    first = rows.copy()
    if seen.any():  # a hash lookup of the few repeated keys among the first ones
        firsts = pd.Series(keyed.to_numpy()[~seen], index=keyed.index[~seen])
        first[keyed.to_numpy()[seen]] = firsts.reindex(keyed.index[seen]).to_numpy()
    return first


def repeated(keys, known):
    """The rows (ascending) whose ``keys`` (numpy int64) recur among the ``known`` rows. One pass counts the
    keys hashed into a table of at least four times as many slots; only the rows sharing a slot, a few, are
    then compared exactly (a hash table of a million keys costs ten times more)."""
    import numpy as np
    import pandas as pd

    rows = np.flatnonzero(known)
    if len(rows) < 2:
        return np.zeros(0, np.int64)
    bits = max(4, (4 * len(rows)).bit_length())
    slot = ((keys[rows].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)
    crowded = rows[np.bincount(slot, minlength=1 << bits)[slot] > 1]
    return crowded[pd.Series(keys[crowded]).duplicated(keep=False).to_numpy()]


def find(keys, targets):
    """For each of ``keys`` (an Arrow array): the position of its first occurrence in ``targets`` (a pandas
    text column), or -1. The smaller side is hashed: a few keys are looked up among the targets equal to
    one of them, not in a hash of every target."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = keys if isinstance(keys, pa.ChunkedArray) else pa.chunked_array([keys])
    keys = keys.cast(pa.large_string())
    index_in = lambda values, among: (
        pc.index_in(values, value_set=among, skip_nulls=True)
        .fill_null(-1)
        .to_numpy(zero_copy_only=False)
        .astype(np.int64)
    )
    if len(targets) <= 4 * len(keys):
        return index_in(keys, _set(targets))
    candidates = np.flatnonzero(
        pc.is_in(_chunks(targets), value_set=keys.combine_chunks(), skip_nulls=True)
        .fill_null(False)
        .to_numpy(zero_copy_only=False)
    )
    if not len(candidates):
        return np.full(len(keys), -1, np.int64)
    found = index_in(keys, _chunks(targets).take(candidates).combine_chunks())
    return np.where(found >= 0, candidates[np.maximum(found, 0)], -1)


def take(values, where, fill):
    """``values[where]`` (numpy), ``fill`` where ``where`` is -1 (a key found nowhere): safe when ``values``
    is empty."""
    import numpy as np

    out = np.full(len(where), fill, dtype=values.dtype)
    found = where >= 0
    out[found] = values[where[found]]
    return out
