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
from typing import TYPE_CHECKING, NamedTuple

from libya_conflict import schema as sch
from libya_conflict.confine import Confined, UnsafePath, open_regular
from libya_conflict.tables import parse_text_table, typed_table

from .joins import Joins
from .report import Report
from .settings import WORKERS

if TYPE_CHECKING:  # only for the fields' types: pandas and pyarrow are imported where they are used
    import pandas as pd
    import pyarrow as pa

# Articles checked for UTF-8 together, this many bytes at a time (a longer text is checked alone).
ARTICLE_BUFFER = 1 << 23


class FileDigest(NamedTuple):
    """Size and sha256 (hex) of a file as it was read."""

    bytes: int
    sha256: str


class ArticleFile(NamedTuple):
    """An article's text file as read: where it really is, its size and sha256 (None when it is missing
    or may not be opened), whether it is UTF-8, why it may not be opened (``unsafe``), and where its bytes
    begin in :attr:`Package.texts` (``start``)."""

    path: Path
    bytes: int | None
    sha256: str | None
    utf8: bool
    unsafe: str | None = None
    start: int | None = None


@dataclass
class Package:
    """A data package as the rules see it: what was read of each file, in the schema's types. Tables are
    keyed by name, in their fixed order (``schema.table_names``); a table that could not be read is absent.
    """

    root: Path
    folder: Confined | None = field(default=None, repr=False)  # opens only regular files inside root
    descriptor: dict | None = None
    # Tables and texts are left out of the repr: at scale they are gigabytes.
    header: dict[str, list[str]] = field(default_factory=dict, repr=False)  # column names as in the CSV
    # In the schema's types, vocabularies as strings (a typo is a value like any other).
    typed: dict[str, pa.Table] = field(default_factory=dict, repr=False)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)  # the same, as pandas frames
    files: dict[str, FileDigest] = field(default_factory=dict, repr=False)  # of each table's CSV
    articles: dict[str, ArticleFile] = field(default_factory=dict, repr=False)  # article_id -> its text file
    # The bytes of every article file as read (and hashed), side by side: the quotes are compared with
    # these very bytes, not with a second reading of the files.
    texts: bytearray = field(default_factory=bytearray, repr=False)
    # (row, column) of each cell not of its column's type (reported as column.type, missing to the rules).
    type_errors: dict[str, set[tuple[int, str]]] = field(default_factory=dict, repr=False)
    # What the rules share: DuckDB connections over the tables and answers worked out once (joins.py).
    joins: Joins = field(default_factory=Joins, repr=False)

    def frame_with(self, table: str, columns) -> pd.DataFrame | None:
        """The table's frame when it was read and has every one of ``columns``, else None: a rule then has
        nothing to check (the missing file or column is reported by the rules that read it)."""
        frame = self.frames.get(table)
        return frame if frame is not None and set(columns) <= set(frame.columns) else None

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

    return {
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }.get


def typed_frame(table: str, arrow_table):
    """pandas frame for rules: schema types, but vocabularies kept as strings so typos stay visible."""
    import pyarrow as pa

    # Vocabularies arrive dictionary-encoded: decode them to plain strings before pandas sees them.
    columns = [c.cast(pa.large_string()) if pa.types.is_dictionary(c.type) else c for c in arrow_table.columns]
    frame = pa.table(columns, names=arrow_table.column_names).to_pandas(
        types_mapper=_types_mapper(), date_as_object=False
    )
    dates = {f["name"] for f in sch.table_schema(table)["fields"] if f["type"] == "date"}
    for name in frame.columns:
        if name in dates and frame[name].dtype != "datetime64[s]":
            frame[name] = frame[name].astype("datetime64[s]")
    return frame


def _map(path: str):
    """The bytes of a checked regular file, memory-mapped (an empty file cannot be mapped: its bytes are
    read)."""
    import pyarrow as pa

    if os.stat(path).st_size == 0:
        return pa.py_buffer(b"")
    with pa.memory_map(path) as source:
        return source.read_buffer()


def _hash_file(path: str) -> FileDigest:
    """Size and sha256 of a file, read where it lies in the page cache (memory-mapped, never copied)."""
    data = _map(path)
    return FileDigest(data.size, hashlib.sha256(data).hexdigest())


def _read_table(path: str, table: str):
    """Parse one table's CSV. Returns ``(header, typed, frame, errors)`` or raises ``ValueError``
    (unreadable)."""
    # parsed where it lies in the page cache
    text_table = parse_text_table(_map(path), f"data/{table}.csv")
    # Vocabularies stay plain strings, as the rules read them (a typo is a value like any other).
    typed, errors = typed_table(table, text_table, vocabularies=False)
    # The text table goes: its strings live on in the typed table, which shares their buffers.
    header = text_table.schema.metadata.get(b"header") if text_table.schema.metadata else None
    header = json.loads(header) if header else text_table.column_names
    return header, typed, typed_frame(table, typed), errors


def read_descriptor(package: Package, report: Report) -> None:
    """datapackage.json, when it is a regular file of the folder holding a JSON object."""
    from libya_conflict.tables import encoding_hint

    name = "datapackage.json"
    try:
        data = package.folder.read_bytes(name)
    except FileNotFoundError:
        report.add("", "", "", "integrity.file_missing", f"{name} is missing from {package.root}")
        return
    except UnsafePath as exc:
        report.add("", "", "", "integrity.path", f"{name}: {exc}; nothing of it was read")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        report.add(
            "",
            "",
            "",
            "integrity.unreadable",
            f"{name} line {line}: not UTF-8 ({encoding_hint(data)}): save it as UTF-8",
        )
        return
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        report.add(
            "",
            "",
            "",
            "integrity.unreadable",
            f"{name} line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg}): "
            "is it truncated, or edited by hand? Rebuild it with `libya-conflict build`",
        )
        return
    except RecursionError:
        report.add("", "", "", "integrity.unreadable", f"{name}: nested too deeply to be a descriptor")
        return
    if not isinstance(descriptor, dict):
        report.add(
            "",
            "",
            "",
            "integrity.descriptor",
            f"{name} holds a JSON {_json_kind(descriptor)}, not an object: a descriptor is an object with "
            "a 'resources' list",
        )
        return
    package.descriptor = descriptor


def _json_kind(value) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def read_package(root: Path, report: Report, pool=None, ready=None) -> Package:
    """Read datapackage.json, every table CSV declared in schemas/, and the article texts.

    Only regular files inside ``root`` are opened (``libya_conflict.confine``): a table file that is a
    link out of the folder, a FIFO or a folder is an ``integrity.path`` problem, and is not read.

    ``pool``: the thread pool to read with (default: one of its own). ``ready(package, table)`` is called
    as each table is read, in the order they finish, so that its rules can start while others are read.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    if pool is None:
        with ThreadPoolExecutor(max_workers=WORKERS) as own:
            return read_package(root, report, own, ready)
    root = Path(root)
    package = Package(root=root, folder=Confined(root))
    read_descriptor(package, report)

    paths, refused = {}, {}
    for t in sch.table_names():
        try:
            paths[t], info = package.folder.stat(f"data/{t}.csv")
        except FileNotFoundError:
            continue
        except UnsafePath as exc:
            refused[t] = str(exc)
            continue
    sizes = {t: os.stat(p).st_size for t, p in paths.items()}
    # The articles first (their texts are read as soon as the table is), then the largest first; each
    # file's hash beside its parsing, so that the two run side by side.
    order = sorted(paths, key=lambda t: (t != "articles", -sizes[t]))
    read, hashed = {}, {}
    for t in order:
        read[pool.submit(_read_table, paths[t], t)] = t
        hashed[t] = pool.submit(_hash_file, paths[t])
    results, texts = {}, []
    for future in as_completed(read):
        table = read[future]
        try:
            results[table] = future.result()
        except (ValueError, OSError) as exc:
            results[table] = exc if isinstance(exc, ValueError) else ValueError(f"data/{table}.csv: {exc}")
            continue
        except Exception as exc:  # noqa: BLE001 - a fault of the reader, said as such; the rest is still read
            results[table] = exc
            continue
        header, typed, frame, errors = results[table]
        package.header[table], package.typed[table], package.frames[table] = header, typed, frame
        package.type_errors[table] = {(e.row, e.column) for e in errors}
        package.files[table] = hashed[table].result()
        if table == "articles":
            texts = read_articles(package, pool)
        if ready is not None:
            ready(package, table)
    for future in hashed.values():
        future.exception()  # a file whose parsing failed may also fail to hash: never left unawaited
    for files in texts:
        package.articles, package.texts = files.result()
    # Tables in their fixed order, whatever finished first.
    for name in ("header", "typed", "frames", "files"):
        read_so_far = getattr(package, name)
        setattr(package, name, {t: read_so_far[t] for t in sch.table_names() if t in read_so_far})
    for table in sch.table_names():  # problems in the fixed order too
        if table in refused:
            report.add(table, "", "", "integrity.path", f"data/{table}.csv: {refused[table]}; nothing of it was read")
        elif table not in paths:
            report.add(table, "", "", "integrity.file_missing", f"data/{table}.csv is missing")
        elif isinstance(results[table], ValueError):
            report.add(table, "", "", "integrity.unreadable", str(results[table]))
        elif isinstance(results[table], Exception):
            report.add(
                table,
                "",
                "",
                "integrity.internal",
                f"data/{table}.csv could not be read ({type(results[table]).__name__}). This is a fault of "
                "the validator: please report it with the package",
            )
        else:
            for e in results[table][3]:
                report.add(table, package.row_key(table, e.row), e.column, "column.type", e.message)
    return package


def read_articles(package: Package, pool) -> list:
    """Start reading, hashing and checking for UTF-8 every article's text file named in the articles
    table. Returns the futures of ``({article_id: ArticleFile}, texts)`` (see :func:`_read_articles`).

    One task, not one per core: opening tens of thousands of small files is Python work that holds the
    interpreter lock, so two such tasks would only take turns, while one leaves the other core to a
    column rule (numpy and Arrow work, which runs beside it)."""
    typed = package.typed.get("articles")
    if typed is None or not {"article_id", "path"} <= set(typed.column_names):
        return []
    pairs = [
        (str(a), str(p))
        for a, p in zip(typed.column("article_id").to_pylist(), typed.column("path").to_pylist())
        if a is not None and p is not None
    ]
    return [pool.submit(_read_articles, package.folder, pairs)]


def read_texts(paths, sizes):
    """The bytes of the files ``paths`` (of ``sizes`` bytes; None: missing, skipped), one after another in
    one buffer. Returns ``(buffer, starts)``: where each file's bytes begin (its end is its start plus its
    size).

    The paths are real paths of regular files already checked (``libya_conflict.confine``); they are
    opened without blocking and without following a link, in case one was swapped since."""
    buffer = bytearray(sum(size for size in sizes if size is not None))
    view, starts, at = memoryview(buffer), [], 0
    for path, size in zip(paths, sizes):
        starts.append(at)
        if size is None:
            continue
        # os.open and os.readv, not open(): no file object per file (there can be tens of thousands).
        handle = open_regular(path)
        try:
            got = 0
            while got < size and (n := os.readv(handle, [view[at + got : at + size]])):
                got += n
        finally:
            os.close(handle)
        at += size
    return buffer, starts


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


def checked_files(folder: Confined, paths) -> tuple[list, list, list]:
    """For each relative path: its real path, its size (None when it is missing or unsafe) and why it may
    not be opened (None when it may)."""
    real, sizes, unsafe = [], [], []
    for relative in paths:
        why = None
        try:
            path, info = folder.stat(relative)
        except FileNotFoundError:
            path, info, why = None, None, None
        except UnsafePath as exc:
            path, info, why = None, None, str(exc)
        real.append(path)
        sizes.append(info.st_size if info is not None else None)
        unsafe.append(why)
    return real, sizes, unsafe


def _read_articles(folder: Confined, pairs: list[tuple[str, str]]) -> tuple[dict, bytearray]:
    """``{article_id: ArticleFile}`` for (article_id, relative path) pairs, and the bytes of every file
    read, side by side (each ArticleFile's ``start``), checked for UTF-8 a buffer's worth at a time."""
    import numpy as np
    import pyarrow as pa

    real, sizes, unsafe = checked_files(folder, [path for _, path in pairs])
    texts, starts = read_texts(real, sizes)
    out = {}
    for first, last in batches(sizes):
        batch, batch_sizes = pairs[first:last], sizes[first:last]
        present = [first + k for k, size in enumerate(batch_sizes) if size is not None]
        offsets = np.array(
            [starts[k] for k in present] + [starts[present[-1]] + sizes[present[-1]]] if present else [0],
            dtype=np.int64,
        )
        try:  # one check of the whole batch: Arrow validates UTF-8 far faster than Python decodes it
            pa.Array.from_buffers(
                pa.large_binary(), len(present), [None, pa.py_buffer(offsets), pa.py_buffer(texts)]
            ).cast(pa.large_string())
            all_utf8 = True
        except (pa.ArrowInvalid, UnicodeDecodeError):
            all_utf8 = False
        view = memoryview(texts)
        for k, (article_id, relative) in enumerate(batch, start=first):
            start, size = starts[k], sizes[k]
            if size is None:
                out[article_id] = ArticleFile(folder.root / relative, None, None, False, unsafe[k])
                continue
            text = view[start : start + size]
            out[article_id] = ArticleFile(
                Path(real[k]), size, hashlib.sha256(text).hexdigest(), all_utf8 or _is_utf8(text), None, start
            )
    return out, texts


def _is_utf8(raw) -> bool:
    try:
        bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
