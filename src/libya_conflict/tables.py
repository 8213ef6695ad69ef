"""Reading and writing the CSV tables, and turning their text into typed Arrow columns.

The CSV files in ``data/`` are the curated source. They are read as text, never with type inference,
and converted column by column (vectorised with ``pyarrow.compute``) following ``schemas/``. The same
conversion feeds the Parquet build and the validator, so a cell the build accepts is a cell the
validator accepts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .schema import DATE_RE, INTEGER_RE, NUMBER_RE, enum_of, table_schema

# Python's csv module refuses cells over 128 KiB; a curated cell (a long note, a pasted paragraph) may
# be of any size, and a damaged file must be diagnosed, not crash the reader.
csv.field_size_limit(max(csv.field_size_limit(), (1 << 31) - 1))


@dataclass(frozen=True)
class CellError:
    """A cell whose text is not of its column's type (row is 0-based, header excluded)."""

    row: int
    column: str
    value: str
    message: str


def read_text_table(path: Path):
    """Read a CSV file as an Arrow table of strings: no inference, empty cells stay ``""``.

    Raises ``ValueError`` with the file name when the file is not UTF-8 or not well-formed CSV.
    """
    return parse_text_table(Path(path).read_bytes(), path)


BLOCK_SIZE = 1 << 22
# A header line longer than this is not a header: the file is something else.
HEADER_LIMIT = 1 << 20
# Delimiters a spreadsheet uses instead of the comma in some locales, with their names in messages.
OTHER_DELIMITERS = {";": "`;`", "\t": "tab", "|": "`|`"}


def parse_text_table(data, path):
    """:func:`read_text_table` on the bytes of a file already read or memory-mapped (any buffer; ``path``
    names the file in errors).

    Every reading problem is a ``ValueError`` whose message names the file, the line and, where it can,
    the column, and says what to do; it never quotes the file's content beyond a column name. A header
    that names a column twice is kept as read in the table's metadata (``header``, a JSON list), while the
    columns themselves get unique names ("status", "status#2") so that nothing of the file is dropped.
    """
    import json

    import pyarrow as pa

    view = memoryview(data).cast("B")
    if bytes(view[:2]) in (b"\xff\xfe", b"\xfe\xff"):
        raise ValueError(f"{path} line 1: {encoding_hint(bytes(view[:4096]))}; save it as UTF-8")
    if view[:3] == b"\xef\xbb\xbf":
        view = view[3:]
    if len(view) == 0:
        raise ValueError(f"{path} is empty: a table needs at least its header line")
    head = bytes(view[:HEADER_LIMIT])
    end = head.find(b"\n")
    if end < 0 and len(view) > HEADER_LIMIT:
        raise ValueError(
            f"{path}: its first line is over {HEADER_LIMIT >> 20} MiB long: not a CSV header "
            f"({encoding_hint(head[:4096])})"
        )
    first_line = head if end < 0 else head[:end]
    if b"\x00" in first_line:
        raise ValueError(f"{path} line 1: {encoding_hint(head[:4096])}; save it as UTF-8 CSV")
    try:
        header = header_names(first_line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path} line 1: not UTF-8 ({encoding_hint(head[:4096])}); save it as UTF-8") from None
    except csv.Error as exc:
        raise ValueError(f"{path} line 1: the header cannot be read as CSV ({exc})") from None
    if len(header) == 1:
        for delimiter, name in OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                raise ValueError(
                    f"{path} line 1: the header looks {name}-separated, not comma-separated "
                    "(spreadsheets in some locales save CSV so): save it with commas"
                )
    names = unique_names(header)
    if end < 0 or (len(view) - end <= 64 and not bytes(view[end + 1 :]).strip(b"\r\n")):
        # The header alone: an empty table.
        table = pa.table({name: pa.array([], pa.large_string()) for name in names})
    else:
        table = _parse_rows(view, names, path)
    if names != header:
        table = table.replace_schema_metadata({b"header": json.dumps(header).encode()})
    return table


def _parse_rows(view, names, path):
    """The rows of a CSV file (header included, skipped) as an Arrow table of strings."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    # First without newlines_in_values: pyarrow then cuts the file into blocks at line ends and parses them
    # in parallel, about twice as fast. A cell holding a line break that a cut falls in makes pyarrow stop
    # ("out of sync with chunker"); any failure is retried with the line-break-aware reader. A row longer
    # than a block (a cell of megabytes) is read once more with one block for the whole file.
    attempts = [(False, BLOCK_SIZE), (True, BLOCK_SIZE), (True, max(BLOCK_SIZE, len(view) + 1))]
    for newlines_in_values, block_size in attempts:
        try:
            return pacsv.read_csv(
                pa.py_buffer(view),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=block_size),
                parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
                convert_options=pacsv.ConvertOptions(
                    # 64-bit offsets, as pandas keeps its Arrow strings: no column is converted later.
                    column_types={name: pa.large_string() for name in names},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    check_utf8=True,
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if newlines_in_values and "straddl" not in str(exc):
                break
    raise ValueError(diagnose(bytes(view), path, names))


def header_names(line: str) -> list[str]:
    """The column names of a CSV header line."""
    return next(csv.reader([line.rstrip("\r")]), [])


def unique_names(header: list[str]) -> list[str]:
    """The header with every repeated name numbered ("status", "status#2"), so that no column is lost."""
    used, out = set(), []
    for name in header:
        unique, n = name, 1
        while unique in used:  # "x#2" may itself be a name the header gives
            n += 1
            unique = f"{name}#{n}"
        used.add(unique)
        out.append(unique)
    return out


def duplicated_names(header: list[str]) -> list[str]:
    """Names a header gives more than once, in order."""
    return sorted({n for n in header if header.count(n) > 1}, key=header.index)


def encoding_hint(sample: bytes) -> str:
    """What a file that is not UTF-8 most likely is, in words (from its first few kilobytes)."""
    sample = bytes(sample[:4096])
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "it looks UTF-16 (it starts with a UTF-16 byte-order mark)"
    zeros = sample.count(0)
    if zeros and zeros >= len(sample) // 4:
        return "it looks UTF-16 (every other byte is zero)"
    controls = sum(1 for b in sample if b < 0x20 and b not in (0x09, 0x0A, 0x0D))
    if zeros or controls > len(sample) // 50:
        return "it looks binary, not text"
    arabic = sum(1 for ch in sample.decode("cp1256", "replace") if "\u0621" <= ch <= "\u064a")
    high = sum(1 for b in sample if b >= 0x80)
    if high and arabic >= high // 2:
        return "it looks Windows-1256 (Arabic Windows), as Excel saves Arabic CSV"
    try:
        sample.decode("cp1252")
        return "it looks Windows-1252 (Western Windows) or Latin-1"
    except UnicodeDecodeError:
        return "its encoding is unknown"


def diagnose(data: bytes, path, header: list[str]) -> str:
    """Why the CSV ``data`` cannot be read, in words: the line, the column and what to do."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8", "replace")
        column = len(next(csv.reader([before]), [""])) - 1
        where = f" (column {header[column]!r})" if 0 <= column < len(header) else ""
        return (
            f"{path} line {line}{where}: not UTF-8 ({encoding_hint(data[:4096])}, first bad byte "
            f"0x{data[exc.start]:02X}); save it as UTF-8"
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return f"{path} line {line}: holds a NUL byte ({encoding_hint(data[:4096])}); save it as UTF-8 CSV"
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            if reader.line_num > 1 and len(row) != len(header) and row:
                return (
                    f"{path} line {reader.line_num}: {len(row)} cells where the header has {len(header)}: a comma "
                    "too many or too few, or a cell holding a comma or a quote that is not quoted"
                )
    except csv.Error as exc:
        return (
            f"{path} line {reader.line_num}: not well-formed CSV ({exc}): a quote opened and never closed, "
            "or a line break inside an unquoted cell"
        )
    return f"{path}: cannot be read as CSV (its quoting or line ends are not RFC 4180)"


_PATTERNS = {"integer": INTEGER_RE, "number": NUMBER_RE, "date": DATE_RE}
_EXPECTED = {
    "integer": "an integer written with ASCII digits",
    "number": "a decimal number written with ASCII digits",
    "date": "an ISO date YYYY-MM-DD",
    "boolean": "true or false",
}


def _bad_rows(column, valid_mask) -> list[int]:
    import pyarrow.compute as pc

    return pc.indices_nonzero(pc.invert(valid_mask)).to_pylist()


def empty_as_null(column, empty):
    """The string column with its ``empty`` cells made null. The text is not copied: only a validity
    bitmap is made (a copy of every string costs seconds on a million-row table)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.offset or column.null_count or column.type not in (pa.string(), pa.large_string()):
        return pc.if_else(empty, pa.scalar(None, pa.string()), column.cast(pa.string()))
    valid = pc.invert(empty)
    _, offsets, text = column.buffers()
    return pa.Array.from_buffers(column.type, len(column), [valid.buffers()[1], offsets, text], offset=0)


def typed_column(field: dict, column, vocabularies: bool = True):
    """Convert one string column to the field's Arrow type.

    Returns ``(array, bad_row_indices)``; bad cells become null in the array so that later rules
    still run on the rest of the column. With ``vocabularies=False`` a vocabulary column stays plain
    strings instead of being dictionary-encoded (the validator wants the text, typos included).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        if field["type"] == "string" and column.num_chunks > 1:
            # Chunk by chunk: combining the chunks would copy every string of the column.
            return pa.chunked_array([typed_column(field, chunk, vocabularies)[0] for chunk in column.chunks]), []
        column = column.combine_chunks()
    if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        column = column.cast(pa.large_string())  # text as read, whatever a reader made of it
    empty = pc.equal(column, "")
    kind = field["type"]
    if kind == "string":
        out = empty_as_null(column, empty)
        if enum_of(field) and vocabularies:
            out = out.dictionary_encode()
        return out, []
    if kind == "boolean":
        valid = pc.or_(empty, pc.is_in(column, pa.array(["true", "false"])))
        ok = pc.and_(valid, pc.invert(empty))
        out = pc.if_else(ok, pc.equal(column, "true"), pa.scalar(None, pa.bool_()))
        return out, _bad_rows(column, valid)
    pattern = _PATTERNS[kind].pattern
    valid = pc.or_(empty, pc.match_substring_regex(column, pattern))
    ok = pc.and_(valid, pc.invert(empty))
    target = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}[kind]
    cleaned = pc.if_else(ok, column, pa.scalar(None, pa.string()))
    bad = _bad_rows(column, valid)
    if kind == "date":
        # strptime rolls an impossible day over into the next month (2019-04-31 becomes 2019-05-01): a date
        # is taken only when its day is the day written.
        stamps = pc.strptime(cleaned, format="%Y-%m-%d", unit="s", error_is_null=True)
        # The day parsed is the day written (comparing two integers, not formatting a million dates).
        same = pc.equal(pc.day(stamps), pc.cast(pc.utf8_slice_codeunits(cleaned, 8, 10), pa.int64()))
        exact = pc.and_kleene(pc.is_valid(stamps), same.fill_null(False))
        out = pc.if_else(exact, stamps, pa.scalar(None, stamps.type)).cast(pa.date32())
        impossible = pc.and_(ok, pc.invert(exact))
        bad = sorted(set(bad) | set(pc.indices_nonzero(impossible).to_pylist()))
        return out, bad
    return pc.cast(cleaned, target), bad


def parse_cell(field: dict, text: str):
    """One CSV cell as a Python value, converted as :func:`typed_column` converts a whole column (the empty
    string is missing: ``None``). ``ValueError`` if it is not of the field's type.

    >>> parse_cell({"type": "date"}, "2020-06-04")
    datetime.date(2020, 6, 4)
    """
    import pyarrow as pa

    if field["type"] not in ("string", "boolean", *_PATTERNS):
        raise ValueError(f"unsupported field type {field['type']!r}")
    array, bad = typed_column(field, pa.array([text], pa.large_string()))
    if bad:
        raise ValueError(f"{text!r} is not {_EXPECTED[field['type']]}")
    return array[0].as_py()


def typed_table(table: str, text_table, root: Path | None = None, vocabularies: bool = True):
    """Convert a text table (as read by :func:`read_text_table`) to the schema's types.

    Returns ``(arrow_table, errors)`` where ``errors`` lists every cell that is not of its type.
    Columns missing from the file are not invented here: the validator reports them.
    ``vocabularies=False`` leaves vocabulary columns as plain strings (see :func:`typed_column`).
    """
    import pyarrow as pa

    schema = table_schema(table, root)
    arrays, names, errors = [], [], []
    for field in schema["fields"]:
        name = field["name"]
        if name not in text_table.column_names:
            continue
        column = text_table.column(name)
        array, bad = typed_column(field, column, vocabularies)
        for i in bad:
            value = column[i].as_py()
            shown = repr(value) if len(value) <= 80 else repr(value[:80]) + f"... ({len(value)} characters)"
            message = f"{shown} is not {_EXPECTED[field['type']]}"
            if field["type"] == "date" and DATE_RE.match(value):
                message = f"{shown} is not a date of the calendar (no such month, or that month has fewer days)"
            errors.append(CellError(i, name, value, message))
        arrays.append(array)
        names.append(name)
    return pa.table(arrays, names=names), errors


def write_csv(path: Path | None, header: list[str], rows: list[list[str]]) -> bytes:
    """The canonical CSV bytes of a table: UTF-8, LF line ends, minimal quoting. Returns the bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if path is not None:
        Path(path).write_bytes(data)
    return data


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV file as plain strings (for small, curated tables)."""
    return parse_csv_rows(Path(path).read_bytes(), str(path))


def parse_csv_rows(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the CSV bytes ``data`` as plain strings; ``ValueError`` naming ``name``, the line
    and what to do when they are not UTF-8 CSV."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise ValueError(f"{name} line 1: {encoding_hint(data[:4096])}; save it as UTF-8 CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(diagnose(data, name, [])) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        rows = [row for row in reader]
    except csv.Error as exc:
        raise ValueError(f"{name} line {reader.line_num}: not well-formed CSV ({exc})") from None
    if not header:
        raise ValueError(f"{name} is empty: a table needs at least its header line")
    if len(header) == 1:
        for delimiter, shown in OTHER_DELIMITERS.items():
            if delimiter in header[0]:
                raise ValueError(
                    f"{name} line 1: the header looks {shown}-separated, not comma-separated "
                    "(spreadsheets in some locales save CSV so): save it with commas"
                )
    return header, rows
