"""Does the validator catch every catalogued corruption? ``libya-conflict scoreboard`` answers on real data.

For each entry of the corruption catalogue (``libya_conflict.validators.catalogue``) the bundled data
package (datapackage.json and data/) is copied to a temporary folder, corrupted, and validated. The
corruption is caught when the report names the entry's rule at the table and row the corruption touched.

    $ libya-conflict scoreboard
    dangling_fk                  caught by cross.foreign_key
    ...
    48 caught, 0 missed

Exit code 0 when every corruption is caught, 1 when one is missed. A corruption that has nothing to act
on in the bundled data (an article with a no-break space, say) is shown as "not applicable" and is not a miss.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import schema as sch


@dataclass(frozen=True)
class Outcome:
    """What became of one corruption: caught, missed or not applicable, with the line to print."""

    id: str
    status: str  # "caught", "missed" or "not applicable"
    line: str


def copy_package(source: Path, target: Path) -> Path:
    """Copy the data package (datapackage.json and data/) of ``source`` into ``target``.

    Only the package is copied, never pyproject.toml or schemas/: the copy is validated as a user's copy.
    """
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "datapackage.json", target / "datapackage.json")
    shutil.copytree(source / "data", target / "data")
    return target


def score(entry, source: Path, seed: int = 0) -> Outcome:
    """Apply one catalogue entry to a fresh copy of the package in ``source``, validate, and judge."""
    from .validators import validate
    from .validators.catalogue import NotApplicable

    # A seed per entry: adding an entry to the catalogue does not change what the others corrupt.
    rng = random.Random(f"{seed}:{entry.id}")
    with tempfile.TemporaryDirectory(prefix="libya-conflict-scoreboard-") as tmp:
        folder = copy_package(source, Path(tmp) / "package")
        try:
            table, row, column = entry.apply(folder, rng)
        except NotApplicable as exc:
            return Outcome(entry.id, "not applicable", f"{entry.id:<28} not applicable: {exc}")
        try:
            report = validate(folder)
        except Exception as exc:  # a validator that crashes catches nothing: say so, and go on
            return Outcome(
                entry.id, "missed", f"{entry.id:<28} MISSED: the validator crashed: {type(exc).__name__}: {exc}"
            )
    if any(p.rule == entry.rule and (p.table, p.row, p.column) == (table, row, column) for p in report.problems):
        return Outcome(entry.id, "caught", f"{entry.id:<28} caught by {entry.rule}")
    where = f"{table or 'datapackage.json'}" + (f" row {row}" if row else "") + (f" column {column}" if column else "")
    seen = (
        ", ".join(sorted({p.rule for p in report.problems if (p.table, p.row, p.column) == (table, row, column)}))
        or "nothing there"
    )
    return Outcome(entry.id, "missed", f"{entry.id:<28} MISSED: {entry.rule} not reported at {where} (found: {seen})")


def run(seed: int = 0, source: Path | None = None, out=None) -> int:
    """Score every catalogue entry on the package in ``source`` (default: the bundled data); print the
    scoreboard and return the exit code (1 if any corruption was missed)."""
    from .validators.catalogue import CATALOGUE

    out = out or sys.stdout
    source = Path(source) if source is not None else sch.package_root()
    outcomes = []
    for entry in CATALOGUE:
        outcome = score(entry, source, seed)
        print(outcome.line, file=out, flush=True)
        outcomes.append(outcome)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("caught", "missed", "not applicable")}
    summary = f"{counts['caught']} caught, {counts['missed']} missed"
    if counts["not applicable"]:
        summary += f", {counts['not applicable']} not applicable"
    print(summary, file=out)
    return 1 if counts["missed"] else 0


def main(argv: list[str] | None = None) -> int:
    """``python -m libya_conflict.scoreboard [--seed N]`` (the same as ``libya-conflict scoreboard``)."""
    parser = argparse.ArgumentParser(prog="libya-conflict scoreboard", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="choose other rows to corrupt (default 0)")
    args = parser.parse_args(argv)
    return run(seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
