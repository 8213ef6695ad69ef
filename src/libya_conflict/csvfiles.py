"""CSV downloads: the plain UTF-8 data package, and copies with a byte-order mark for spreadsheets.

>>> from libya_conflict.csvfiles import spreadsheet_csv_files, zip_bytes
>>> files = spreadsheet_csv_files()                 # {"events.csv": b"\\xef\\xbb\\xbf...", ...}  # doctest: +SKIP
>>> open("tables.zip", "wb").write(zip_bytes(files))                                      # doctest: +SKIP

Excel and LibreOffice read a CSV file as UTF-8 only when told to, or when the file starts with the
UTF-8 byte-order mark; without it Arabic text turns into mojibake. The plain files that
``datapackage.json`` describes stay without a BOM (RFC 4180 tools and frictionless expect none).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from . import schema as sch

BOM = b"\xef\xbb\xbf"
# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"); a plain number is a number.
FORMULA_START = re.compile(r"^[=+\-@\t\r]")
PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
# Zip entries carry a modification time; a fixed one makes the archive's bytes reproducible.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Descriptions of the package for catalogues (libya_conflict.metadata), with paths relative to it.
CATALOGUE_FILES = ("croissant.json", "dataset.jsonld")


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
    """The data package as ``datapackage.json`` describes it: the descriptor, the CSV tables, the texts,
    the Croissant and schema.org descriptions of them, and the register of published IDs
    (``data/published_ids.csv``) when the folder holds one."""
    from .confine import Confined
    from .tables import parse_csv_rows

    root = Path(root) if root else sch.package_root()
    folder = Confined(root)
    files = {"datapackage.json": folder.read_bytes("datapackage.json")}
    # The catalogue descriptions travel with the files they describe (a copy made before them has none).
    for name in CATALOGUE_FILES:
        if folder.is_file(name):
            files[name] = folder.read_bytes(name)
    for table in sch.table_names(root):
        files[f"data/{table}.csv"] = folder.read_bytes(f"data/{table}.csv")
    # The register of published IDs travels with the tables, so a copy is checked against it too.
    from .register import PATH as REGISTER

    if folder.is_file(REGISTER):
        files[REGISTER] = folder.read_bytes(REGISTER)
    # The texts the articles table names, and only those (never whatever else lies in the folder).
    header, rows = parse_csv_rows(files["data/articles.csv"], "data/articles.csv")
    for row in rows:
        relative = dict(zip(header, row))["path"]
        files[relative] = folder.read_bytes(relative)
    return dict(sorted(files.items()))


def flat_csv_bytes(tables: dict[str, list[dict]] | None = None) -> bytes:
    """``events_flat`` as canonical CSV (UTF-8, no BOM), cells written like the curated tables."""
    from .flat import events_flat
    from .tables import write_csv

    columns, rows = events_flat(tables)
    return write_csv(
        None, [c["name"] for c in columns], [[sch.format_cell(c, row[c["name"]]) for c in columns] for row in rows]
    )


def neutralised(cell: str) -> str:
    """``cell``, behind an apostrophe when a spreadsheet would run it as a formula (=, +, -, @, tab or CR
    first, and not a plain number). The validator refuses such cells in the data (column.formula); this
    is the second line of defence, for files meant to be opened in a spreadsheet.

    >>> neutralised('=HYPERLINK("http://x")'), neutralised("-12"), neutralised("Tripoli")
    ('\'=HYPERLINK("http://x")', '-12', 'Tripoli')
    """
    return "'" + cell if FORMULA_START.match(cell) and not PLAIN_NUMBER.match(cell) else cell


def spreadsheet_safe(data: bytes) -> bytes:
    """CSV bytes with every formula-like cell :func:`neutralised`; the very same bytes when there is none."""
    from .tables import write_csv

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    safe = [[neutralised(cell) for cell in row] for row in rows]
    if safe == rows:
        return data
    return write_csv(None, safe[0] if safe else [], safe[1:])


def spreadsheet_csv_files(root: Path | None = None) -> dict[str, bytes]:
    """Every table, and ``events_flat``, as UTF-8 CSV starting with a byte-order mark, formula-like cells
    :func:`neutralised`."""
    from .confine import Confined
    from .flat import read_rows

    root = Path(root) if root else sch.package_root()
    folder = Confined(root)
    files = {f"{t}.csv": BOM + spreadsheet_safe(folder.read_bytes(f"data/{t}.csv")) for t in sch.table_names(root)}
    files["events_flat.csv"] = BOM + spreadsheet_safe(flat_csv_bytes(read_rows(root)))
    return files
