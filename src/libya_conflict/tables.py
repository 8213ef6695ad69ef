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


def parse_text_table(data, path):
    """:func:`read_text_table` on the bytes of a file already read or memory-mapped (any buffer; ``path``
    names the file in errors)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    view = memoryview(data)
    if view[:3] == b"\xef\xbb\xbf":
        view = view[3:]
    first_line = bytes(view[:1 << 20]).split(b"\n", 1)[0]
    header = next(csv.reader(io.StringIO(first_line.decode("utf-8", "replace"))), [])
    # First without newlines_in_values: pyarrow then cuts the file into blocks at line ends and parses them
    # in parallel, about twice as fast. A cell holding a line break that a cut falls in makes pyarrow stop
    # ("out of sync with chunker"); any failure is retried with the line-break-aware reader, whose error
    # is the one reported.
    for newlines_in_values in (False, True):
        try:
            return pacsv.read_csv(
                pa.py_buffer(view),
                read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=BLOCK_SIZE),
                parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
                convert_options=pacsv.ConvertOptions(
                    # 64-bit offsets, as pandas keeps its Arrow strings: no column is converted later.
                    column_types={name: pa.large_string() for name in header},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    check_utf8=True,
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if newlines_in_values:
                raise ValueError(f"{path}: cannot be read as UTF-8 CSV: {exc}") from None


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
        # A well-formed but impossible date (2020-02-30) fails the cast: find it cell by cell.
        out = pc.strptime(cleaned, format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())
        impossible = pc.and_(ok, pc.is_null(out))
        bad = sorted(set(bad) | set(pc.indices_nonzero(impossible).to_pylist()))
        return out, bad
    return pc.cast(cleaned, target), bad


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
            errors.append(CellError(i, name, value, f"{value!r} is not {_EXPECTED[field['type']]}"))
        arrays.append(array)
        names.append(name)
    return pa.table(arrays, names=names), errors


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> bytes:
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
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        return header, [row for row in reader]
