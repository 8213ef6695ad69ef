"""Write the JSON report of ``libya-conflict validate DIR --format json`` for the bundled data and for every
corruption of the catalogue, one file each, so that two versions of the validator can be compared byte for
byte (a refactoring must not change a rule id, a message, the report order or an exit code).

    python scripts/report_snapshots.py OUT            # OUT/bundled.json, OUT/<corruption>.json
    diff -r BEFORE AFTER                               # no output: the reports are the same

Each corruption is applied as ``libya-conflict scoreboard`` applies it (a copy of the bundled package,
the scoreboard's seed per entry); the folder's path is replaced by DIR (and that of the temporary folder
around it by TMP), so the reports are comparable.
Each file holds the exit code on its first line, then the report.
"""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import sys
import tempfile
from pathlib import Path

from libya_conflict import schema as sch
from libya_conflict.cli import main
from libya_conflict.scoreboard import copy_package
from libya_conflict.validators import catalogue as cat


def report(folder: Path) -> str:
    """The exit code and stdout of ``libya-conflict validate folder --format json``, the folder's path
    replaced by a placeholder."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["validate", str(folder), "--format", "json"])
    return f"exit {code}\n" + out.getvalue().replace(str(folder.resolve()), "DIR").replace(str(folder), "DIR")


def snapshot(out: Path, seed: int = 0) -> int:
    """Write every report into ``out``; returns how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    source = sch.package_root()
    (out / "bundled.json").write_text(report(source).replace(str(source), "BUNDLED"), encoding="utf-8")
    written = 1
    for entry in cat.CATALOGUE:
        rng = random.Random(f"{seed}:{entry.id}")
        with tempfile.TemporaryDirectory() as tmp:
            folder = copy_package(source, Path(tmp) / "package")
            try:
                entry.apply(folder, rng)
            except cat.NotApplicable as exc:
                text = f"not applicable: {exc}\n"
            else:  # a corruption may name a file beside the package (outside it): that folder too
                text = report(folder).replace(str(Path(tmp).resolve()), "TMP").replace(tmp, "TMP")
            (out / f"{entry.id}.json").write_text(text, encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
        written += 1
    return written


if __name__ == "__main__":
    print(snapshot(Path(sys.argv[1])), "reports written")
