"""The spreadsheet workbook: README, codebook, ``events_flat`` and one sheet per table.

>>> from libya_conflict.workbook import write_workbook
>>> write_workbook("libya-conflict.xlsx")                  # doctest: +SKIP

Cells keep their types: dates are dates, counts are numbers, booleans are booleans, missing values are
empty cells. Text is always written as text, so nothing a curator typed can become a formula or a link.
Vocabulary columns have a drop-down of their allowed values (from the hidden sheet ``vocabularies``).
Every sheet prints landscape, one page wide, with its header row on every page. The file has no clock
in it: building it twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from . import flat
from . import schema as sch

# The workbook's creation date in its document properties: XlsxWriter takes the clock unless given one.
# It is not a real date; a fixed value is what makes two builds byte-identical.
FIXED_CREATED = dt.datetime(2020, 1, 1, 0, 0, 0)
MAX_WIDTH = 60
ROW_HEIGHT = 15  # points: Excel's default for 11-point text
# Rows below the data that keep a vocabulary column's drop-down, for rows a user adds.
ROOM = 1000
# Columns holding several lines (one per claim) wrap, so every line shows.
MULTILINE = {"claim_ids", "quotes_ar", "quotes_en", "claimed_by"}


def rtl_columns(table: str) -> set[str]:
    """Columns of ``table`` written in Arabic, shown right-to-left.

    >>> sorted(rtl_columns("places"))
    ['name_ar']
    """
    if table == "events_flat":
        return {"place_ar", "quotes_ar"}
    names = {f["name"] for f in sch.table_schema(table)["fields"] if f.get("script") == "arabic"}
    if table == "claims":
        # Quotes are in the article's language, and articles.language allows only Arabic.
        names.add("quote")
    return names


def citation_text(root: Path | None = None) -> str:
    """One-line citation of the dataset with its version."""
    meta = sch.package_metadata(root)
    version = _version(root)
    authors = ", ".join(c["title"] for c in meta.get("contributors", []))
    return f"{authors}. {meta['title']}. Dataset, version {version}."


def _version(root: Path | None) -> str:
    path = (Path(root) if root else sch.package_root()) / "datapackage.json"
    return json.loads(path.read_text(encoding="utf-8"))["version"]


def readme_rows(root: Path | None = None) -> list[tuple[str, str]]:
    """The README sheet as (label, text) pairs: what the file is, how to cite it, how the sheets relate."""
    meta = sch.package_metadata(root)
    licences = "; ".join(f"{licence['name']} ({licence['title']})" for licence in meta.get("licenses", []))
    rows = [
        ("title", meta["title"]),
        ("version", _version(root)),
        ("description", meta["description"]),
        ("cite as", citation_text(root) + " Cite also the articles whose claims you rely on (sheet articles)."),
        ("licence", licences),
        ("licence note", meta.get("x-licence-note", "")),
        ("", ""),
        ("sheets", "How the sheets relate"),
        ("codebook", "Every column of every sheet: type, whether required, allowed values, meaning."),
        (
            "events_flat",
            "One row per event with its place, actors by role, casualties, equipment losses and "
            "quotes, so it can be filtered without joins. Derived from the table sheets.",
        ),
    ]
    for table, schema in sch.schemas(root).items():
        keys = [f"key {schema['primaryKey']}"]
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or table
            keys.append(f"{fk['fields']} -> {target}.{fk['reference']['fields']}")
        rows.append((table, f"{schema['description']} ({'; '.join(keys)})"))
    rows += [
        ("", ""),
        (
            "counting",
            "An event row is one article's report: count distinct happening_id (events_flat) to count "
            "happenings. Sum equipment quantity only where is_total is FALSE. Casualty rows sharing an "
            "alternative_group are conflicting reports of one figure: use one of them, never their sum.",
        ),
        ("dates", "date_earliest..date_latest is the range the text allows; date_precision says how precise it is."),
        ("empty cells", "An empty cell is a missing value (not reported). Zero means zero."),
        ("source", "Generated from the CSV tables of the data package; edit those, never this file."),
    ]
    return rows


def codebook_rows(root: Path | None = None) -> list[list[str]]:
    """The codebook sheet: sheet, column, type, required, allowed values, description (from schemas/)."""
    rows = []
    for table, schema in sch.schemas(root).items():
        for f in schema["fields"]:
            required = "yes" if f.get("constraints", {}).get("required") else ""
            rows.append([table, f["name"], f["type"], required, sch.allowed_values(f), f["description"]])
    for c in flat.columns():
        rows.append(["events_flat", c["name"], c["type"], "", "", c["description"]])
    return rows


def print_setup(sheet) -> None:
    """Printing a sheet: landscape, every column on one page's width, the header row on every page."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer("&L&A&RPage &P of &N")


class Vocabularies:
    """The hidden last sheet ``vocabularies``: one column per vocabulary column, its allowed values below
    its name. The drop-downs take their values from it (a list written inline may hold 255 characters
    only); their ranges are known before the sheet is written, after the table sheets."""

    NAME = "vocabularies"

    def __init__(self):
        self.values: dict[tuple[str, str], list[str]] = {}

    def column_of(self, table: str, field: dict) -> str:
        """The range that will hold the allowed values of ``table.field``."""
        from xlsxwriter.utility import xl_col_to_name

        key = (table, field["name"])
        if key not in self.values:
            self.values[key] = list(sch.enum_of(field))
        letter = xl_col_to_name(list(self.values).index(key))
        return f"={self.NAME}!${letter}$2:${letter}${len(self.values[key]) + 1}"

    def write(self, workbook, header_format) -> None:
        sheet = workbook.add_worksheet(self.NAME)
        for col, ((table, name), values) in enumerate(self.values.items()):
            sheet.write_string(0, col, f"{table}.{name}", header_format)
            for r, value in enumerate(values, start=1):
                sheet.write_string(r, col, value)
        sheet.hide()


class SheetWriter:
    """Writes typed sheets into one XlsxWriter workbook, with the formats they share."""

    def __init__(self, workbook, vocabularies: Vocabularies | None = None):
        self.workbook = workbook
        self.vocabularies = vocabularies
        self.header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#EEEEEE"})
        # Every cell sits at the top, so a row's one-line cells line up with the first line of its wrapped ones.
        self.top = workbook.add_format({"valign": "top"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.rtl = workbook.add_format({"reading_order": 2, "align": "right", "valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_rtl = workbook.add_format({"text_wrap": True, "valign": "top", "reading_order": 2, "align": "right"})

    def table(self, name: str, fields: list[dict], rows: list[dict], rtl: set[str]):
        """A sheet with a frozen header, an autofilter and widths that fit the content."""
        sheet = self.workbook.add_worksheet(name)
        widths = []
        for col, field in enumerate(fields):
            sheet.write_string(0, col, field["name"], self.header)
            widths.append(len(field["name"]))
        wrapped = {}  # row -> [(column, text)] of cells that wrap
        for r, row in enumerate(rows, start=1):
            for col, field in enumerate(fields):
                value = row[field["name"]]
                if value is None or value == "":
                    continue  # missing stays an empty cell
                text = self.cell(sheet, r, col, field, value, rtl)
                widths[col] = max(widths[col], max(len(line) for line in text.split("\n")))
                if field["name"] in MULTILINE:
                    wrapped.setdefault(r, []).append((col, text))
        widths = [min(width + 2, MAX_WIDTH) for width in widths]
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        # Spreadsheets do not grow a row to fit wrapped text on opening: give it the height of its lines.
        for r, cells in wrapped.items():
            lines = max(sum(-(-max(len(line), 1) // widths[col]) for line in text.split("\n")) for col, text in cells)
            if lines > 1:
                sheet.set_row(r, ROW_HEIGHT * lines)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(fields) - 1)
        print_setup(sheet)
        for col, field in enumerate(fields):
            if self.vocabularies is not None and sch.enum_of(field):
                self.drop_down(sheet, col, name, field, len(rows))
        return sheet

    def drop_down(self, sheet, col: int, table: str, field: dict, rows: int) -> None:
        """A drop-down of the allowed values on a vocabulary column, refusing anything else, down to
        :data:`ROOM` rows below the data (rows a user adds)."""
        source = self.vocabularies.column_of(table, field)
        sheet.data_validation(
            1,
            col,
            rows + ROOM,
            col,
            {
                "validate": "list",
                "source": source,
                "ignore_blank": True,
                "error_type": "stop",
                "error_title": field["name"],
                "error_message": f"Allowed values of {field['name']}: see the codebook sheet.",
            },
        )

    def cell(self, sheet, r: int, col: int, field: dict, value, rtl: set[str]) -> str:
        """Write one typed cell; return its text (to size the column)."""
        kind = field["type"]
        if kind == "date":
            sheet.write_datetime(r, col, dt.datetime.combine(value, dt.time()), self.date)
            return "yyyy-mm-dd"
        if kind in ("integer", "number"):
            sheet.write_number(r, col, value, self.top)
            return str(value)
        if kind == "boolean":
            sheet.write_boolean(r, col, value, self.top)
            return "FALSE"
        name = field["name"]
        if name in MULTILINE:
            fmt = self.wrap_rtl if name in rtl else self.wrap
        else:
            fmt = self.rtl if name in rtl else self.top
        sheet.write_string(r, col, value, fmt)
        return value


def workbook_bytes(root: Path | None = None, tables: dict[str, list[dict]] | None = None) -> bytes:
    """The workbook as bytes, from the data package in ``root`` (default: the bundled one)."""
    from .extras import require

    require("xlsx", "the workbook")
    import xlsxwriter

    tables = tables if tables is not None else flat.read_rows(root)
    buffer = io.BytesIO()
    # Text is never turned into a formula, a link or a number, whatever it starts with.
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    meta = sch.package_metadata(root)
    workbook.set_properties(
        {
            "title": meta["title"],
            "author": ", ".join(c["title"] for c in meta.get("contributors", [])),
            "comments": citation_text(root),
            "created": FIXED_CREATED,
        }
    )
    writer = SheetWriter(workbook)

    readme = workbook.add_worksheet("README")
    bold = workbook.add_format({"bold": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = workbook.add_format({"bold": True, "font_size": 14})
    for r, (label, text) in enumerate(readme_rows(root)):
        if label:  # blank rows separate the parts
            readme.write_string(r, 0, label, bold)
            readme.write_string(r, 1, text, title if r == 0 else wrap)
    readme.set_column(0, 0, 18)
    readme.set_column(1, 1, 110)
    print_setup(readme)

    codebook_fields = [
        {"name": n, "type": "string"} for n in ("sheet", "column", "type", "required", "allowed values", "description")
    ]
    codebook = [dict(zip([f["name"] for f in codebook_fields], row)) for row in codebook_rows(root)]
    writer.table("codebook", codebook_fields, codebook, set())

    flat_columns, flat_rows = flat.events_flat(tables)
    writer.table("events_flat", flat_columns, flat_rows, rtl_columns("events_flat"))
    writer.vocabularies = Vocabularies()  # the tables' drop-downs
    for table in sch.table_names(root):
        writer.table(table, sch.table_schema(table, root)["fields"], tables[table], rtl_columns(table))
    writer.vocabularies.write(workbook, writer.header)
    workbook.close()
    return buffer.getvalue()


def write_workbook(path, root: Path | None = None) -> Path:
    """Write the workbook to ``path``; return the path."""
    path = Path(path)
    path.write_bytes(workbook_bytes(root))
    return path
