"""Where each problem is: the file, and the line in it a spreadsheet or an editor shows.

A user who opens ``data/claims.csv`` in Excel looks for a line, not an ID. Each problem is given the file
it is about and, for a record, the line its record starts on, counted as the file counts them: a cell
holding a line break (inside quotes) makes its record span several lines, and blank lines (which the CSV
reader skips) still count.

>>> record_lines(b'id,text\\na,"two\\nlines"\\n\\nb,x\\n').tolist()
[2, 5]
"""

from __future__ import annotations

import re

# A message that starts with the file it is about: "data/events.csv line 12: ...", "docs/codebook.md is ...".
MESSAGE_FILE = re.compile(
    r"^(?P<file>(?:data|docs|schemas)/[^\s:,]+|datapackage\.json|pyproject\.toml)"
    r"(?: line (?P<line>[0-9]+))?"
)
ROW_LINE = re.compile(r"^line ([0-9]+)$")


# Bytes scanned at a time: the temporaries of one chunk stay small whatever the size of the file.
CHUNK = 1 << 23


def record_lines(data):
    """The line (1-based) each data record of a CSV file starts on, the header being line 1.

    Quotes are counted byte by byte (numpy, a chunk at a time): a newline is a record's end only outside
    quotes. Empty records (blank lines) are left out, as the CSV reader leaves them out."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)  # a view: nothing is copied
    if raw[:3].tobytes() == b"\xef\xbb\xbf":
        raw = raw[3:]
    newlines, ends, inside = [], [], 0
    for at in range(0, len(raw), CHUNK):
        chunk = raw[at : at + CHUNK]
        quoted = ((np.cumsum(chunk == 0x22, dtype=np.int64) + inside) & 1).astype(bool)
        inside = int(quoted[-1])
        found = np.flatnonzero(chunk == 0x0A)
        newlines.append(found + at)
        ends.append(found[~quoted[found]] + at)
    newlines = np.concatenate(newlines) if newlines else np.zeros(0, np.int64)
    ends = np.concatenate(ends) if ends else np.zeros(0, np.int64)
    if len(raw) and raw[-1] != 0x0A:
        ends = np.append(ends, len(raw))  # the last record has no newline after it
    if not len(ends):
        return np.zeros(0, np.int64)
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    # A record is empty when it holds nothing, or nothing but a carriage return.
    blank = (length == 0) | ((length == 1) & (raw[np.minimum(starts, len(raw) - 1)] == 0x0D))
    first = np.searchsorted(newlines, starts) + 1  # newlines before a record's start, plus one
    return first[~blank][1:]  # the first record is the header


class Locator:
    """Finds the line of a record in its table's CSV, reading a file only when one of its records has a
    problem, and only once."""

    def __init__(self, package):
        self.package = package
        self._lines: dict[str, list[int]] = {}
        self._index: dict[str, dict[str, int]] = {}

    def lines(self, table: str):
        if table not in self._lines:
            try:
                data = self.package.folder.read_bytes(f"data/{table}.csv")
                self._lines[table] = record_lines(data)
            except (OSError, ValueError):  # missing, unsafe: those are problems of their own
                self._lines[table] = ()
        return self._lines[table]

    def index_of(self, table: str, key: str) -> int | None:
        """The index of the first record whose primary key is ``key``."""
        from libya_conflict import schema as sch

        if table not in self._index:
            typed = self.package.typed.get(table)
            pk = sch.primary_key(table)
            index: dict[str, int] = {}
            if typed is not None and pk in typed.column_names:
                for i, value in enumerate(typed.column(pk).to_pylist()):
                    if value is not None:
                        index.setdefault(str(value), i)
            self._index[table] = index
        return self._index[table].get(key)

    def line_of_record(self, table: str, index: int) -> int | None:
        lines = self.lines(table)
        return int(lines[index]) if 0 <= index < len(lines) else None

    def where(self, problem) -> tuple[str, int | None]:
        """``(file, line)`` of a problem; the line is None when the problem is about no line (a missing
        file, say)."""
        from libya_conflict import schema as sch

        named = MESSAGE_FILE.match(problem.message)
        if problem.rule == "integrity.parquet" and problem.table in sch.schemas() and not problem.row:
            return f"data/parquet/{problem.table}.parquet", None  # a binary file: no line to point at
        if problem.table in sch.schemas():
            csv_file = f"data/{problem.table}.csv"
            if problem.row:
                by_number = ROW_LINE.match(problem.row)
                if by_number:  # a record without a key: "line N" counts records, header = 1
                    line = self.line_of_record(problem.table, int(by_number.group(1)) - 2)
                else:
                    index = self.index_of(problem.table, problem.row)
                    line = self.line_of_record(problem.table, index) if index is not None else None
                return csv_file, line
            if named and named.group("file") != csv_file:
                return named.group("file"), int(named.group("line")) if named.group("line") else None
            if named and named.group("line"):
                return csv_file, int(named.group("line"))
            exists = table_file_exists(self.package, problem.table)
            return csv_file, 1 if exists else None  # about the whole file: its header line
        if named:
            return named.group("file"), int(named.group("line")) if named.group("line") else None
        return "datapackage.json", 1 if self.package.descriptor is not None else None


def table_file_exists(package, table: str) -> bool:
    return table in package.files


def locate(report, package) -> None:
    """Give every problem of ``report`` its file and line."""
    from dataclasses import replace

    if package is None:
        return
    locator = Locator(package)
    report.problems[:] = [
        replace(p, file=file, line=line) for p in report.problems for file, line in [locator.where(p)]
    ]
