"""The validation report: every problem found, where it is, and which rule found it."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the signatures: the package imports pyarrow and pandas
    from .package import Package


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place.

    ``row`` is the record's primary key when it has one, else ``"line N"`` (the CSV record, header = 1),
    else empty for file-level problems. ``column`` is empty for row- and file-level problems. ``file`` is
    the file the problem is in (relative to the package folder) and ``line`` the line of that file where
    the record starts, as an editor or a spreadsheet numbers it (None for a problem about no line, such as
    a missing file); both are filled once validation is done (:mod:`.lines`).
    """

    table: str
    row: str
    column: str
    rule: str
    message: str
    file: str = ""
    line: int | None = None


@dataclass
class Report:
    """All problems of one validation run; ``valid`` is True when there are none."""

    problems: list[Problem] = field(default_factory=list)
    folder: str = ""  # the package folder that was checked (absolute)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, table: str, row: str, column: str, rule: str, message: str) -> None:
        self.problems.append(Problem(table, str(row), column, rule, message))

    def rules(self) -> set[str]:
        return {p.rule for p in self.problems}

    def to_dict(self) -> dict:
        return {"valid": self.valid, "folder": self.folder, "problems": [asdict(p) for p in self.problems]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_text(self, show: int = 5) -> str:
        """Human-readable: grouped by rule, the first ``show`` problems of each, then counts."""
        where = f" in {self.folder}" if self.folder else ""
        if self.valid:
            return f"valid: no problems found{where}"
        by_rule = defaultdict(list)
        for p in self.problems:
            by_rule[p.rule].append(p)
        lines = [f"INVALID: {len(self.problems)} problem(s) under {len(by_rule)} rule(s){where}"]
        for rule in sorted(by_rule):
            found = by_rule[rule]
            lines.append(f"\n{rule} ({len(found)})")
            for p in found[:show]:
                where = f"{p.file} line {p.line}" if p.file and p.line else p.file
                place = ", ".join(
                    x
                    for x in (
                        where,
                        p.table if not p.file else "",
                        f"row {p.row}" if p.row else "",
                        f"column {p.column}" if p.column else "",
                    )
                    if x
                )
                lines.append(f"  - {place}: {p.message}")
            if len(found) > show:
                lines.append(f"  (+{len(found) - show} more)")
        return "\n".join(lines)

    def to_github(self) -> str:
        """GitHub Actions workflow commands: one ``::error`` annotation per problem, on its file and line,
        then a summary line. In a pull request each shows on the line it is about.

        >>> r = Report(folder="/x"); r.add("events", "ev-1", "status", "column.enum", "bad: 'x'")
        >>> r.problems[0] = Problem("events", "ev-1", "status", "column.enum", "bad: 'x'", "data/events.csv", 3)
        >>> print(r.to_github().splitlines()[0])
        ::error file=data/events.csv,line=3,title=column.enum::events, row ev-1, column status: bad: 'x'
        """
        if self.valid:
            return f"valid: no problems found in {self.folder}" if self.folder else "valid: no problems found"
        out = []
        for p in self.problems:
            place = ", ".join(
                x for x in (p.table, f"row {p.row}" if p.row else "", f"column {p.column}" if p.column else "") if x
            )
            properties = [f"file={_property(p.file)}"] if p.file else []
            if p.file and p.line:
                properties.append(f"line={p.line}")
            properties.append(f"title={_property(p.rule)}")
            out.append(f"::error {','.join(properties)}::{_data(f'{place}: {p.message}' if place else p.message)}")
        out.append(f"INVALID: {len(self.problems)} problem(s)" + (f" in {self.folder}" if self.folder else ""))
        return "\n".join(out)


def report_rows(
    package: Package, report: Report, table: str, rows, column: str, rule: str, message: Callable[[int], str]
) -> None:
    """Add to ``report`` one problem of ``rule`` for each row ``rows`` picks in ``table``: the rules' one way
    of reporting the rows they find.

    ``rows`` is either a mask over the rows (a pandas Series or an array of booleans; a missing value picks
    no row) or the row numbers themselves, ascending. ``message(i)`` words the problem of row ``i``; the
    row is named by its key (:meth:`~.package.Package.row_key`)."""
    import numpy as np

    if hasattr(rows, "fillna"):  # a pandas mask
        rows = rows.fillna(False).to_numpy(dtype=bool)
    rows = np.asarray(rows)
    if rows.dtype == bool:
        rows = np.flatnonzero(rows)
    for i in rows:
        report.add(table, package.row_key(table, int(i)), column, rule, message(int(i)))


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value, escaped (its separators too)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
