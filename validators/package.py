"""Reading a data package folder for validation, without losing anything to a bad file.

A file that is missing or unreadable becomes a problem naming the file; the other tables are still read
and checked. Cells that are not of their column's type become ``column.type`` problems and are treated as
missing by the later rules, so one typo does not hide the rest.

Each CSV file is memory-mapped, hashed (for the integrity rules) and parsed where it lies; files are
hashed and parsed two at a time (pyarrow and hashlib release the GIL), the largest first. Article texts are read into
one reused buffer, hashed and checked for UTF-8, and not kept: the quote rule reads them again, a batch
at a time. Fresh memory is what costs most on a large package.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from libya_conflict import schema as sch
from libya_conflict.tables import parse_text_table, typed_table

from .report import Report

# Threads for reading: the machines this runs on in CI have two cores.
WORKERS = 2
# Articles read and checked together, into a buffer of this many bytes (a longer text gets its own).
ARTICLE_BUFFER = 1 << 23


class FileDigest(NamedTuple):
    """Size and sha256 (hex) of a file as it was read."""

    bytes: int
    sha256: str


class ArticleFile(NamedTuple):
    """An article's text file as read: where it is, its size and sha256 (None when it is missing), and
    whether it is UTF-8."""

    path: Path
    bytes: int | None
    sha256: str | None
    utf8: bool


@dataclass
class Package:
    root: Path
    descriptor: dict | None = None
    # Tables and texts are left out of the repr: at scale they are gigabytes.
    header: dict = field(default_factory=dict, repr=False)  # table -> column names as in the CSV
    typed: dict = field(default_factory=dict, repr=False)   # table -> pyarrow.Table in the schema's types (vocabularies as strings)
    frames: dict = field(default_factory=dict, repr=False)  # table -> typed pandas DataFrame (vocabularies as strings)
    files: dict = field(default_factory=dict, repr=False)   # table -> FileDigest of its CSV
    articles: dict = field(default_factory=dict, repr=False)  # article_id -> ArticleFile
    db: object = field(default=None, repr=False)  # DuckDB connections over the tables (joins.database)

    def row_key(self, table: str, index: int) -> str:
        """The primary key of a row when it has one, else its CSV line."""
        frame = self.frames.get(table)
        pk = sch.primary_key(table)
        if frame is not None and pk in frame.columns and 0 <= index < len(frame):
            value = self.typed[table].column(pk)[index].as_py()  # the CSV text: keys are strings
            if value:
                return value
        return f"line {index + 2}"


# pandas dtypes of the rule frames, straight from Arrow (no float or object detour).
def _types_mapper():
    import pandas as pd
    import pyarrow as pa

    return {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(),
            pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}.get


def typed_frame(table: str, arrow_table):
    """pandas frame for rules: schema types, but vocabularies kept as strings so typos stay visible."""
    import pyarrow as pa

    # Vocabularies arrive dictionary-encoded: decode them to plain strings before pandas sees them.
    columns = [c.cast(pa.large_string()) if pa.types.is_dictionary(c.type) else c for c in arrow_table.columns]
    frame = pa.table(columns, names=arrow_table.column_names).to_pandas(
        types_mapper=_types_mapper(), date_as_object=False)
    dtypes = sch.pandas_dtypes(table)
    for name in frame.columns:
        if dtypes[name] == "datetime64[s]" and frame[name].dtype != "datetime64[s]":
            frame[name] = frame[name].astype("datetime64[s]")
    return frame


def _hash_file(path: Path) -> FileDigest:
    """Size and sha256 of a file, read where it lies in the page cache (memory-mapped, never copied)."""
    import pyarrow as pa

    with pa.memory_map(str(path)) as source:
        data = source.read_buffer()
        return FileDigest(data.size, hashlib.sha256(data).hexdigest())


def _read_table(root: Path, table: str):
    """Parse one table's CSV. Returns ``(header, typed, frame, errors)`` or raises ``ValueError``
    (unreadable)."""
    import pyarrow as pa

    path = root / "data" / f"{table}.csv"
    with pa.memory_map(str(path)) as source:  # parsed where it lies in the page cache
        text_table = parse_text_table(source.read_buffer(), path)
    # Vocabularies stay plain strings, as the rules read them (a typo is a value like any other).
    typed, errors = typed_table(table, text_table, vocabularies=False)
    # The text table goes: its strings live on in the typed table, which shares their buffers.
    return text_table.column_names, typed, typed_frame(table, typed), errors


def read_package(root: Path, report: Report, pool=None, ready=None) -> Package:
    """Read datapackage.json, every table CSV declared in schemas/, and the article texts.

    ``pool``: the thread pool to read with (default: one of its own). ``ready(package, table)`` is called
    as each table is read, in the order they finish, so that its rules can start while others are read.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    if pool is None:
        with ThreadPoolExecutor(max_workers=WORKERS) as own:
            return read_package(root, report, own, ready)
    root = Path(root)
    package = Package(root=root)
    descriptor_path = root / "datapackage.json"
    if not descriptor_path.is_file():
        report.add("", "", "", "integrity.file_missing", f"{descriptor_path.name} is missing from {root}")
    else:
        try:
            package.descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.add("", "", "", "integrity.unreadable", f"datapackage.json cannot be parsed: {exc}")

    paths = {t: root / "data" / f"{t}.csv" for t in sch.table_names() if (root / "data" / f"{t}.csv").is_file()}
    # The articles first (their texts are read as soon as the table is), then the largest first; each
    # file's hash beside its parsing, so that the two run side by side.
    order = sorted(paths, key=lambda t: (t != "articles", -paths[t].stat().st_size))
    read, hashed = {}, {}
    for t in order:
        read[pool.submit(_read_table, root, t)] = t
        hashed[t] = pool.submit(_hash_file, paths[t])
    results, texts = {}, []
    for future in as_completed(read):
        table = read[future]
        try:
            results[table] = future.result()
        except ValueError as exc:
            results[table] = exc
            continue
        header, typed, frame, _ = results[table]
        package.header[table], package.typed[table], package.frames[table] = header, typed, frame
        package.files[table] = hashed[table].result()
        if table == "articles":
            texts = read_articles(package, pool)
        if ready is not None:
            ready(package, table)
    for files in texts:
        package.articles.update(files.result())
    # Tables in their fixed order, whatever finished first.
    for name in ("header", "typed", "frames", "files"):
        read_so_far = getattr(package, name)
        setattr(package, name, {t: read_so_far[t] for t in sch.table_names() if t in read_so_far})
    for table in sch.table_names():  # problems in the fixed order too
        if table not in paths:
            report.add(table, "", "", "integrity.file_missing", f"data/{table}.csv is missing")
        elif isinstance(results[table], ValueError):
            report.add(table, "", "", "integrity.unreadable", str(results[table]))
        else:
            for e in results[table][3]:
                report.add(table, package.row_key(table, e.row), e.column, "column.type", e.message)
    return package


def read_articles(package: Package, pool) -> list:
    """Start hashing and checking for UTF-8 every article's text file named in the articles table.
    Returns the futures of ``{article_id: ArticleFile}`` dicts.

    One task, not one per core: opening tens of thousands of small files is Python work that holds the
    interpreter lock, so two such tasks would only take turns, while one leaves the other core to a
    column rule (numpy and Arrow work, which runs beside it)."""
    typed = package.typed.get("articles")
    if typed is None or not {"article_id", "path"} <= set(typed.column_names):
        return []
    pairs = [(str(a), package.root / str(p))
             for a, p in zip(typed.column("article_id").to_pylist(), typed.column("path").to_pylist())
             if a is not None and p is not None]
    return [pool.submit(_read_articles, pairs)]


def read_texts(paths, sizes, buffer: bytearray | None = None):
    """The bytes of the files ``paths`` (of ``sizes`` bytes; None: missing, skipped), one after another in
    ``buffer``, which is reused when large enough so that reading touches no fresh memory. Returns
    ``(buffer, starts)``: where each file's bytes begin (its end is its start plus its size)."""
    total = sum(size for size in sizes if size is not None)
    if buffer is None or len(buffer) < total:
        buffer = bytearray(max(total, ARTICLE_BUFFER))
    view, starts, at = memoryview(buffer), [], 0
    for path, size in zip(paths, sizes):
        starts.append(at)
        if size is None:
            continue
        # os.open and os.readv, not open(): no file object per file (there can be tens of thousands).
        handle = os.open(path, os.O_RDONLY)
        try:
            got = 0
            while got < size and (n := os.readv(handle, [view[at + got:at + size]])):
                got += n
        finally:
            os.close(handle)
        at += size
    return buffer, starts


def file_sizes(paths) -> list[int | None]:
    """The size of each file, None for one that is missing."""
    sizes = []
    for path in paths:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:
            sizes.append(None)
    return sizes


def batches(sizes, limit: int = ARTICLE_BUFFER) -> list[tuple[int, int]]:
    """(first, last) index ranges of files whose sizes add up to about ``limit`` (at least one file each)."""
    out, first, total = [], 0, 0
    for k, size in enumerate(sizes):
        total += size or 0
        if total >= limit:
            out.append((first, k + 1))
            first, total = k + 1, 0
    if first < len(sizes):
        out.append((first, len(sizes)))
    return out


def _read_articles(pairs: list[tuple[str, Path]]) -> dict:
    """``{article_id: ArticleFile}`` for (article_id, path) pairs, a buffer's worth at a time."""
    import numpy as np
    import pyarrow as pa

    sizes = file_sizes([path for _, path in pairs])
    out, buffer = {}, None
    for first, last in batches(sizes):
        batch, batch_sizes = pairs[first:last], sizes[first:last]
        buffer, starts = read_texts([p for _, p in batch], batch_sizes, buffer)
        present = [k for k, size in enumerate(batch_sizes) if size is not None]
        offsets = np.array([starts[k] for k in present] + [starts[present[-1]] + batch_sizes[present[-1]]]
                           if present else [0], dtype=np.int64)
        try:  # one check of the whole batch: Arrow validates UTF-8 far faster than Python decodes it
            pa.Array.from_buffers(pa.large_binary(), len(present),
                                  [None, pa.py_buffer(offsets), pa.py_buffer(buffer)]).cast(pa.large_string())
            all_utf8 = True
        except (pa.ArrowInvalid, UnicodeDecodeError):
            all_utf8 = False
        view = memoryview(buffer)
        for (article_id, path), start, size in zip(batch, starts, batch_sizes):
            if size is None:
                out[article_id] = ArticleFile(path, None, None, False)
                continue
            text = view[start:start + size]
            out[article_id] = ArticleFile(path, size, hashlib.sha256(text).hexdigest(), all_utf8 or _is_utf8(text))
    return out


def _is_utf8(raw) -> bool:
    try:
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
