"""Quotes against their articles in bulk: does each article hold each claim's quote at its offsets?

Offsets count code points; the files are UTF-8. Articles are taken a batch at a time and their bytes laid
side by side in one buffer. Every byte that is not a continuation byte (0b10xxxxxx) starts a code point,
which turns each code-point offset into a byte offset. Each claim's span of the text, and each quote
where it lies in the claims column, then become Arrow binary views (a length and an offset into a
buffer: nothing is copied), which Arrow compares. For UTF-8 text the bytes are equal exactly when the
decoded strings are.
"""

from __future__ import annotations

# Bytes of article text per batch: small enough to stay in memory the process has already touched
# (fresh pages are what large arrays cost most), large enough that numpy's per-call cost vanishes.
BATCH_BYTES = 1 << 21
# A binary view holds up to this many bytes in itself; longer ones point into a buffer.
INLINE = 12


def quotes_match(read, sizes, article, start, end, quotes):
    """For each claim, True when text ``article`` holds exactly its quote at code points ``start:end``.

    ``read(first, last)`` gives the texts first..last-1 (valid UTF-8, of ``sizes`` bytes) one after another
    in a buffer, and where each begins. ``article`` (-1: skip the claim), ``start`` and ``end`` are numpy
    int64 arrays, ``quotes`` an Arrow (chunked) string array, all one item per claim. False means "not
    shown equal": the offsets may also lie outside the text or be reversed, which the caller decides with
    Python's own slicing.
    """
    import numpy as np
    import pyarrow as pa

    from .strings import offsets_and_bytes

    matched = np.zeros(len(article), dtype=bool)
    chunks = quotes.chunks if isinstance(quotes, pa.ChunkedArray) else [quotes]
    # Where every quote lies: its chunk's buffer, and its byte offsets in it.
    located = [offsets_and_bytes(chunk) for chunk in chunks]
    q_chunk = np.repeat(np.arange(len(chunks)), [len(chunk) for chunk in chunks])
    q_start = np.concatenate([s for s, _, _ in located]).astype(np.int64) if located else np.zeros(0, np.int64)
    q_end = np.concatenate([e for _, e, _ in located]).astype(np.int64) if located else np.zeros(0, np.int64)
    q_valid = (
        np.concatenate([chunk.is_valid().to_numpy(zero_copy_only=False) for chunk in chunks]) if chunks else q_start > 0
    )
    q_buffers = [chunk.buffers()[2] or pa.py_buffer(b"") for chunk in chunks]
    q_data = [data for _, _, data in located]

    used = np.flatnonzero((article >= 0) & q_valid)
    order = used[np.argsort(article[used], kind="stable")]
    by_article = article[order]
    sizes = np.asarray(sizes, dtype=np.int64)
    ends = np.cumsum(sizes)
    first = 0
    while first < len(sizes):
        # Articles first..last-1: as many as fit in a batch, and at least one.
        done = ends[first - 1] if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + BATCH_BYTES, side="right")))
        lo, hi = np.searchsorted(by_article, [first, last])
        if hi > lo:
            claims = order[lo:hi]
            quote = (q_chunk[claims], q_start[claims], q_end[claims] - q_start[claims])
            data, starts = read(first, last)
            text_start = np.append(np.asarray(starts, dtype=np.int64), starts[-1] + sizes[last - 1])
            matched[claims] = _batch(
                data, text_start, article[claims] - first, start[claims], end[claims], quote, q_buffers, q_data
            )
        first = last
    return matched


def _batch(texts, text_start, k, start, end, quote, q_buffers, q_data):
    """:func:`quotes_match` for the claims of one batch of articles: ``texts`` holds them side by side,
    text ``k`` from ``text_start[k]`` to ``text_start[k + 1]``; ``quote`` is each claim's quote as
    (chunk, byte offset, byte length)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    buffer = pa.py_buffer(texts)
    data = np.frombuffer(buffer, dtype=np.uint8)[: text_start[-1]]
    # Byte offset of every code point: bytes 0x80-0xBF (int8 below -64) continue one.
    code_points = np.flatnonzero(data.view(np.int8) >= -64)
    first_cp = np.searchsorted(code_points, text_start)  # each text's first code point, and the end
    inside = (start >= 0) & (start <= end) & (end <= np.diff(first_cp)[k])

    def byte_at(code_point):
        """Byte offset of a code point of the batch; the end of the buffer for the one past the last."""
        return np.where(code_point < len(code_points), code_points.take(code_point, mode="clip"), len(data))

    base = first_cp[k]
    byte_start = byte_at(np.where(inside, base + start, 0))
    length = byte_at(np.where(inside, base + end, 0)) - byte_start
    q_chunk, q_start, q_length = quote
    candidates = np.flatnonzero(inside & (length == q_length))
    matched = np.zeros(len(k), dtype=bool)
    if len(candidates):
        spans = binary_views(
            [buffer], [data], np.zeros(len(candidates), np.int64), byte_start[candidates], length[candidates]
        )
        quotes = binary_views(q_buffers, q_data, q_chunk[candidates], q_start[candidates], q_length[candidates])
        matched[candidates] = pc.equal(spans, quotes).fill_null(False).to_numpy(zero_copy_only=False)
    return matched


# An Arrow binary view: the length, then either the bytes themselves (up to 12) or their first 4 bytes,
# the number of the buffer holding them and their offset in it.
VIEW = [("length", "<i4"), ("prefix", "<u4"), ("buffer", "<i4"), ("offset", "<i4")]


def binary_views(buffers, datas, which, at, length):
    """An Arrow binary_view array of the spans ``buffers[which][at:at+length]`` (``datas``: the same
    buffers as numpy bytes)."""
    import numpy as np
    import pyarrow as pa

    n = len(at)
    views = np.zeros(n, dtype=VIEW)
    views["length"] = length
    short = length <= INLINE
    views["buffer"] = np.where(short, 0, which)
    views["offset"] = np.where(short, 0, at)
    raw = views.view(np.uint8).reshape(n, 16)
    prefix = np.zeros(n, dtype=np.uint32)
    inline = np.flatnonzero(short & (length > 4))
    # Usually one buffer (the claims of a batch sit side by side): then no row needs sorting out.
    single = n == 0 or which.min() == which.max()
    for b in which[:1] if single else np.unique(which):
        rows = slice(None) if single else np.flatnonzero(which == b)
        for j in range(4):
            byte = datas[b].take(at[rows] + j, mode="clip").astype(np.uint32)
            prefix[rows] |= np.where(length[rows] > j, byte << (8 * j), 0).astype(np.uint32)
        mine = inline[which[inline] == b]
        for j in range(4, INLINE):
            raw[mine, 4 + j] = np.where(length[mine] > j, datas[b].take(at[mine] + j, mode="clip"), 0)
    views["prefix"] = prefix
    return pa.Array.from_buffers(pa.binary_view(), n, [None, pa.py_buffer(views), *buffers])
