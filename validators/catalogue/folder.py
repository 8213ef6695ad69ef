"""A package folder on disk, as rows of cell text to edit and save, and what the build derives from it refreshed."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections.abc import Callable
from pathlib import Path

from libya_conflict import generate
from libya_conflict import schema as sch
from libya_conflict.build import reseal

from .entry import NotApplicable

# The alphabet of the generated packages, for the corruptions that write Arabic.
NBSP, ARABIC_LETTERS, ARABIC_INDIC = generate.NBSP, generate.ARABIC_LETTERS, generate.ARABIC_INDIC
# One to three Arabic words: the spans scaffolded claims quote.
ARABIC_WORDS = re.compile(r"[\u0621-\u064A]{2,}(?: [\u0621-\u064A]{2,}){0,2}")
ANY_WORDS = re.compile(r"[^\s=+@-]\S*")  # never starting like a formula


class Folder:
    """The tables of a package folder as rows of cell text (dicts), to edit in place and save."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._rows: dict[str, list[dict]] = {}
        self.changed: set[str] = set()

    def csv_path(self, table: str) -> Path:
        """Where the table's CSV file is."""
        return self.root / "data" / f"{table}.csv"

    def rows(self, table: str) -> list[dict]:
        """The table's rows, read once; edit them in place, then :meth:`touch` the table."""
        if table not in self._rows:
            rows = []
            if self.csv_path(table).is_file():
                with open(self.csv_path(table), encoding="utf-8", newline="") as handle:
                    rows = [dict(r) for r in csv.DictReader(handle)]
            self._rows[table] = rows
        return self._rows[table]

    def add(self, table: str, cells: dict) -> dict:
        """Append a row (missing cells empty) and return it."""
        row = generate.row(table, **cells)
        self.rows(table).append(row)
        self.changed.add(table)
        return row

    def remove(self, table: str, keep: Callable[[dict], bool]) -> None:
        """Drop the rows ``keep`` refuses."""
        self._rows[table] = [r for r in self.rows(table) if keep(r)]
        self.changed.add(table)

    def touch(self, table: str) -> None:
        """Mark the table as edited, to be saved."""
        self.changed.add(table)

    def save(self, seal: bool = True) -> None:
        """Write the changed tables in canonical form (schema order, sorted by key); then reseal them."""
        from libya_conflict.tables import write_csv

        for table in sorted(self.changed):
            names, key = sch.field_names(table), sch.primary_key(table)
            rows = sorted(self.rows(table), key=lambda r: r[key])
            write_csv(self.csv_path(table), names, [[r.get(n, "") for n in names] for r in rows])
        if seal:
            reseal(self.root, sorted(self.changed))
        self.changed = set()

    def article_path(self, article: dict) -> Path:
        """Where an article's text file is."""
        return self.root / article["path"]

    def article_text(self, article: dict) -> str | None:
        """An article's text, or None when its file is missing or not UTF-8."""
        path = self.article_path(article)
        try:
            return path.read_bytes().decode("utf-8") if path.is_file() else None
        except UnicodeDecodeError:
            return None

    def articles(self) -> list[tuple[dict, str]]:
        """Articles whose text file exists and is UTF-8, with the text."""
        return [(a, t) for a in self.rows("articles") if (t := self.article_text(a))]


def key_of(table: str, row: dict) -> str:
    """The primary key of a row: how the report names it."""
    return row[sch.primary_key(table)]


def pick(rng: random.Random, options: list, what: str):
    """One of ``options``; :class:`NotApplicable` naming ``what`` is missing when there is none."""
    if not options:
        raise NotApplicable(f"the package has no {what}")
    return rng.choice(options)


def cells(folder: Folder, field_ok, value_ok=bool, with_key: bool = False) -> list[tuple[str, dict, dict]]:
    """Every (table, row, field) whose field passes ``field_ok`` and whose cell passes ``value_ok``.

    Primary keys are left out unless ``with_key``: the report names a row by its key, which must survive.
    """
    found = []
    for table, table_schema in sch.schemas().items():
        for field in table_schema["fields"]:
            if field["name"] == table_schema["primaryKey"] and not with_key:
                continue
            if field_ok(field):
                found += [(table, row, field) for row in folder.rows(table) if value_ok(row[field["name"]])]
    return found


def is_free_text(field: dict) -> bool:
    """A string column that is neither a vocabulary nor a patterned code."""
    c = field.get("constraints", {})
    return field["type"] == "string" and "enum" not in c and "pattern" not in c


def day(text: str) -> dt.date:
    """An ISO date cell as a date."""
    return dt.date.fromisoformat(text)


def invalid_utf8(text: str) -> bytes | None:
    """The text in Windows-1256, if those bytes are not valid UTF-8 (else None: nothing would be noticed)."""
    data = text.encode("cp1256", errors="replace")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return None
