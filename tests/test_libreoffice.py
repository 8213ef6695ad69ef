"""The downloads as a person opens them: LibreOffice reads them back, and every cell is the package's.

LibreOffice runs headless and converts each file back to CSV (UTF-8 on export); the cells are then
parsed with the schema's types and compared with the package's own tables, Arabic included. These
tests need ``soffice`` (``.ci/run`` installs it); they are skipped where it is absent.
"""

import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

from libya_conflict import flat
from libya_conflict import schema as sch
from libya_conflict.csvfiles import spreadsheet_csv_files
from libya_conflict.tables import parse_cell
from libya_conflict.workbook import workbook_bytes

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")]

# CSV filter tokens: separator 44 (,), text delimiter 34 ("), character set 76 (UTF-8), first line 1.
UTF8_IMPORT = "CSV:44,34,76,1"
# Export: the same, then cell format, language, quoted as text, special numbers, save as shown (true),
# formulas, spaces, and -1 = every sheet to its own file (<name>-<sheet>.csv).
UTF8_EXPORT_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
UTF8_EXPORT = "csv:Text - txt - csv (StarCalc):44,34,76,1"


def soffice(tmp_path, *args):
    """Run headless LibreOffice with its own throw-away profile (parallel runs do not collide)."""
    profile = tmp_path / "lo-profile"
    env = dict(os.environ, HOME=str(tmp_path))
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def typed(field, text):
    """Parse what LibreOffice wrote back: booleans come back as TRUE/FALSE, the rest as the package writes it."""
    if field["type"] == "boolean":
        text = text.lower()
    return parse_cell(field, text)


def assert_same_cells(rows, fields, expected, label):
    assert rows[0] == [f["name"] for f in fields], label
    assert len(rows) - 1 == len(expected), label
    for number, (row, want) in enumerate(zip(rows[1:], expected), start=2):
        for field, text in zip(fields, row):
            assert typed(field, text) == want[field["name"]], (label, number, field["name"], text)


@pytest.fixture(scope="module")
def tables():
    return flat.read_rows()


@pytest.fixture(scope="module")
def workbook_as_csv(tmp_path_factory, tables):
    """Every sheet of the workbook, opened by LibreOffice with no settings at all and saved as CSV."""
    folder = tmp_path_factory.mktemp("workbook")
    (folder / "book.xlsx").write_bytes(workbook_bytes(tables=tables))
    soffice(folder, "--convert-to", UTF8_EXPORT_ALL_SHEETS, "--outdir", str(folder / "out"), str(folder / "book.xlsx"))
    return folder / "out"


@pytest.mark.parametrize("table", sch.table_names())
def test_workbook_table_sheets_come_back_cell_for_cell(workbook_as_csv, tables, table):
    rows = read_csv(workbook_as_csv / f"book-{table}.csv")
    assert_same_cells(rows, sch.table_schema(table)["fields"], tables[table], table)


def test_workbook_events_flat_comes_back_cell_for_cell(workbook_as_csv, tables):
    columns, expected = flat.events_flat(tables)
    rows = read_csv(workbook_as_csv / "book-events_flat.csv")
    assert_same_cells(rows, columns, expected, "events_flat")
    assert any(
        "\u0600" <= ch <= "\u06ff" for row in rows for ch in row[[c["name"] for c in columns].index("quotes_ar")]
    )


@pytest.fixture(scope="module")
def bom_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bom")
    for name, data in spreadsheet_csv_files().items():
        (folder / name).write_bytes(data)
    return folder


def test_bom_csv_with_the_documented_import_settings_comes_back_cell_for_cell(bom_files, tables, tmp_path):
    names = sorted(p.name for p in bom_files.glob("*.csv"))
    soffice(
        tmp_path,
        f"--infilter={UTF8_IMPORT}",
        "--convert-to",
        UTF8_EXPORT,
        "--outdir",
        str(tmp_path / "out"),
        *[str(bom_files / n) for n in names],
    )
    for table in sch.table_names():
        assert_same_cells(
            read_csv(tmp_path / "out" / f"{table}.csv"), sch.table_schema(table)["fields"], tables[table], table
        )
    columns, expected = flat.events_flat(tables)
    assert_same_cells(read_csv(tmp_path / "out" / "events_flat.csv"), columns, expected, "events_flat")


def test_without_import_settings_headless_libreoffice_reads_windows_1252(bom_files, tmp_path):
    """Why docs/spreadsheets.md gives the import settings: with no filter options, a headless conversion
    (there is no import dialog to sniff the byte-order mark) decodes the file as Windows-1252."""
    openpyxl = pytest.importorskip("openpyxl")
    soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(bom_files / "places.csv"))
    sheet = openpyxl.load_workbook(tmp_path / "out" / "places.xlsx").active
    header = [c.value for c in sheet[1]]
    name_ar = sheet.cell(2, header.index("name_ar") + 1).value
    original = spreadsheet_csv_files()["places.csv"].decode("utf-8-sig")
    first = next(csv.DictReader(io.StringIO(original)))
    assert header[0] == "\u00ef\u00bb\u00bfplace_id"  # the byte-order mark, shown as three Windows-1252 characters
    assert name_ar != first["name_ar"] and "\u00d8" in name_ar  # Arabic letters turned into mojibake


def test_bom_csv_with_only_the_character_set_chosen_shows_arabic(bom_files, tmp_path):
    """The one setting that matters: the character set. Separator, quote and header line are the defaults."""
    openpyxl = pytest.importorskip("openpyxl")
    soffice(
        tmp_path,
        "--infilter=CSV:44,34,76",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(tmp_path / "out"),
        str(bom_files / "claims.csv"),
    )
    sheet = openpyxl.load_workbook(tmp_path / "out" / "claims.xlsx").active
    original = list(csv.DictReader(io.StringIO(spreadsheet_csv_files()["claims.csv"].decode("utf-8-sig"))))
    header = [c.value for c in sheet[1]]
    assert header[0] == "claim_id"  # the byte-order mark is consumed, not shown
    quotes = [sheet.cell(r, header.index("quote") + 1).value for r in range(2, sheet.max_row + 1)]
    assert quotes == [row["quote"] for row in original]


@pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "pdffonts", "pdftotext", "fc-list")),
    reason="poppler-utils or fontconfig is not installed",
)
def test_events_flat_prints_with_its_arabic_drawn_in_an_arabic_font(root, tmp_path):
    script = root / "scripts" / "render_events_flat.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path / "events_flat.png"), "--rows", "5"],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ, HOME=str(tmp_path)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Arabic drawn with: " in result.stdout
    assert (tmp_path / "events_flat.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.skipif(not all(shutil.which(t) for t in ("pdfinfo", "pdftotext")), reason="poppler-utils is not installed")
def test_workbook_prints_landscape_one_page_wide_with_the_header_on_every_page(tmp_path, tables):
    """LibreOffice prints the workbook to PDF: every page is landscape, shows its sheet's first and last
    columns (one page wide) under the header row (repeated), and the whole book fits in few pages."""
    (tmp_path / "book.xlsx").write_bytes(workbook_bytes(tables=tables))
    soffice(tmp_path, "--convert-to", "pdf", "--outdir", str(tmp_path / "out"), str(tmp_path / "book.xlsx"))
    pdf = tmp_path / "out" / "book.pdf"
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True, text=True).stdout
    sizes = [
        tuple(map(float, line.split("size:")[1].split("pts")[0].split(" x ")))
        for line in info.splitlines()
        if line.startswith("Page ") and " size:" in line
    ]
    assert sizes and all(width > height for width, height in sizes)  # landscape
    # Portrait and four columns a page, the 0.x workbook printed on 386 pages.
    assert len(sizes) < 60
    headers = {t: [f["name"] for f in sch.table_schema(t)["fields"]] for t in sch.table_names()}
    headers["events_flat"] = [c["name"] for c in flat.columns()]
    headers["codebook"] = ["sheet", "description"]
    seen = set()
    for page in range(1, len(sizes) + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True
        ).stdout
        footer = [line for line in text.splitlines() if line.strip()][-1].split()
        sheet = footer[0]
        assert footer[-4:] == ["Page", str(page), "of", str(len(sizes))], footer
        seen.add(sheet)
        if sheet in headers:
            words = set(text.split())
            assert {headers[sheet][0], headers[sheet][-1]} <= words, (sheet, page)
    assert seen == {"README", *headers}  # every sheet printed, the hidden vocabularies not
