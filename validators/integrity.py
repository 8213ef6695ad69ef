"""Integrity rules: the files are the files the descriptor describes, and the copies agree.

These never stop the other families: a copy with stale hashes still gets every semantic problem reported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from libya_conflict import schema as sch

# Rows of a Parquet copy decoded at a time when comparing it with its CSV.
PARQUET_BATCH_ROWS = 1 << 16


def integrity_descriptor(package, report):
    """datapackage.json is a valid frictionless Data Package descriptor (spec validation)."""
    if package.descriptor is None:
        return
    from frictionless import Package

    try:
        result = Package.validate_descriptor(package.descriptor)
    except Exception as exc:  # frictionless raises on descriptors it cannot even parse
        report.add("", "", "", "integrity.descriptor", f"datapackage.json is not a Data Package descriptor: {exc}")
        return
    for error in result.flatten(["type", "note"]) if hasattr(result, "flatten") else []:
        report.add("", "", "", "integrity.descriptor", f"datapackage.json: {error[0]}: {error[1]}")


def integrity_resource_files(package, report):
    """Each CSV resource matches the ``bytes`` and ``sha256`` hash declared in datapackage.json."""
    if package.descriptor is None:
        return
    declared = {r.get("name"): r for r in package.descriptor.get("resources", [])}
    for table in sch.table_names():
        resource = declared.get(table)
        if resource is None:
            report.add(table, "", "", "integrity.schema_mismatch", f"datapackage.json has no resource named {table!r}")
            continue
        path = package.root / str(resource.get("path", ""))
        if not path.is_file():
            continue  # reported once, by the reader, as integrity.file_missing
        if resource.get("path") == f"data/{table}.csv" and table in package.files:
            size, digest = package.files[table]  # hashed as it was read
        else:
            data = path.read_bytes()
            size, digest = len(data), hashlib.sha256(data).hexdigest()
        if resource.get("bytes") != size:
            report.add(table, "", "", "integrity.bytes",
                       f"{resource.get('path')} has {size} bytes, datapackage.json says {resource.get('bytes')}")
        digest = "sha256:" + digest
        if resource.get("hash") != digest:
            report.add(table, "", "", "integrity.hash",
                       f"{resource.get('path')} has hash {digest}, datapackage.json says {resource.get('hash')}")


def integrity_declared_schema(package, report):
    """The schema declared for each resource in datapackage.json is the one in schemas/."""
    if package.descriptor is None:
        return
    for resource in package.descriptor.get("resources", []):
        name = resource.get("name")
        if name not in sch.schemas():
            report.add(str(name), "", "", "integrity.schema_mismatch", f"datapackage.json declares an unknown resource {name!r}")
            continue
        expected = {k: v for k, v in sch.table_schema(name).items() if k not in ("name", "title", "description")}
        if resource.get("schema") != expected:
            report.add(name, "", "", "integrity.schema_mismatch",
                       f"the schema declared for {name} in datapackage.json differs from schemas/{name}.schema.json")


def integrity_parquet(package, report):
    """The Parquet copy of each table holds exactly the values of its CSV (when the copy is present).

    A copy that is, byte for byte, the file the build wrote from this very CSV (the digests in its footer,
    see `libya_conflict.parquet`) holds those values by construction and is not decoded again; any other
    copy is compared value by value, and the columns that differ are named."""
    for table in package.typed:
        parquet_table(package, table, report)


def parquet_table(package, table: str, report) -> None:
    """:func:`integrity_parquet` for one table."""
    import pyarrow.parquet as pq

    from libya_conflict.parquet import written_from

    typed = package.typed[table]
    path = package.root / "data" / "parquet" / f"{table}.parquet"
    if not path.is_file():
        return
    try:
        parquet = pq.ParquetFile(path)
        names, rows = parquet.schema_arrow.names, parquet.metadata.num_rows
    except Exception as exc:
        report.add(table, "", "", "integrity.unreadable", f"data/parquet/{table}.parquet cannot be read: {exc}")
        return
    if rows != typed.num_rows:
        report.add(table, "", "", "integrity.parquet",
                   f"data/parquet/{table}.parquet has {rows} rows, data/{table}.csv has {typed.num_rows}")
        _unmatched_keys(package, table, parquet, report)
        return
    if typed.schema.names != names:
        report.add(table, "", "", "integrity.parquet", f"data/parquet/{table}.parquet columns differ from data/{table}.csv")
        return
    digest = package.files.get(table)
    if digest is not None and written_from(path, digest.sha256):
        return
    # A slice of rows at a time, all columns decoded together: the copy of a large table never sits in
    # memory whole beside the CSV's, and the memory of one slice is reused for the next.
    differs, at = set(), 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for name, copy in zip(names, batch.columns):
                if name not in differs and not _same_values(typed.column(name).slice(at, len(copy)), copy):
                    differs.add(name)
            at += batch.num_rows
    except Exception as exc:
        report.add(table, "", "", "integrity.unreadable", f"data/parquet/{table}.parquet cannot be read: {exc}")
        return
    for name in names:
        if name in differs:
            report.add(table, "", name, "integrity.parquet",
                       f"column {name} of data/parquet/{table}.parquet differs from data/{table}.csv")


def _unmatched_keys(package, table: str, parquet, report) -> None:
    """Name the rows that are in the CSV but not in its Parquet copy, and the keys only the copy has."""
    import pyarrow.compute as pc

    key = sch.primary_key(table)
    if key not in package.typed[table].column_names or key not in parquet.schema_arrow.names:
        return
    try:
        copy = parquet.read(columns=[key]).column(key)
    except Exception:  # a copy that cannot be decoded is reported by the comparison's own reading
        return
    if copy.type != package.typed[table].column(key).type:
        copy = copy.cast(package.typed[table].column(key).type)
    ours = package.typed[table].column(key)
    for row in pc.indices_nonzero(pc.invert(pc.is_in(ours, copy).fill_null(True))).to_pylist():
        report.add(table, package.row_key(table, row), key, "integrity.parquet",
                   f"this row is missing from data/parquet/{table}.parquet")
    for value in copy.filter(pc.invert(pc.is_in(copy, ours).fill_null(True))).to_pylist():
        report.add(table, str(value), key, "integrity.parquet",
                   f"data/parquet/{table}.parquet has a row with {key} {value!r} that data/{table}.csv lacks")


def _same_values(csv_column, parquet_column) -> bool:
    """Whether a column converted from the CSV and its Parquet copy hold the same values, of one type."""
    import pyarrow as pa

    if isinstance(parquet_column, pa.Array):
        parquet_column = pa.chunked_array([parquet_column])
    if pa.types.is_dictionary(parquet_column.type):
        # A vocabulary: compare the values, whatever dictionaries they sit behind.
        parquet_column = parquet_column.cast(parquet_column.type.value_type)
        if pa.types.is_dictionary(csv_column.type):
            csv_column = csv_column.cast(csv_column.type.value_type)
    try:
        csv_column = csv_column.cast(parquet_column.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return csv_column.equals(parquet_column)


def integrity_stale(package, report):
    """Generated files (canonical CSV, Parquet, datapackage.json, codebook) are up to date with their sources.

    Runs only on a project checkout (a folder with pyproject.toml and schemas/), where the build can run.
    """
    root = package.root
    if not (root / "pyproject.toml").is_file() or not (root / "schemas").is_dir():
        return
    from libya_conflict.build import BuildError, plan, stale_files

    try:
        stale = stale_files(root, plan(root))
    except BuildError as exc:
        for line in exc.problems:
            report.add("", "", "", "integrity.build", line)
        return
    for rel in stale:
        report.add("", "", "", "integrity.stale", f"{rel} is out of date: run `libya-conflict build`")


RULES = [integrity_descriptor, integrity_resource_files, integrity_declared_schema, integrity_parquet, integrity_stale]


def check_integrity(package, report) -> None:
    for rule in RULES:
        rule(package, report)
