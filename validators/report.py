"""The validation report: every problem found, where it is, and which rule found it."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place.

    ``row`` is the record's primary key when it has one, else ``"line N"`` (the CSV line, header = 1),
    else empty for file-level problems. ``column`` is empty for row- and file-level problems.
    """

    table: str
    row: str
    column: str
    rule: str
    message: str


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
                place = ", ".join(x for x in (p.table, f"row {p.row}" if p.row else "", f"column {p.column}" if p.column else "") if x)
                lines.append(f"  - {place}: {p.message}")
            if len(found) > show:
                lines.append(f"  (+{len(found) - show} more)")
        return "\n".join(lines)
