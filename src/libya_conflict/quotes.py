"""Finding a quote in an article: exact offsets, or a clear refusal with the near matches.

Offsets are Unicode code points into the decoded text, end exclusive, with no normalisation:
``text[start:start + len(quote)] == quote``. Normalisation is used only to *suggest* what the curator
may have meant (a no-break space typed as a space, a hamza form typed differently).

>>> text = "قال المتحدث إن القوات تقدمت"
>>> locate(text, "القوات تقدمت")
15
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Arabic keyboards and sources use interchangeably; only for suggestions.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه", "ـ": None})
_SPACE = re.compile(r"\s+")


class QuoteError(ValueError):
    """The quote is absent from the article, or ambiguous, or not at the offset given."""


def _fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the offset of the source character it came from."""
    out, where = [], []
    previous_space = False
    for i, ch in enumerate(text):
        if unicodedata.category(ch) == "Mn":  # harakat and other combining marks
            continue
        if ch.isspace():
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
            where.append(i)
            continue
        previous_space = False
        folded = ch.translate(_FOLD)
        if folded:
            out.append(folded)
            where.append(i)
    return "".join(out), where


def near_matches(text: str, quote: str, limit: int = 5) -> list[tuple[int, int, str]]:
    """Places where the quote matches once spaces, hamza forms, tatweel and harakat are folded.

    Returns ``[(start, end, exact_text), ...]`` in the original text's offsets.
    """
    folded_text, where = _fold(text)
    folded_quote = _fold(quote)[0].strip()
    found = []
    if not folded_quote:
        return found
    for m in re.finditer(re.escape(folded_quote), folded_text):
        start, end = where[m.start()], where[m.end() - 1] + 1
        found.append((start, end, text[start:end]))
        if len(found) == limit:
            break
    return found


def all_offsets(text: str, quote: str) -> list[int]:
    """Every start offset of an exact (possibly overlapping) occurrence of ``quote``."""
    offsets, i = [], text.find(quote)
    while i != -1:
        offsets.append(i)
        i = text.find(quote, i + 1)
    return offsets


def locate(text: str, quote: str, start: int | None = None) -> int:
    """Start offset of ``quote`` in ``text``.

    Without ``start`` the quote must occur exactly once. With ``start`` the quote must be at that offset
    (this is how an ambiguous quote is pinned). Raises :class:`QuoteError` otherwise, naming the candidate
    offsets or the near matches.
    """
    if not quote:
        raise QuoteError("empty quote")
    if start is not None:
        if text[start : start + len(quote)] == quote:
            return start
        offsets = all_offsets(text, quote)
        where = f"it occurs at {offsets}" if offsets else _absent(text, quote)
        raise QuoteError(f"quote is not at offset {start}: {where}")
    offsets = all_offsets(text, quote)
    if len(offsets) == 1:
        return offsets[0]
    if not offsets:
        raise QuoteError(_absent(text, quote))
    raise QuoteError(
        f"quote occurs {len(offsets)} times, at offsets {offsets}: give quote_start to choose one, or lengthen the quote"
    )


def _absent(text: str, quote: str) -> str:
    near = near_matches(text, quote)
    if not near:
        return f"quote not found: {quote[:60]!r}"
    shown = "; ".join(f"[{s}:{e}] {t!r}" for s, e, t in near)
    return f"quote not found exactly: {quote[:60]!r}; near matches (differing in spaces, hamza forms or marks): {shown}"
