"""Writing the Parquet copies of the tables, and recognising a copy exactly as the build wrote it.

Every Parquet copy (from the build, ``libya-conflict synth`` or a test) is written here, with one set of
options, and carries two digests in its footer:

- ``libya_conflict.csv_sha256``: the sha256 of the CSV bytes it was converted from;
- ``libya_conflict.data_sha256``: the sha256 of its own bytes before the footer (its data pages).

A copy whose data pages still hash to the recorded digest is byte for byte the file that was written
from that CSV. When that CSV is also the one on disk (same sha256 as datapackage.json checks), the
copy's values are the CSV's converted by :func:`libya_conflict.tables.typed_table`, the conversion
the validator itself uses, and decoding it again to compare proves nothing more. Anything else (a copy
edited or rewritten by another tool, a CSV edited after the build, an older copy without digests) gets
the full value-by-value comparison. Like the hashes in datapackage.json, the digests catch accidents,
not a forger who rewrites them.

>>> import pyarrow as pa
>>> data = parquet_bytes(pa.table({"a": ["x"]}), csv_sha256="0" * 64)
>>> import io; written_from(io.BytesIO(data), "0" * 64)
True
"""

from __future__ import annotations

import hashlib
import io
import struct
from pathlib import Path

from . import schema as sch

CSV_SHA256 = b"libya_conflict.csv_sha256"
DATA_SHA256 = b"libya_conflict.data_sha256"
# A Parquet file ends with its footer, the footer's length (4 bytes, little-endian) and b"PAR1".
_TAIL = 8


def dictionary_columns(table: str) -> list[str]:
    """Columns stored dictionary-encoded: vocabularies and keys of other rows, whose values repeat.

    Unique keys and free text gain nothing from a dictionary but cost time to decode."""
    schema = sch.table_schema(table)
    referencing = set()
    for key in schema.get("foreignKeys", []):
        fields = key["fields"]
        referencing.update([fields] if isinstance(fields, str) else fields)
    return [
        f["name"]
        for f in schema["fields"]
        if f["type"] == "string" and ("enum" in f.get("constraints", {}) or f["name"] in referencing)
    ]


def copy_table(table_name: str, typed, root: Path | None = None):
    """The Arrow table a Parquet copy of ``table_name`` holds, from its ``typed`` columns (as
    :func:`libya_conflict.tables.typed_table` converts them from the CSV): the types, nullability and
    metadata of :func:`libya_conflict.schema.arrow_schema`, and every vocabulary column dictionary-encoded
    over all of its allowed values in the schema's order, so that any reader (pandas, polars, R) sees the
    same levels, used or not, in every version of the data.

    A value outside the vocabulary (data that will not validate) is kept, after the allowed ones; a
    required column with a missing value is left nullable: the file holds what the CSV holds, and the
    validator reports it."""
    import pyarrow as pa

    target = sch.arrow_schema(table_name, root)
    columns, fields = [], []
    for field in target:
        column = typed.column(field.name)
        if pa.types.is_dictionary(field.type):
            column = full_dictionary(column, sch.vocabulary(table_name, field.name, root))
        elif column.type != field.type:
            column = column.cast(field.type)
        if not field.nullable and column.null_count:
            field = field.with_nullable(True)
        columns.append(column)
        fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=target.metadata))


def full_dictionary(column, levels: list[str]):
    """A string (or dictionary) column encoded over the dictionary ``levels`` (then any other value it
    holds, sorted), in that order, whether each level occurs or not.

    >>> import pyarrow as pa
    >>> full_dictionary(pa.chunked_array([["b", None]]), ["a", "b"]).chunk(0).dictionary.to_pylist()
    ['a', 'b']
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    values = column.cast(pa.string())
    extra = sorted(set(pc.unique(values).drop_null().to_pylist()) - set(levels))
    dictionary = pa.array(list(levels) + extra, pa.string())
    indices = pc.index_in(values, value_set=dictionary).cast(pa.int32())
    kind = pa.dictionary(pa.int32(), pa.string())
    return pa.chunked_array([pa.DictionaryArray.from_arrays(chunk, dictionary) for chunk in indices.chunks], kind)


def parquet_bytes(table, csv_sha256: str, dictionary: list[str] | None = None) -> bytes:
    """The Parquet file of an Arrow ``table`` converted from CSV bytes whose sha256 is ``csv_sha256``.

    ``dictionary``: the columns to dictionary-encode (default: every string column)."""
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    writer = pq.ParquetWriter(
        sink,
        table.schema,
        compression="zstd",
        write_statistics=True,
        use_dictionary=True if dictionary is None else dictionary,
    )
    writer.write_table(table)
    # Every row group is in the sink now; only the footer is left to write, and it can still take metadata.
    with sink.getbuffer() as pages:  # released before the footer is written: the sink must grow again
        data_sha256 = hashlib.sha256(pages).hexdigest()
    writer.add_key_value_metadata({CSV_SHA256.decode(): csv_sha256, DATA_SHA256.decode(): data_sha256})
    writer.close()
    return sink.getvalue()


def copy_bytes(table_name: str, table, csv_sha256: str) -> bytes:
    """The Parquet copy of table ``table_name`` (its typed Arrow ``table``), as every copy is written."""
    return parquet_bytes(table, csv_sha256, dictionary_columns(table_name))


def write_parquet(path: Path, table_name: str, table, csv_sha256: str) -> None:
    """Write the typed copy ``table`` of ``table_name`` (see :func:`copy_bytes`) to ``path``."""
    Path(path).write_bytes(copy_bytes(table_name, table, csv_sha256))


def written_from(source, csv_sha256: str) -> bool:
    """Whether the Parquet file ``source`` (a path or a binary file object) is, byte for byte, a copy
    written by :func:`parquet_bytes` from CSV bytes whose sha256 is ``csv_sha256``.

    Reads the footer and hashes the data pages; decodes nothing. False for any file it cannot read."""
    import contextlib

    import pyarrow.parquet as pq

    try:
        opened = open(source, "rb") if isinstance(source, (str, Path)) else contextlib.nullcontext(source)
        with opened as handle:  # a file object given is left open
            handle.seek(0, io.SEEK_END)
            size = handle.tell()
            handle.seek(size - _TAIL)
            footer_length, magic = struct.unpack("<I4s", handle.read(_TAIL))
            if magic != b"PAR1" or footer_length + _TAIL > size:
                return False
            handle.seek(0)
            recorded = pq.read_metadata(handle).metadata or {}
            if recorded.get(CSV_SHA256) != csv_sha256.encode() or DATA_SHA256 not in recorded:
                return False
            return _digest(handle, size - footer_length - _TAIL).encode() == recorded[DATA_SHA256]
    except (OSError, ValueError, struct.error):
        return False


def _digest(handle, length: int, chunk: int = 1 << 23) -> str:
    """sha256 (hex) of the first ``length`` bytes of a binary file, read through one reused buffer."""
    digest, buffer = hashlib.sha256(), bytearray(chunk)
    view = memoryview(buffer)
    handle.seek(0)
    while length > 0:
        got = handle.readinto(view[: min(chunk, length)])
        if not got:
            raise ValueError("file shorter than its footer says")
        digest.update(view[:got])
        length -= got
    return digest.hexdigest()
