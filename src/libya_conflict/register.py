"""The register of published IDs: every ID a release has carried, with its table and the version that first
published it, and the version that retired it.

    libya-conflict build --release DIR      # adds the IDs this version publishes, marks those it retires

The register is ``data/published_ids.csv`` (committed, shipped in the CSV package of every release). Its
rows are never removed: an ID once published stays registered, so validation (``cross.published_ids``) can
tell a user who cites it, or syncs a copy, that it is present in its table or retired, and that a retired
ID has not come back. Columns: ``id``, ``table``, ``first_published``, ``retired_in`` (empty while live).

``first_published`` is the first release that carried the ID, or ``V-dev`` (``0.1.0-dev``) for an ID that was
in the repository while V was being prepared and deleted before V was released: no release carried it, but
anyone who copied the repository may cite it, so it is registered and retired all the same.

>>> from libya_conflict.register import registered
>>> rows = registered(Path("."))                     # doctest: +SKIP
>>> rows["ev-002-045"].retired_in                    # doctest: +SKIP
'1.0.0'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from . import schema as sch

PATH = "data/published_ids.csv"
HEADER = ["id", "table", "first_published", "retired_in"]
VERSION = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+")
# first_published may also name the development of a version: in the repository, never in a release.
FIRST = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+(-dev)?")


class Entry(NamedTuple):
    """One registered ID."""

    id: str
    table: str
    first_published: str
    retired_in: str


class RegisterError(ValueError):
    """The register cannot be read: the message names the file, the line and what is wrong."""


def version_key(version: str) -> tuple[int, ...]:
    """A version as numbers, to compare: ``version_key("0.10.0") > version_key("0.9.1")``; the development
    of a version comes before it: ``version_key("0.1.0-dev") < version_key("0.1.0")``."""
    number, _, dev = version.partition("-")
    return tuple(int(part) for part in number.split(".")) + ((0,) if dev else (1,))


def parse_register(data: bytes, tables: list[str] | None = None) -> dict[str, Entry]:
    """The entries of the register's bytes, by ID; :class:`RegisterError` naming the line when a row is
    malformed (every problem of the file is collected into the message, at most 20 shown)."""
    from .tables import parse_csv_rows

    tables = tables if tables is not None else sch.table_names()
    try:
        header, rows = parse_csv_rows(data, PATH)
    except ValueError as exc:
        raise RegisterError(str(exc)[:400]) from None
    if header != HEADER:
        raise RegisterError(f"{PATH} line 1: the header must be {','.join(HEADER)}, not {','.join(header)[:200]}")
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        if len(row) != len(HEADER):
            problems.append(f"line {line}: {len(row)} cells, not {len(HEADER)}")
            continue
        entry = Entry(*row)
        if not entry.id or entry.id.strip() != entry.id or len(entry.id) > 200:
            problems.append(f"line {line}: the id {entry.id[:60]!r} is empty or padded")
        elif entry.table not in tables:
            problems.append(f"line {line}: {entry.id}: {entry.table[:60]!r} is no table of the package")
        elif not FIRST.fullmatch(entry.first_published):
            problems.append(
                f"line {line}: {entry.id}: first_published {entry.first_published[:30]!r} is not a version (or V-dev)"
            )
        elif entry.retired_in and not VERSION.fullmatch(entry.retired_in):
            problems.append(f"line {line}: {entry.id}: retired_in {entry.retired_in[:30]!r} is not a version")
        elif entry.id in entries:
            problems.append(f"line {line}: {entry.id} is registered twice")
        else:
            entries[entry.id] = entry
    if problems:
        shown = "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        raise RegisterError(f"{PATH} {shown}")
    return entries


def registered(root: Path) -> dict[str, Entry]:
    """The register of the project or package in ``root`` (read only as a regular file inside it); empty
    when there is none."""
    from .confine import Confined

    try:
        data = Confined(root).read_bytes(PATH)
    except FileNotFoundError:
        return {}
    return parse_register(data, sch.table_names())


def updated(
    entries: dict[str, Entry], live: dict[str, list[str]], retired: dict[str, str], version: str
) -> dict[str, Entry]:
    """The register after releasing ``version``: every live ID (``live``: table -> IDs) not yet registered
    is added as first published in it; every registered ID that ``retired`` (ID -> version) lists gets its
    ``retired_in``. Nothing is removed, and what was registered keeps its first version."""
    out = dict(entries)
    for table, ids in live.items():
        for key in ids:
            if key not in out:
                out[key] = Entry(key, table, version, "")
    for key, when in retired.items():
        if key in out and not out[key].retired_in:
            out[key] = out[key]._replace(retired_in=when or version)
    return out


def register_bytes(entries: dict[str, Entry]) -> bytes:
    """The canonical CSV of the register, sorted by table then ID."""
    from .tables import write_csv

    rows = sorted(entries.values(), key=lambda e: (e.table, e.id))
    return write_csv(None, HEADER, [list(e) for e in rows])


def update_register(root: Path, version: str) -> bytes:
    """Register the IDs of the project in ``root`` for the release of ``version``; write and return the
    register's bytes (``build --release`` calls it once the data has validated)."""
    from .confine import Confined
    from .tables import parse_csv_rows

    root = Path(root)
    folder = Confined(root)
    live: dict[str, list[str]] = {}
    for table in sch.table_names(root):
        if table == "retired_ids":
            continue
        header, rows = parse_csv_rows(folder.read_bytes(f"data/{table}.csv"), f"data/{table}.csv")
        key = header.index(sch.primary_key(table))
        live[table] = [row[key] for row in rows]
    header, rows = parse_csv_rows(folder.read_bytes("data/retired_ids.csv"), "data/retired_ids.csv")
    col = {name: i for i, name in enumerate(header)}
    retired = {row[col["retired_id"]]: row[col["retired_in_version"]] for row in rows}
    entries = registered(root)
    # A retired_ids row names an ID that once existed; if the register lacks it, no release build saw it
    # (it came and went between two releases, or before the register). It is registered all the same, as
    # first published in the version that retired it, the earliest version known to list it. An ID
    # already registered (by a release or as V-dev) keeps its entry; only its retired_in is filled in.
    for row in rows:
        key, table = row[col["retired_id"]], row[col["record_table"]]
        if key not in entries:
            entries[key] = Entry(key, table, row[col["retired_in_version"]] or version, "")
    data = register_bytes(updated(entries, live, retired, version))
    (root / PATH).write_bytes(data)
    return data
