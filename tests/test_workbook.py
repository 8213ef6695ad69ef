"""The workbook, as a spreadsheet user meets it: typed cells, nothing executable, the same bytes every time."""

import copy
import datetime as dt
import hashlib
import io
import subprocess
import sys
import zipfile

import pytest

openpyxl = pytest.importorskip("openpyxl")

from libya_conflict import flat
from libya_conflict import schema as sch
from libya_conflict.workbook import MAX_WIDTH, rtl_columns, workbook_bytes

TABLES = sch.table_names()


@pytest.fixture(scope="module")
def tables():
    return flat.read_rows()


@pytest.fixture(scope="module")
def data(tables):
    return workbook_bytes(tables=tables)


@pytest.fixture(scope="module")
def book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_records(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row)) for row in rows[1:]]


def as_cell(field, value):
    """What a spreadsheet holds for a typed value: dates become date-times at midnight."""
    if value is not None and field["type"] == "date":
        return dt.datetime.combine(value, dt.time())
    return value


def test_sheets_are_readme_codebook_events_flat_then_every_table(book):
    assert book.sheetnames == ["README", "codebook", "events_flat", *TABLES, "vocabularies"]
    assert book["vocabularies"].sheet_state == "hidden"


@pytest.mark.parametrize("table", TABLES)
def test_every_table_sheet_holds_the_table_cell_for_cell(book, tables, table):
    fields = sch.table_schema(table)["fields"]
    header, records = sheet_records(book[table])
    assert header == [f["name"] for f in fields]
    assert len(records) == len(tables[table])
    for record, row in zip(records, tables[table]):
        for field in fields:
            assert record[field["name"]] == as_cell(field, row[field["name"]]), (table, field["name"])


def test_events_flat_sheet_holds_events_flat(book, tables):
    columns, rows = flat.events_flat(tables)
    header, records = sheet_records(book["events_flat"])
    assert header == [c["name"] for c in columns]
    assert [[r[c["name"]] for c in columns] for r in records] == [
        [as_cell(c, row[c["name"]]) for c in columns] for row in rows
    ]


def test_cells_have_real_types_and_missing_values_are_empty(book):
    events = book["events"]
    header = [c.value for c in events[1]]
    first = {name: cell for name, cell in zip(header, events[2])}
    assert first["date_earliest"].is_date and first["date_earliest"].number_format == "yyyy-mm-dd"
    assert book["claims"]["F2"].data_type == "n" and isinstance(book["claims"]["F2"].value, int)
    assert isinstance(book["places"]["L2"].value, bool)  # in_coverage
    for sheet in book.worksheets:
        assert not any(cell.value == "" for row in sheet.iter_rows() for cell in row), sheet.title


def test_no_cell_is_a_formula(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            xml = archive.read(name)
            assert b"<f>" not in xml and b"<f " not in xml, name


def test_text_that_looks_like_a_formula_or_a_link_stays_text(tables):
    doctored = copy.deepcopy(tables)
    doctored["events"][0]["description_en"] = '=HYPERLINK("http://example.org","click")'
    doctored["actors"][0]["note"] = "+1 =SUM(1,2)"
    doctored["places"][0]["coord_source"] = "https://example.org/coordinates"
    data = workbook_bytes(tables=doctored)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book["events"]["M2"].value == '=HYPERLINK("http://example.org","click")'
    assert book["events"]["M2"].data_type == "s"
    assert book["actors"]["J2"].value == "+1 =SUM(1,2)"
    assert book["places"]["N2"].hyperlink is None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any("hyperlink" in n or "externalLink" in n for n in archive.namelist())
        assert all(b"<f>" not in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_building_in_another_process_gives_the_same_bytes(data):
    code = "import hashlib, libya_conflict.workbook as w; print(hashlib.sha256(w.workbook_bytes()).hexdigest())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert other == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("sheet_name", ["codebook", "events_flat", *TABLES])
def test_header_row_is_frozen_and_filterable(book, sheet_name):
    sheet = book[sheet_name]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    widths = {}
    for dimension in sheet.column_dimensions.values():  # adjacent columns of equal width share one entry
        widths.update({i: dimension.width for i in range(dimension.min, dimension.max + 1)})
    for column in range(1, sheet.max_column + 1):
        assert len(sheet.cell(1, column).value) < widths[column] <= MAX_WIDTH + 2, (sheet_name, column)


@pytest.mark.parametrize("sheet_name", ["events_flat", "places", "actors", "claims", "equipment_losses"])
def test_arabic_columns_read_right_to_left(book, sheet_name):
    sheet = book[sheet_name]
    header = [c.value for c in sheet[1]]
    arabic = rtl_columns(sheet_name)
    assert arabic, "every sheet tested here has Arabic text"
    for row in sheet.iter_rows(min_row=2):
        for name, cell in zip(header, row):
            if cell.value is None:
                continue
            assert (cell.alignment.readingOrder == 2) == (name in arabic), (sheet_name, name)


def test_arabic_columns_hold_arabic_and_the_others_do_not_need_it(book):
    arabic_letter = lambda text: any("\u0600" <= ch <= "\u06ff" for ch in text)
    _, places = sheet_records(book["places"])
    assert all(arabic_letter(p["name_ar"]) for p in places)
    _, claims = sheet_records(book["claims"])
    assert all(arabic_letter(c["quote"]) for c in claims)


def test_codebook_sheet_describes_every_column_of_every_sheet(book):
    _, entries = sheet_records(book["codebook"])
    for sheet_name in ["events_flat", *TABLES]:
        header = [c.value for c in book[sheet_name][1]]
        documented = [e for e in entries if e["sheet"] == sheet_name]
        assert [e["column"] for e in documented] == header
        assert all(e["description"] and e["type"] for e in documented)
    status = next(e for e in entries if e["sheet"] == "events" and e["column"] == "status")
    assert all(value in status["allowed values"] for value in ("occurred", "announced", "denied"))


def test_readme_sheet_gives_title_version_citation_and_licence(book):
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row[0]}
    meta = sch.package_metadata()
    from libya_conflict import datapackage

    assert readme["title"] == meta["title"]
    assert readme["version"] == datapackage()["version"]
    assert datapackage()["version"] in readme["cite as"]
    assert "CC-BY-4.0" in readme["licence"]
    assert all(table in readme for table in TABLES)


def test_cli_export_xlsx_writes_the_workbook(tmp_path, data):
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "export", "--format", "xlsx", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "libya-conflict.xlsx").read_bytes() == data


def test_vocabulary_columns_offer_their_allowed_values_and_refuse_others(book):
    vocabularies = book["vocabularies"]
    lists = {
        vocabularies.cell(1, c).value: [
            vocabularies.cell(r, c).value
            for r in range(2, vocabularies.max_row + 1)
            if vocabularies.cell(r, c).value is not None
        ]
        for c in range(1, vocabularies.max_column + 1)
    }
    for table in TABLES:
        sheet = book[table]
        header = [c.value for c in sheet[1]]
        checks = {}
        for validation in sheet.data_validations.dataValidation:
            assert validation.type == "list" and validation.errorStyle in (None, "stop")
            sheet_name, cells = validation.formula1.split("!")
            assert sheet_name == "vocabularies"
            column = str(validation.sqref).split(":")[0].rstrip("0123456789")
            checks[header[openpyxl_column(column) - 1]] = validation
        for field in sch.table_schema(table)["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum:
                validation = checks.pop(field["name"])
                first, last = validation.formula1.split("!")[1].replace("$", "").split(":")
                col = openpyxl_column(first.rstrip("0123456789"))
                assert lists[vocabularies.cell(1, col).value] == enum, (table, field["name"])
                assert int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == len(enum) + 1
        assert not checks, (table, sorted(checks))  # no drop-down on a free column


def openpyxl_column(letters: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters)


def test_every_sheet_prints_landscape_one_page_wide_with_its_header(book):
    for sheet in book.worksheets:
        if sheet.title == "vocabularies":
            continue
        assert sheet.page_setup.orientation == "landscape", sheet.title
        # fitToWidth 1 is the file format's default, which openpyxl reads as None when it is left out.
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.print_title_rows.replace("$", "") == "1:1", sheet.title
