"""Reading a data package folder for validation, without losing anything to a bad file.

A file that is missing or unreadable becomes a problem naming the file; the other tables are still read
and checked. Cells that are not of their column's type become ``column.type`` problems and are treated as
missing by the later rules, so one typo does not hide the rest.

Each file is read once: its bytes are hashed (for the integrity rules) and parsed from memory, and tables
are read two at a time (pyarrow and hashlib release the GIL), the largest first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from libya_conflict import schema as sch
from libya_conflict.tables import parse_text_table, typed_table

from .report import Report

# Threads for reading: the machines this runs on in CI have two cores.
WORKERS = 2
# Articles read and checked together: few enough that their texts fit in memory already touched.
ARTICLE_BATCH = 512


class FileDigest(NamedTuple):
    """Size and sha256 (hex) of a file as it was read."""

    bytes: int
    sha256: str


class ArticleFile(NamedTuple):
    """An article's text file as read: its bytes and sha256 (None when missing), whether it is UTF-8."""

    raw: bytes | None
    utf8: bool
    sha256: str | None


@dataclass
class Package:
    root: Path
    descriptor: dict | None = None
    # Tables and texts are left out of the repr: at scale they are gigabytes.
    text: dict = field(default_factory=dict, repr=False)    # table -> pyarrow.Table of strings, as in the CSV
    typed: dict = field(default_factory=dict, repr=False)   # table -> pyarrow.Table in the schema's types
    frames: dict = field(default_factory=dict, repr=False)  # table -> typed pandas DataFrame (vocabularies as strings)
    files: dict = field(default_factory=dict, repr=False)   # table -> FileDigest of its CSV
    articles: dict = field(default_factory=dict, repr=False)  # article_id -> ArticleFile
    db: object = field(default=None, repr=False)  # DuckDB connection over the tables (joins.database)

    def row_key(self, table: str, index: int) -> str:
        """The primary key of a row when it has one, else its CSV line."""
        frame = self.frames.get(table)
        pk = sch.primary_key(table)
        if frame is not None and pk in frame.columns and 0 <= index < len(frame):
            value = self.text[table].column(pk)[index].as_py() if pk in self.text[table].column_names else ""
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
    columns = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in arrow_table.columns]
    frame = pa.table(columns, names=arrow_table.column_names).to_pandas(types_mapper=_types_mapper(), date_as_object=False)
    dtypes = sch.pandas_dtypes(table)
    for name in frame.columns:
        if dtypes[name] == "datetime64[s]" and frame[name].dtype != "datetime64[s]":
            frame[name] = frame[name].astype("datetime64[s]")
    return frame


def _read_table(root: Path, table: str):
    """Read, hash and parse one table's CSV. Returns ``(digest, text_table, typed, errors)`` or raises
    ``ValueError`` (unreadable)."""
    import pyarrow as pa

    path = root / "data" / f"{table}.csv"
    # Memory-mapped: the file is hashed and parsed where it lies in the page cache, never copied.
    with pa.memory_map(str(path)) as source:
        data = source.read_buffer()
        digest = FileDigest(data.size, hashlib.sha256(data).hexdigest())
        text_table = parse_text_table(data, path)
        del data
    typed, errors = typed_table(table, text_table)
    return digest, text_table, typed, errors


def read_package(root: Path, report: Report) -> Package:
    """Read datapackage.json, every table CSV declared in schemas/, and the article texts."""
    from concurrent.futures import ThreadPoolExecutor

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

    tables = [t for t in sch.table_names() if (root / "data" / f"{t}.csv").is_file()]
    tables.sort(key=lambda t: -(root / "data" / f"{t}.csv").stat().st_size)  # largest first
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        read = {t: pool.submit(_read_table, root, t) for t in tables}
        for table in sch.table_names():  # problems in the fixed table order, whatever finished first
            if table not in read:
                report.add(table, "", "", "integrity.file_missing", f"data/{table}.csv is missing")
                continue
            try:
                digest, text_table, typed, errors = read[table].result()
            except ValueError as exc:
                report.add(table, "", "", "integrity.unreadable", str(exc))
                continue
            package.files[table] = digest
            package.text[table] = text_table
            package.typed[table] = typed
            package.frames[table] = typed_frame(table, typed)
            for e in errors:
                report.add(table, package.row_key(table, e.row), e.column, "column.type", e.message)
        read_articles(package, pool)
    return package


def read_articles(package: Package, pool) -> None:
    """Read, hash and check for UTF-8 every article's text file named in the articles table."""
    typed = package.typed.get("articles")
    if typed is None or not {"article_id", "path"} <= set(typed.column_names):
        return
    pairs = [(str(a), str(p)) for a, p in zip(typed.column("article_id").to_pylist(), typed.column("path").to_pylist())
             if a is not None and p is not None]
    batches = [pairs[i:i + ARTICLE_BATCH] for i in range(0, len(pairs), ARTICLE_BATCH)]
    for files in pool.map(lambda batch: _read_articles(package.root, batch), batches):
        package.articles.update(files)



def _read_articles(root: Path, pairs: list[tuple[str, str]]) -> dict:
    """``{article_id: ArticleFile}`` for (article_id, path) pairs."""
    import pyarrow as pa

    raws = [(root / rel).read_bytes() if (root / rel).is_file() else None for _, rel in pairs]
    present = [raw for raw in raws if raw is not None]
    try:  # one check of the whole batch: Arrow validates UTF-8 far faster than Python decodes it
        pa.array(present, pa.binary()).cast(pa.string())
        all_utf8 = True
    except (pa.ArrowInvalid, UnicodeDecodeError):
        all_utf8 = False
    return {article_id: ArticleFile(raw, raw is not None and (all_utf8 or _is_utf8(raw)),
                                    hashlib.sha256(raw).hexdigest() if raw is not None else None)
            for (article_id, _), raw in zip(pairs, raws)}


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
