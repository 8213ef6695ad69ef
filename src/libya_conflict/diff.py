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
TEXT_CELL = 160        # characters of a cell shown in the text report
JSON_CELL = 4000       # ... and in the JSON report


class DiffError(Exception):
    """A side cannot be read: the message names the side, the file and what is wrong."""


@dataclass
class Side:
    """One version of the data: where it was read, its version and each table's header and rows."""

    label: str
    version: str
    tables: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)


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
        return not (self.added or self.retired or self.removed or self.changed or self.columns_added
                    or self.columns_removed) and self.present[0] == self.present[1]


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

    if confined.is_file("datapackage.json"):
        return from_folder, "package folder"
    try:
        names = sorted(n for n in (p.name for p in folder.iterdir()) if BUNDLE_ZIP.fullmatch(n))
    except OSError as exc:
        raise DiffError(f"{label}: {exc.strerror or exc}") from None
    if len(names) != 1:
        found = "several CSV zips: " + ", ".join(names[:5]) if names else "neither datapackage.json nor a release's CSV zip"
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


def read_side(folder: Path) -> Side:
    """The tables of the package folder or release bundle ``folder``; :class:`DiffError` when it cannot
    be read (no such folder, no package, a damaged file, a table without its key or with a key twice)."""
    from .tables import parse_csv_rows

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
        except (UnicodeDecodeError, ValueError):
            raise DiffError(f"{label}: datapackage.json is not valid UTF-8 JSON") from None
    side = Side(label, version)
    for table in sch.table_names():
        data = read(f"data/{table}.csv")
        if data is None:
            continue
        try:
            header, rows = parse_csv_rows(data, f"{label}: data/{table}.csv")
        except ValueError as exc:
            raise DiffError(str(exc)[:500]) from None
        key = sch.primary_key(table)
        if key not in header:
            raise DiffError(f"{label}: data/{table}.csv has no column {key}, its key: rows cannot be matched")
        width = len(header)
        short = next((i for i, r in enumerate(rows) if len(r) != width), None)
        if short is not None:
            raise DiffError(f"{label}: data/{table}.csv line {short + 2}: {len(rows[short])} cells, the header has {width}")
        at = header.index(key)
        seen: set[str] = set()
        for i, row in enumerate(rows):
            if row[at] in seen:
                raise DiffError(f"{label}: data/{table}.csv line {i + 2}: {key} {_shown(row[at], 80)} is there twice")
            seen.add(row[at])
        side.tables[table] = (header, rows)
    if not side.tables:
        raise DiffError(f"{label}: no table of the package was found")
    return side


# ------------------------------------------------------------------------------------------ Comparing


def _arrow(header: list[str], rows: list[list[str]], columns: list[str]):
    import pyarrow as pa

    at = [header.index(c) for c in columns]
    return pa.table({f"c{j}": pa.array([r[i] for r in rows], pa.string()) for j, i in enumerate(at)})


def diff_tables(old: tuple[list[str], list[list[str]]] | None, new: tuple[list[str], list[list[str]]] | None,
                key: str, retired: set[str]) -> TableDiff:
    """The differences between two versions of one table (either may be missing), matched on ``key``."""
    import duckdb

    out = TableDiff(present=(old is not None, new is not None))
    old = old or ([key], [])
    new = new or ([key], [])
    common = [c for c in old[0] if c in new[0]]
    out.columns_removed = [c for c in old[0] if c not in new[0]]
    out.columns_added = [c for c in new[0] if c not in old[0]]
    con = duckdb.connect()
    try:
        con.register("a", _arrow(old[0], old[1], common))
        con.register("b", _arrow(new[0], new[1], common))
        k = f"c{common.index(key)}"
        out.added = [r[0] for r in con.execute(
            f"SELECT b.{k} FROM b ANTI JOIN a ON a.{k} = b.{k} ORDER BY b.{k}").fetchall()]
        gone = [r[0] for r in con.execute(
            f"SELECT a.{k} FROM a ANTI JOIN b ON a.{k} = b.{k} ORDER BY a.{k}").fetchall()]
        out.retired = [g for g in gone if g in retired]
        out.removed = [g for g in gone if g not in retired]
        for j, column in enumerate(common):
            if column == key:
                continue
            for row_key, before, after in con.execute(
                    f"SELECT a.{k}, a.c{j}, b.c{j} FROM a JOIN b ON a.{k} = b.{k} "
                    f"WHERE a.c{j} IS DISTINCT FROM b.c{j}").fetchall():
                out.changed.setdefault(row_key, {})[column] = (before, after)
    finally:
        con.close()
    out.changed = {k2: {c: out.changed[k2][c] for c in common if c in out.changed[k2]} for k2 in sorted(out.changed)}
    return out


def diff_sides(old: Side, new: Side) -> Diff:
    """The differences between two sides already read."""
    retired: set[str] = set()
    if "retired_ids" in new.tables:
        header, rows = new.tables["retired_ids"]
        if "retired_id" in header:
            at = header.index("retired_id")
            retired = {r[at] for r in rows}
    tables = {}
    for table in sch.table_names():
        if table in old.tables or table in new.tables:
            tables[table] = diff_tables(old.tables.get(table), new.tables.get(table), sch.primary_key(table),
                                        retired if table != "retired_ids" else set())
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
    return {t: {"added": len(x.added), "retired": len(x.retired), "removed": len(x.removed),
                "changed": len(x.changed)} for t, x in d.tables.items() if not x.identical}


def to_text(d: Diff) -> str:
    """The report for people: per table the counts, then every row added, retired, removed or changed."""
    lines = [f"old: {d.old.label} (version {d.old.version or '?'})", f"new: {d.new.label} (version {d.new.version or '?'})"]
    if d.identical:
        return "\n".join(lines + ["identical: no row added, retired, removed or changed"]) + "\n"
    for table, x in d.tables.items():
        if x.identical:
            continue
        c = counts(d)[table]
        lines.append(f"\n{table}: {c['added']} added, {c['retired']} retired, {c['removed']} removed, "
                     f"{c['changed']} changed")
        if x.present != (True, True):
            lines.append("  the table is " + ("new" if x.present[1] else "gone"))
        lines += [f"  column added: {_shown(col, 80)}" for col in x.columns_added]
        lines += [f"  column removed: {_shown(col, 80)}" for col in x.columns_removed]
        lines += [f"  + {_shown(k, 120)}" for k in x.added]
        lines += [f"  - {_shown(k, 120)} (retired)" for k in x.retired]
        lines += [f"  - {_shown(k, 120)} (removed, not retired)" for k in x.removed]
        for k, cells in x.changed.items():
            for column, (before, after) in cells.items():
                lines.append(f"  ~ {_shown(k, 120)} {column}: {_shown(before, TEXT_CELL)} -> {_shown(after, TEXT_CELL)}")
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
            "added": [_cut(k) for k in x.added], "retired": [_cut(k) for k in x.retired],
            "removed": [_cut(k) for k in x.removed],
            "changed": [{"id": _cut(k), "cells": {c: {"old": _cut(a), "new": _cut(b)} for c, (a, b) in cells.items()}}
                        for k, cells in x.changed.items()],
            "columns_added": [_cut(c) for c in x.columns_added], "columns_removed": [_cut(c) for c in x.columns_removed],
        }
    return json.dumps({"identical": d.identical,
                       "old": {"path": d.old.label, "version": d.old.version},
                       "new": {"path": d.new.label, "version": d.new.version},
                       "summary": counts(d), "tables": tables}, ensure_ascii=False, indent=1) + "\n"


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
