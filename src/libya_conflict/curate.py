"""Curation helpers: find a quote's offsets, register a new article.

libya-conflict curate locate art-002 "أعلنت حكومة الوفاق"
libya-conflict curate add-article new.txt --published 2020-06-05 --outlet "Al Jazeera"
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from . import schema as sch
from .confine import Confined
from .quotes import locate
from .tables import parse_csv_rows, write_csv


def article_text(root: Path, article_id: str) -> str:
    """The decoded text of an article registered in ``data/articles.csv`` (only a regular file inside
    ``root`` is read)."""
    folder = Confined(root)
    header, rows = parse_csv_rows(folder.read_bytes("data/articles.csv"), "data/articles.csv")
    col = {n: i for i, n in enumerate(header)}
    for row in rows:
        if row[col["article_id"]] == article_id:
            return folder.read_bytes(row[col["path"]]).decode("utf-8")
    known = ", ".join(r[col["article_id"]] for r in rows)
    raise ValueError(f"unknown article {article_id!r}; known articles: {known}")


def locate_quote(root: Path, article_id: str, quote: str) -> tuple[int, int]:
    """``(quote_start, quote_end)`` of an exact, unambiguous quote; ``QuoteError`` with near matches otherwise."""
    start = locate(article_text(root, article_id), quote)
    return start, start + len(quote)


def add_article(
    root: Path,
    file: Path,
    published_earliest: str,
    published_latest: str | None = None,
    precision: str = "day",
    outlet: str = "",
    basis: str = "",
) -> str:
    """Copy a source text into ``data/sources/`` byte for byte and register it in ``data/articles.csv``.

    Returns the new article ID. Run ``libya-conflict build`` afterwards to refresh derived files.
    """
    root, file = Path(root), Path(file)
    raw = file.read_bytes()
    raw.decode("utf-8")  # refuse a text that is not UTF-8 before anything is written
    digest = hashlib.sha256(raw).hexdigest()
    names = sch.field_names("articles", root)
    header, rows = parse_csv_rows(Confined(root).read_bytes("data/articles.csv"), "data/articles.csv")
    col = {n: i for i, n in enumerate(header)}
    if any(r[col["sha256"]] == digest for r in rows):
        raise ValueError(f"{file} is already in the package (same sha256)")
    used = [int(r[col["article_id"]].split("-")[1]) for r in rows]
    number = max(used, default=-1) + 1
    article_id = f"art-{number:03d}"
    target = root / "data" / "sources" / f"{number:03d}_{digest[:16]}.txt"
    for value, label in (
        (published_earliest, "--published"),
        (published_latest or published_earliest, "--published-latest"),
    ):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(f"{label} must be an ISO date YYYY-MM-DD, got {value!r}")
    new = {n: "" for n in names}
    new.update(
        article_id=article_id,
        path=target.relative_to(root).as_posix(),
        sha256=digest,
        bytes=str(len(raw)),
        language="ar",
        outlet=outlet,
        published_earliest=published_earliest,
        published_latest=published_latest or published_earliest,
        published_precision=precision,
        published_basis_en=basis or "Given by the curator when the article was added.",
    )
    shutil.copyfile(file, target)
    rows = [[dict(zip(header, r)).get(n, "") for n in names] for r in rows] + [[new[n] for n in names]]
    write_csv(root / "data" / "articles.csv", names, sorted(rows))
    return article_id
