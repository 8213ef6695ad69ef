"""CSV downloads: the plain UTF-8 data package, and copies with a byte-order mark for spreadsheets.

>>> from libya_conflict.csvfiles import spreadsheet_csv_files, zip_bytes
>>> files = spreadsheet_csv_files()                 # {"events.csv": b"\\xef\\xbb\\xbf...", ...}  # doctest: +SKIP
>>> open("tables.zip", "wb").write(zip_bytes(files))                                      # doctest: +SKIP

Excel and LibreOffice read a CSV file as UTF-8 only when told to, or when the file starts with the
UTF-8 byte-order mark; without it Arabic text turns into mojibake. The plain files that
``datapackage.json`` describes stay without a BOM (RFC 4180 tools and frictionless expect none).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from . import schema as sch

BOM = b"\xef\xbb\xbf"
# Zip entries carry a modification time; a fixed one makes the archive's bytes reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip archive of ``{name: bytes}``, entries in name order, with fixed dates and permissions.

    >>> zip_bytes({"a.txt": b"x"}) == zip_bytes({"a.txt": b"x"})
    True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds it
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def package_csv_files(root: Path | None = None) -> dict[str, bytes]:
    """The data package as ``datapackage.json`` describes it: the descriptor, the CSV tables, the texts."""
    root = Path(root) if root else sch.package_root()
    files = {"datapackage.json": (root / "datapackage.json").read_bytes()}
    for table in sch.table_names(root):
        files[f"data/{table}.csv"] = (root / "data" / f"{table}.csv").read_bytes()
    for text in sorted((root / "data" / "sources").glob("*.txt")):
        files[f"data/sources/{text.name}"] = text.read_bytes()
    return files


def flat_csv_bytes(tables: dict[str, list[dict]] | None = None) -> bytes:
    """``events_flat`` as canonical CSV (UTF-8, no BOM), cells written like the curated tables."""
    from .flat import events_flat
    from .tables import write_csv

    columns, rows = events_flat(tables)
    return write_csv(None, [c["name"] for c in columns],
                     [[sch.format_cell(c, row[c["name"]]) for c in columns] for row in rows])


def spreadsheet_csv_files(root: Path | None = None) -> dict[str, bytes]:
    """Every table, and ``events_flat``, as UTF-8 CSV starting with a byte-order mark."""
    from .flat import read_rows

    root = Path(root) if root else sch.package_root()
    files = {f"{t}.csv": BOM + (root / "data" / f"{t}.csv").read_bytes() for t in sch.table_names(root)}
    files["events_flat.csv"] = BOM + flat_csv_bytes(read_rows(root))
    return files
