"""Integrity rules: the files are the files the descriptor describes, and the copies agree.

These never stop the other families: a copy with stale hashes still gets every semantic problem reported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from libya_conflict import schema as sch


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
        data = path.read_bytes()
        if resource.get("bytes") != len(data):
            report.add(table, "", "", "integrity.bytes",
                       f"{resource.get('path')} has {len(data)} bytes, datapackage.json says {resource.get('bytes')}")
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
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
    """The Parquet copy of each table holds exactly the values of its CSV (when the copy is present)."""
    import pyarrow.parquet as pq

    from libya_conflict.tables import typed_table

    for table, text_table in package.text.items():
        path = package.root / "data" / "parquet" / f"{table}.parquet"
        if not path.is_file():
            continue
        try:
            parquet = pq.read_table(path)
        except Exception as exc:
            report.add(table, "", "", "integrity.unreadable", f"data/parquet/{table}.parquet cannot be read: {exc}")
            continue
        typed, _ = typed_table(table, text_table)
        typed = typed.cast(parquet.schema) if typed.schema.names == parquet.schema.names else typed
        if parquet.num_rows != typed.num_rows:
            report.add(table, "", "", "integrity.parquet",
                       f"data/parquet/{table}.parquet has {parquet.num_rows} rows, data/{table}.csv has {typed.num_rows}")
            continue
        if typed.schema.names != parquet.schema.names:
            report.add(table, "", "", "integrity.parquet", f"data/parquet/{table}.parquet columns differ from data/{table}.csv")
            continue
        for name in parquet.schema.names:
            a, b = typed.column(name), parquet.column(name)
            if not a.equals(b):
                report.add(table, "", name, "integrity.parquet",
                           f"column {name} of data/parquet/{table}.parquet differs from data/{table}.csv")


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
