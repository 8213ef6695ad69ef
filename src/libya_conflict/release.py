"""The release bundle: every download in one folder, with checksums, the Python wheel and sdist included.

    libya-conflict build --release DIR          # in the project folder; DIR must be empty or new

>>> from libya_conflict.release import release_files
>>> sorted(release_files(Path(".")))[:2]           # doctest: +SKIP
['CHANGELOG.md', 'CITATION.cff']

DIR receives, for version V: ``libya-conflict-V-csv.zip`` (the data package as ``datapackage.json``
describes it, article texts included), ``libya-conflict-V-csv-bom.zip`` (CSV for spreadsheets),
``libya-conflict-V-parquet.zip``, ``libya-conflict-V.xlsx``, ``libya-conflict-V.sqlite``,
``libya-conflict-V.datasette.json`` (its datasette metadata), ``libya-conflict-V-acled.csv``,
``datapackage.json``, ``data/published_ids.csv`` (the register of published IDs), the Python wheel and
sdist (``libya_conflict-V-py3-none-any.whl``, ``libya_conflict-V.tar.gz``: ``pip install`` either), the
documentation, the explorer in ``site/`` (open ``site/index.html``) and ``SHA256SUMS`` (check with
``sha256sum -c SHA256SUMS``). Nothing reads the clock: building twice gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from . import schema as sch
from .build import project_version, sha256_hex
from .register import PATH as REGISTER
from .register import update_register

# Documentation shipped beside the data, at the same relative paths as in the repository so its links work.
DOCS = ["README.md", "CHANGELOG.md", "CITATION.cff", "LICENSE", "LICENSE-DATA"]
DOCS_GLOBS = ["docs/*.md", "docs/img/*.png"]


class ReleaseError(Exception):
    """The release cannot be built (stale derived files, a non-empty target folder)."""


class InvalidRelease(ReleaseError):
    """The data does not pass validation: no release is written. ``report`` says why."""

    def __init__(self, report):
        self.report = report
        super().__init__(f"the data is not valid ({len(report.problems)} problem(s)): nothing was written")


def release_files(root: Path) -> dict[str, bytes]:
    """Every file of the release for the project in ``root``, keyed by its path in the bundle."""
    from .acled import acled_csv_bytes
    from .confine import Confined
    from .csvfiles import package_csv_files, spreadsheet_csv_files, zip_bytes
    from .datasette import metadata_bytes
    from .distribution import distribution_files
    from .flat import read_rows
    from .sqlite_export import sqlite_bytes
    from .workbook import workbook_bytes

    root = Path(root)
    folder = Confined(root)
    stem = f"libya-conflict-{project_version(root)}"
    tables = read_rows(root)
    parquet = {
        f"data/parquet/{t}.parquet": folder.read_bytes(f"data/parquet/{t}.parquet") for t in sch.table_names(root)
    }
    files = {
        f"{stem}-csv.zip": zip_bytes(package_csv_files(root)),
        f"{stem}-csv-bom.zip": zip_bytes(spreadsheet_csv_files(root)),
        f"{stem}-parquet.zip": zip_bytes({"datapackage.json": folder.read_bytes("datapackage.json"), **parquet}),
        f"{stem}.xlsx": workbook_bytes(root, tables=tables),
        f"{stem}.sqlite": sqlite_bytes(root),
        f"{stem}.datasette.json": metadata_bytes(stem, root),
        f"{stem}-acled.csv": acled_csv_bytes(tables),
        "datapackage.json": folder.read_bytes("datapackage.json"),
        **distribution_files(root),
    }
    from .site import SiteError, site_files

    try:
        files.update({f"site/{name}": data for name, data in site_files(root).items()})
    except SiteError as exc:
        raise ReleaseError(str(exc)) from None
    if folder.is_file(REGISTER):
        files[REGISTER] = folder.read_bytes(REGISTER)
    for name in DOCS:
        files[name] = folder.read_bytes(name)
    for pattern in DOCS_GLOBS:
        for path in sorted(root.glob(pattern)):
            relative = path.relative_to(root).as_posix()
            files[relative] = folder.read_bytes(relative)
    files["SHA256SUMS"] = "".join(f"{sha256_hex(data)}  {name}\n" for name, data in sorted(files.items())).encode()
    return files


def build_release(root: Path, out: Path) -> list[Path]:
    """Write the release of the project in ``root`` into the empty or new folder ``out``; return the paths.

    Once the data has validated, the register of published IDs (``data/published_ids.csv``, see
    :mod:`libya_conflict.register`) is brought up to date in ``root`` and shipped in the CSV package.
    Refuses, writing nothing, when derived files are stale (run ``libya-conflict build``), when ``out``
    holds anything, or when the data is not valid: :class:`InvalidRelease` then carries the report.
    """
    from .build import build
    from .extras import require

    require("release", "build --release")
    from .validators import validate
    from .validators.reference import documents

    root, out = Path(root), Path(out)
    stale = build(root, check=True, documents=documents())
    if stale:
        raise ReleaseError("derived files are stale, run `libya-conflict build` first: " + ", ".join(stale))
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(f"{out} is not empty (or not a folder): a release is written into an empty or new folder")
    report = validate(root)
    if not report.valid:
        raise InvalidRelease(report)
    # The register of published IDs gains what this version publishes and retires (never loses a row).
    update_register(root, project_version(root))
    written = []
    for name, data in release_files(root).items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
