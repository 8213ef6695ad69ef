"""Quotes against their articles in bulk: does each article hold each claim's quote at its offsets?

Offsets count code points; the files are UTF-8. Articles are taken a batch at a time and their bytes laid
side by side in one numpy array. Every byte that is not a continuation byte (0b10xxxxxx) starts a code
point, which turns each code-point offset into a byte offset; each quote is then compared byte for byte
with its span. For UTF-8 text the bytes are equal exactly when the decoded strings are.
"""

from __future__ import annotations

from .strings import offsets_and_bytes

# Bytes of article text per batch, and of quotes compared at once: small enough to stay in memory the
# process has already touched (fresh pages are what large arrays cost most).
BATCH_BYTES = 1 << 23
COMPARE_BYTES = 1 << 23


def quotes_match(texts: list[bytes], article, start, end, quotes):
    """For each claim, True when ``texts[article][start:end]`` (code points) is exactly its quote.

    ``article`` (-1: skip the claim), ``start`` and ``end`` are numpy int64 arrays, ``quotes`` an Arrow
    string array, all one item per claim; ``texts`` are valid UTF-8. False means "not shown equal": the
    offsets may also lie outside the text or be reversed, which the caller decides with Python's slicing.
    """
    import numpy as np

    matched = np.zeros(len(article), dtype=bool)
    q_start, q_end, q_data = offsets_and_bytes(quotes)
    used = np.flatnonzero(article >= 0)
    order = used[np.argsort(article[used], kind="stable")]
    by_article = article[order]
    sizes = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    first = 0
    while first < len(texts):
        # Articles first..last-1: at least one, and as many as fit in a batch.
        last = first + max(1, int(np.searchsorted(np.cumsum(sizes[first:]), BATCH_BYTES, side="right")))
        lo, hi = np.searchsorted(by_article, [first, last])
        if hi > lo:
            claims = order[lo:hi]
            matched[claims] = _batch(texts[first:last], article[claims] - first, start[claims], end[claims],
                                     q_start[claims], q_end[claims], q_data)
        first = last
    return matched


def _batch(texts, k, start, end, q_start, q_end, q_data):
    """:func:`quotes_match` for the claims of one batch of articles (``k`` indexes ``texts``)."""
    import numpy as np

    data = np.frombuffer(b"".join(texts), dtype=np.uint8)
    text_start = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in texts], out=text_start[1:])
    code_points = np.append(np.flatnonzero((data & 0xC0) != 0x80), len(data))  # byte offset of each
    first_cp = np.searchsorted(code_points, text_start)  # each text's first code point, and the end
    n_cp = np.diff(first_cp)
    inside = (start >= 0) & (start <= end) & (end <= n_cp[k])
    base = first_cp[k]
    byte_start = np.where(inside, code_points[np.where(inside, base + start, 0)], 0)
    byte_end = np.where(inside, code_points[np.where(inside, base + end, 0)], 0)
    length = q_end - q_start
    candidates = np.flatnonzero(inside & (byte_end - byte_start == length))
    matched = np.zeros(len(k), dtype=bool)
    if len(candidates):
        # A few million quote bytes at a time.
        cum = np.cumsum(length[candidates])
        for part in np.split(candidates, np.searchsorted(cum, np.arange(COMPARE_BYTES, cum[-1], COMPARE_BYTES))):
            matched[part] = _equal(data, byte_start[part], q_data, q_start[part], length[part])
    return matched


def _equal(data, text_at, q_data, quote_at, length):
    """For each span: are ``data[text_at:text_at+length]`` and ``q_data[quote_at:quote_at+length]`` equal?"""
    import numpy as np

    total = int(length.sum())
    equal = np.ones(len(length), dtype=bool)
    if total == 0:
        return equal
    begins = np.cumsum(length) - length
    within = np.arange(total, dtype=np.int64) - np.repeat(begins, length)
    differs = data[np.repeat(text_at, length) + within] != q_data[np.repeat(quote_at, length) + within]
    nonempty = length > 0
    equal[nonempty] = ~np.logical_or.reduceat(differs, begins[nonempty])
    return equal
