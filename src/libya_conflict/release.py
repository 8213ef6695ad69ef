"""The release bundle: every download in one folder, with checksums, independent of the Python wheel.

    libya-conflict build --release DIR          # in the project folder; DIR must be empty or new

>>> from libya_conflict.release import release_files
>>> sorted(release_files(Path(".")))[:2]           # doctest: +SKIP
['CHANGELOG.md', 'CITATION.cff']

DIR receives, for version V: ``libya-conflict-V-csv.zip`` (the data package as ``datapackage.json``
describes it, article texts included), ``libya-conflict-V-csv-bom.zip`` (CSV for spreadsheets),
``libya-conflict-V-parquet.zip``, ``libya-conflict-V.xlsx``, ``libya-conflict-V.sqlite``,
``libya-conflict-V-acled.csv``, ``datapackage.json``, the documentation and ``SHA256SUMS``
(check with ``sha256sum -c SHA256SUMS``). Nothing reads the clock: building twice gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from . import schema as sch
from .build import project_version, sha256_hex

# Documentation shipped beside the data, at the same relative paths as in the repository so its links work.
DOCS = ["README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA"]
DOCS_GLOBS = ["docs/*.md", "docs/img/*.png"]


class ReleaseError(Exception):
    """The release cannot be built (stale derived files, a non-empty target folder)."""


def release_files(root: Path) -> dict[str, bytes]:
    """Every file of the release for the project in ``root``, keyed by its path in the bundle."""
    from .acled import acled_csv_bytes
    from .csvfiles import package_csv_files, spreadsheet_csv_files, zip_bytes
    from .flat import read_rows
    from .sqlite_export import sqlite_bytes
    from .workbook import workbook_bytes

    root = Path(root)
    stem = f"libya-conflict-{project_version(root)}"
    tables = read_rows(root)
    parquet = {f"data/parquet/{t}.parquet": (root / "data" / "parquet" / f"{t}.parquet").read_bytes()
               for t in sch.table_names(root)}
    files = {
        f"{stem}-csv.zip": zip_bytes(package_csv_files(root)),
        f"{stem}-csv-bom.zip": zip_bytes(spreadsheet_csv_files(root)),
        f"{stem}-parquet.zip": zip_bytes({"datapackage.json": (root / "datapackage.json").read_bytes(), **parquet}),
        f"{stem}.xlsx": workbook_bytes(root, tables=tables),
        f"{stem}.sqlite": sqlite_bytes(root),
        f"{stem}-acled.csv": acled_csv_bytes(tables),
        "datapackage.json": (root / "datapackage.json").read_bytes(),
    }
    for name in DOCS:
        files[name] = (root / name).read_bytes()
    for pattern in DOCS_GLOBS:
        for path in sorted(root.glob(pattern)):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files["SHA256SUMS"] = "".join(f"{sha256_hex(data)}  {name}\n" for name, data in sorted(files.items())).encode()
    return files


def build_release(root: Path, out: Path) -> list[Path]:
    """Write the release of the project in ``root`` into the empty or new folder ``out``; return the paths.

    Refuses when derived files are stale (run ``libya-conflict build``) or ``out`` holds anything.
    """
    from .build import build

    root, out = Path(root), Path(out)
    stale = build(root, check=True)
    if stale:
        raise ReleaseError("derived files are stale, run `libya-conflict build` first: " + ", ".join(stale))
    if out.exists() and any(out.iterdir()):
        raise ReleaseError(f"{out} is not empty: a release is written into an empty or new folder")
    written = []
    for name, data in release_files(root).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
