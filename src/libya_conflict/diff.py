"""What changed between two versions of the data: rows added, retired and changed, table by table.

    libya-conflict diff OLD NEW                     # text: counts, then every row added, retired or changed
    libya-conflict diff OLD NEW --format json       # the same as one JSON object
    libya-conflict diff OLD NEW --format changelog  # the CHANGELOG's data section for NEW

OLD and NEW are package folders (``datapackage.json`` and ``data/<table>.csv``) or release bundles (a
folder holding ``libya-conflict-<version>-csv.zip``, as ``build --release`` writes). Exit 0 when the
tables are identical, 1 when they differ, 2 when a side cannot be read.

>>> from libya_conflict.diff import diff_packages
>>> d = diff_packages(Path("old"), Path("new"))      # doctest: +SKIP
>>> d.tables["events"].added                         # doctest: +SKIP
['ev-004-016']

Rows are matched by their table's primary key and compared cell by cell as CSV text (a date written
differently is a change). A row of OLD missing from NEW is *retired* when NEW's ``retired_ids`` lists its
ID, else *removed* (an ID that vanished: ``cross.published_ids`` refuses it). The keyed comparison runs in
DuckDB (one join per table, all in C++), so packages of millions of rows compare in seconds.

Both sides are untrusted: their files are opened only through :mod:`libya_conflict.confine` (regular
files inside the folder), a zip member is read only up to a size limit, and what is printed of a cell is
cut short with its control characters escaped.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as sch
from .confine import Confined, UnsafePath

BUNDLE_ZIP = re.compile(r"libya-conflict-([0-9]+\.[0-9]+\.[0-9]+)-csv\.zip")
MEMBER_LIMIT = 2 << 30  # a zip member larger than this when unpacked is refused (a zip bomb, not data)
TEXT_CELL = 160  # characters of a cell shown in the text report
JSON_CELL = 4000  # ... and in the JSON report


class DiffError(ValueError):
    """A side cannot be read: the message names the side, the file and what is wrong."""


@dataclass
class Side:
    """One version of the data: where it was read, its version and each table's header and rows."""

    label: str
    version: str
    tables: dict = field(default_factory=dict)  # table -> pyarrow.Table of strings, as written in the CSV


@dataclass
class TableDiff:
    """What changed in one table: IDs added, retired, removed (gone, not retired), and changed rows with
    their cells ``{column: (old, new)}``; columns only one side has."""

    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    present: tuple[bool, bool] = (True, True)

    @property
    def identical(self) -> bool:
        return (
            not (
                self.added or self.retired or self.removed or self.changed or self.columns_added or self.columns_removed
            )
            and self.present[0] == self.present[1]
        )


@dataclass
class Diff:
    """The differences between two sides, table by table (every table of the schema, in its order)."""

    old: Side
    new: Side
    tables: dict[str, TableDiff]

    @property
    def identical(self) -> bool:
        return all(t.identical for t in self.tables.values())


# ------------------------------------------------------------------------------------------ Reading


def _zip_member(archive: zipfile.ZipFile, name: str, label: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MEMBER_LIMIT:
        raise DiffError(f"{label}: {name} would unpack to {info.file_size} bytes, more than a data package holds")
    with archive.open(info) as handle:
        data = handle.read(MEMBER_LIMIT + 1)
    if len(data) > MEMBER_LIMIT:
        raise DiffError(f"{label}: {name} unpacks to more than {MEMBER_LIMIT} bytes")
    return data


def _reader(folder: Path, label: str):
    """A function reading a package file by its path in the package, or None when it is absent, for a
    package folder or a release bundle; and the name of what was found."""
    confined = Confined(folder)

    def from_folder(relative: str) -> bytes | None:
        try:
            return confined.read_bytes(relative)
        except FileNotFoundError:
            return None
        except (UnsafePath, OSError) as exc:
            raise DiffError(f"{label}: {exc}") from None

    # A release bundle holds datapackage.json too, but its tables are in the CSV zip.
    if confined.is_file("datapackage.json") and any(confined.is_file(f"data/{t}.csv") for t in sch.table_names()):
        return from_folder, "package folder"
    try:
        names = sorted(n for n in (p.name for p in folder.iterdir()) if BUNDLE_ZIP.fullmatch(n))
    except OSError as exc:
        raise DiffError(f"{label}: {exc.strerror or exc}") from None
    if len(names) != 1:
        found = (
            "several CSV zips: " + ", ".join(names[:5]) if names else "neither datapackage.json nor a release's CSV zip"
        )
        raise DiffError(f"{label} holds {found}: give a package folder or a release bundle")
    data = from_folder(names[0])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise DiffError(f"{label}: {names[0]} is not a readable zip ({exc})") from None

    def from_zip(relative: str) -> bytes | None:
        try:
            return _zip_member(archive, relative, f"{label}/{names[0]}")
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise DiffError(f"{label}: {names[0]}: {relative} cannot be unpacked ({str(exc)[:200]})") from None

    return from_zip, f"release bundle ({names[0]})"


def _table(data: bytes, name: str, key: str):
    """The CSV bytes of one table as an Arrow table of strings (empty cells are empty strings, nothing is
    typed: cells are compared as written); :class:`DiffError` naming the file and line when they cannot
    be read, or when the key is missing or repeated."""
    import csv

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from .tables import parse_csv_rows

    def slow_error() -> DiffError:
        # Arrow refused the bytes: the project's reader says, in words, which line and what to do.
        try:
            header, rows = parse_csv_rows(data, name)
        except ValueError as exc:
            return DiffError(str(exc)[:500])
        width = len(header)
        bad = next((i for i, r in enumerate(rows) if len(r) != width), None)
        if bad is not None:
            return DiffError(f"{name} line {bad + 2}: {len(rows[bad])} cells, the header has {width}")
        return DiffError(f"{name} cannot be read as CSV")

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"\x00" in body[:4096] or body[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise slow_error()
    try:
        # The header is read from the first MiB: a header longer than that is no table's.
        header = next(csv.reader(io.StringIO(body[: 1 << 20].decode("utf-8", errors="ignore"), newline="")), [])
        body.decode("utf-8")  # the whole file is UTF-8, or the project's reader says where it is not
    except (UnicodeDecodeError, csv.Error):
        raise slow_error() from None
    if not header:
        raise DiffError(f"{name} is empty: not even a header")
    if len(set(header)) != len(header):
        raise DiffError(f"{name} line 1: a column is named twice in the header")
    if key not in header:
        raise DiffError(f"{name} has no column {key}, its key: rows cannot be matched")
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise slow_error() from None
    keys = table.column(key)
    if pc.count_distinct(keys).as_py() != len(keys):
        counts = pc.value_counts(keys)
        twice = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
        lines = pc.indices_nonzero(pc.equal(keys, twice)).to_pylist()
        raise DiffError(f"{name} line {lines[1] + 2}: {key} {_shown(twice, 80)} is there twice")
    return table


def read_side(folder: Path) -> Side:
    """The tables of the package folder or release bundle ``folder``; :class:`DiffError` when it cannot
    be read (no such folder, no package, a damaged file, a table without its key or with a key twice)."""
    folder = Path(folder)
    label = str(folder)
    if not folder.is_dir():
        raise DiffError(f"{label} is not a folder" if folder.exists() else f"{label} does not exist")
    read, _ = _reader(folder, label)
    version = ""
    raw = read("datapackage.json")
    if raw is not None:
        try:
            descriptor = json.loads(raw.decode("utf-8"))
            version = str(descriptor.get("version", ""))[:40] if isinstance(descriptor, dict) else ""
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise DiffError(f"{label}: datapackage.json is not valid UTF-8 JSON") from None
    side = Side(label, version)
    for table in sch.table_names():
        data = read(f"data/{table}.csv")
        if data is not None:
            side.tables[table] = _table(data, f"{label}: data/{table}.csv", sch.primary_key(table))
    if not side.tables:
        raise DiffError(f"{label}: no table of the package was found")
    return side


# ------------------------------------------------------------------------------------------ Comparing


def diff_tables(old, new, key: str, retired: set[str]) -> TableDiff:
    """The differences between two versions of one table (Arrow tables of strings; either may be None),
    matched on ``key``: DuckDB anti-joins for the rows added and gone, one join for the changed cells."""
    import duckdb
    import pyarrow as pa

    out = TableDiff(present=(old is not None, new is not None))
    empty = pa.table({key: pa.array([], pa.string())})
    old = old if old is not None else empty
    new = new if new is not None else empty
    common = [c for c in old.column_names if c in new.column_names]
    out.columns_removed = [c for c in old.column_names if c not in new.column_names]
    out.columns_added = [c for c in new.column_names if c not in old.column_names]
    names = [f"c{j}" for j in range(len(common))]
    con = duckdb.connect()
    try:
        con.register("a", old.select(common).rename_columns(names))
        con.register("b", new.select(common).rename_columns(names))
        k = f"c{common.index(key)}"
        out.added = [
            r[0] for r in con.execute(f"SELECT b.{k} FROM b ANTI JOIN a ON a.{k} = b.{k} ORDER BY b.{k}").fetchall()
        ]
        gone = [
            r[0] for r in con.execute(f"SELECT a.{k} FROM a ANTI JOIN b ON a.{k} = b.{k} ORDER BY a.{k}").fetchall()
        ]
        out.retired = [g for g in gone if g in retired]
        out.removed = [g for g in gone if g not in retired]
        changed: dict[str, dict[str, tuple[str, str]]] = {}
        others = [j for j, column in enumerate(common) if column != key]
        if others:
            # One join: the rows where any cell differs, both versions side by side.
            picked = ", ".join(f"a.c{j}, b.c{j}" for j in others)
            differs = " OR ".join(f"a.c{j} IS DISTINCT FROM b.c{j}" for j in others)
            for row in con.execute(f"SELECT a.{k}, {picked} FROM a JOIN b ON a.{k} = b.{k} WHERE {differs}").fetchall():
                cells = {}
                for n, j in enumerate(others):
                    before, after = row[1 + 2 * n], row[2 + 2 * n]
                    if before != after:
                        cells[common[j]] = (before, after)
                changed[row[0]] = cells
    finally:
        con.close()
    out.changed = {r: changed[r] for r in sorted(changed)}
    return out


def diff_sides(old: Side, new: Side) -> Diff:
    """The differences between two sides already read."""
    retired: set[str] = set()
    if "retired_ids" in new.tables and "retired_id" in new.tables["retired_ids"].column_names:
        retired = set(new.tables["retired_ids"].column("retired_id").to_pylist())
    tables = {}
    for table in sch.table_names():
        if table in old.tables or table in new.tables:
            tables[table] = diff_tables(
                old.tables.get(table),
                new.tables.get(table),
                sch.primary_key(table),
                retired if table != "retired_ids" else set(),
            )
    return Diff(old, new, tables)


def diff_packages(old: Path, new: Path) -> Diff:
    """What changed from the package folder or release bundle ``old`` to ``new``."""
    return diff_sides(read_side(Path(old)), read_side(Path(new)))


# ------------------------------------------------------------------------------------------ Reports


def _shown(value: str, limit: int) -> str:
    """A cell as printed: control characters escaped, cut to ``limit`` characters."""
    text = "".join(c if c.isprintable() or c in "\u00a0" else repr(c)[1:-1] for c in value[:limit])
    return repr(text + ("…" if len(value) > limit else ""))


def counts(d: Diff) -> dict[str, dict[str, int]]:
    """Rows added, retired, removed and changed per table that differs."""
    return {
        t: {"added": len(x.added), "retired": len(x.retired), "removed": len(x.removed), "changed": len(x.changed)}
        for t, x in d.tables.items()
        if not x.identical
    }


def to_text(d: Diff) -> str:
    """The report for people: per table the counts, then every row added, retired, removed or changed."""
    lines = [
        f"old: {d.old.label} (version {d.old.version or '?'})",
        f"new: {d.new.label} (version {d.new.version or '?'})",
    ]
    if d.identical:
        return "\n".join(lines + ["identical: no row added, retired, removed or changed"]) + "\n"
    for table, x in d.tables.items():
        if x.identical:
            continue
        c = counts(d)[table]
        lines.append(
            f"\n{table}: {c['added']} added, {c['retired']} retired, {c['removed']} removed, {c['changed']} changed"
        )
        if x.present != (True, True):
            lines.append("  the table is " + ("new" if x.present[1] else "gone"))
        lines += [f"  column added: {_shown(col, 80)}" for col in x.columns_added]
        lines += [f"  column removed: {_shown(col, 80)}" for col in x.columns_removed]
        lines += [f"  + {_shown(k, 120)}" for k in x.added]
        lines += [f"  - {_shown(k, 120)} (retired)" for k in x.retired]
        lines += [f"  - {_shown(k, 120)} (removed, not retired)" for k in x.removed]
        for k, cells in x.changed.items():
            for column, (before, after) in cells.items():
                lines.append(
                    f"  ~ {_shown(k, 120)} {column}: {_shown(before, TEXT_CELL)} -> {_shown(after, TEXT_CELL)}"
                )
    return "\n".join(lines) + "\n"


def _cut(value: str) -> str:
    return value if len(value) <= JSON_CELL else value[:JSON_CELL] + "…"


def to_json(d: Diff) -> str:
    """The report as one JSON object: ``identical``, both sides, ``summary`` (counts per table) and
    ``tables`` (per table the IDs added, retired, removed and the changed cells ``{old, new}``)."""
    tables = {}
    for table, x in d.tables.items():
        if x.identical:
            continue
        tables[table] = {
            "added": [_cut(k) for k in x.added],
            "retired": [_cut(k) for k in x.retired],
            "removed": [_cut(k) for k in x.removed],
            "changed": [
                {"id": _cut(k), "cells": {c: {"old": _cut(a), "new": _cut(b)} for c, (a, b) in cells.items()}}
                for k, cells in x.changed.items()
            ],
            "columns_added": [_cut(c) for c in x.columns_added],
            "columns_removed": [_cut(c) for c in x.columns_removed],
        }
    return (
        json.dumps(
            {
                "identical": d.identical,
                "old": {"path": d.old.label, "version": d.old.version},
                "new": {"path": d.new.label, "version": d.new.version},
                "summary": counts(d),
                "tables": tables,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def _ids(keys: list[str]) -> str:
    return ", ".join(f"`{k}`" for k in keys)


def to_changelog(d: Diff) -> str:
    """The CHANGELOG's data section for the new version: counts per table, then per table the IDs added,
    retired and removed, and the changed IDs grouped by the columns that changed."""
    lines = [f"Data changes from {d.old.version or '?'} (generated by `libya-conflict diff`):", ""]
    if d.identical:
        return "\n".join(lines + ["No row added, retired, removed or changed."]) + "\n"
    lines += ["| table | added | retired | removed | changed |", "|---|---|---|---|---|"]
    for table, c in counts(d).items():
        lines.append(f"| `{table}` | {c['added']} | {c['retired']} | {c['removed']} | {c['changed']} |")
    for table, x in d.tables.items():
        if x.identical:
            continue
        lines += ["", f"`{table}`:", ""]
        if x.columns_added:
            lines.append(f"- columns added: {_ids(x.columns_added)}")
        if x.columns_removed:
            lines.append(f"- columns removed: {_ids(x.columns_removed)}")
        if x.added:
            lines.append(f"- added: {_ids(x.added)}")
        if x.retired:
            lines.append(f"- retired: {_ids(x.retired)}")
        if x.removed:
            lines.append(f"- removed without retiring: {_ids(x.removed)}")
        by_columns: dict[tuple[str, ...], list[str]] = {}
        for k, cells in x.changed.items():
            by_columns.setdefault(tuple(cells), []).append(k)
        for columns, keys in sorted(by_columns.items()):
            lines.append(f"- changed {', '.join(f'`{c}`' for c in columns)}: {_ids(keys)}")
    return "\n".join(lines) + "\n"
