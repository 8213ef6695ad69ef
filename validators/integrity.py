"""Integrity rules: the files are the files the descriptor describes, and the copies agree.

These never stop the other families: a copy with stale hashes still gets every semantic problem reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from libya_conflict import schema as sch

from .rule import rule

# Rows of a Parquet copy decoded at a time when comparing it with its CSV.
PARQUET_BATCH_ROWS = 1 << 16


# Profiles frictionless carries inside itself: naming one fetches nothing. Any other URL is never handed to it.
LOCAL_PROFILES = {
    f"https://datapackage.org/profiles/2.0/{name}.json"
    for name in ("datapackage", "dataresource", "tableschema", "tabledialect")
}
# Where frictionless opens or fetches what a descriptor names: the package's and each resource's profile,
# each resource's path, schema and dialect, the profile of an inline schema or dialect. (Other URLs, such
# as a licence's or a source's, are only metadata.)
PROFILE_KEYS = ("profile", "$schema")
# A package's or resource's name as Data Package v1 requires it and v2 recommends it.
NAME = re.compile(r"[a-z0-9._-]+")
RESOURCE_KEYS = ("path", "schema", "dialect", *PROFILE_KEYS)


def resources(descriptor) -> list[dict]:
    """The resources of a descriptor that are objects with a text name (the others are reported by
    integrity.descriptor)."""
    listed = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(listed, list):
        return []
    return [r for r in listed if isinstance(r, dict) and isinstance(r.get("name"), str)]


def _kind(value) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def descriptor_shape(descriptor: dict) -> list[str]:
    """What makes a descriptor unusable before any specification is applied: resources that are not a
    list of objects with a name and a path."""
    listed = descriptor.get("resources")
    if listed is None:
        return ["datapackage.json has no 'resources': a data package lists its tables there"]
    if not isinstance(listed, list):
        return [f"'resources' in datapackage.json is {_kind(listed)}, not a list of objects"]
    out = []
    for i, resource in enumerate(listed):
        if not isinstance(resource, dict):
            out.append(f"resource {i + 1} in datapackage.json is {_kind(resource)}, not an object")
        elif not isinstance(resource.get("name"), str):
            out.append(
                f"resource {i + 1} in datapackage.json has a name that is {_kind(resource.get('name'))}, not a string"
            )
        elif not isinstance(resource.get("path"), str):
            out.append(f"resource {resource['name']!r} has a path that is {_kind(resource.get('path'))}, not a string")
    return out


def _places(descriptor: dict):
    """(object, the keys of it frictionless would open, where it is) for the package, its resources and
    their inline schemas and dialects."""
    yield descriptor, PROFILE_KEYS, "datapackage.json"
    listed = descriptor.get("resources")
    for i, resource in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(resource, dict):
            continue
        name = resource.get("name") if isinstance(resource.get("name"), str) else str(i + 1)
        yield resource, RESOURCE_KEYS, f"resource {name[:60]!r}"
        for part in ("schema", "dialect"):
            if isinstance(resource.get(part), dict):
                yield resource[part], PROFILE_KEYS, f"the {part} of resource {name[:60]!r}"


def _texts(value) -> list:
    """A property's text values (a path may be a list of paths)."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def fetched_urls(descriptor: dict):
    """(resource name or "", place, URL) of every URL the descriptor names where it would be fetched."""
    from libya_conflict.confine import is_url

    for holder, keys, where in _places(descriptor):
        table = holder.get("name") if keys is RESOURCE_KEYS and isinstance(holder.get("name"), str) else ""
        for key in keys:
            for text in _texts(holder.get(key)):
                if is_url(text) and text not in LOCAL_PROFILES:
                    yield table, f"{where}: {key}", text


# Where the specification wants objects: frictionless reads a string found there as the path or URL of
# the object, and opens or fetches it (a FIFO named there would block it; a URL, go to the network).
OBJECT_LISTS = ("licenses", "sources", "contributors")
SCHEMA_LISTS = ("fields", "foreignKeys")


def offline_copy(descriptor: dict) -> tuple[dict, list[str]]:
    """The descriptor without anything frictionless would open or fetch, and what had to be left out.

    A profile, schema or dialect given as text (a URL, or a file that may lie anywhere) is left out; every
    resource path is made the table's own file name (which frictionless checks but never opens); and every
    string standing where an object belongs (a licence, a source, a field, a foreign key...) is left out and
    named. Inline schemas and the local profiles stay."""
    import copy

    out, left_out = copy.deepcopy(descriptor), []

    def objects_only(holder: dict, key: str, where: str) -> None:
        value = holder.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            left_out.append(f"{where}{key} is {_kind(value)}, not a list of objects")
            del holder[key]
            return
        kept = [item for item in value if isinstance(item, dict)]
        if len(kept) != len(value):
            wrong = next(item for item in value if not isinstance(item, dict))
            left_out.append(f"{where}{key} holds {_kind(wrong)} where an object belongs")
        holder[key] = kept

    for holder, keys, _ in _places(out):
        for key in keys:
            value = holder.get(key)
            if key == "path" and value is not None:
                holder[key] = f"data/{holder.get('name')}.csv" if isinstance(holder.get("name"), str) else "data/x.csv"
            elif isinstance(value, str) and value not in LOCAL_PROFILES:
                if key == "profile" and re.fullmatch(r"[a-z-]+", value):
                    continue  # a named profile (tabular-data-package): no file behind it
                del holder[key]
            elif key in ("schema", "dialect") and value is not None and not isinstance(value, dict):
                del holder[key]
    for key in OBJECT_LISTS:
        objects_only(out, key, "datapackage.json: ")
    for resource in resources(out):
        where = f"resource {resource['name'][:60]!r}: "
        for key in OBJECT_LISTS:
            objects_only(resource, key, where)
        schema = resource.get("schema")
        if isinstance(schema, dict):
            for key in SCHEMA_LISTS:
                objects_only(schema, key, where + "schema ")
            for field in schema.get("fields", []):
                if "constraints" in field and not isinstance(field["constraints"], dict):
                    left_out.append(
                        f"{where}field {str(field.get('name'))[:60]!r} has constraints that are "
                        f"{_kind(field['constraints'])}, not an object"
                    )
                    del field["constraints"]
            for key in schema.get("foreignKeys", []):
                if "reference" in key and not isinstance(key["reference"], dict):
                    left_out.append(
                        f"{where}a foreign key has a reference that is {_kind(key['reference'])}, not an object"
                    )
                    del key["reference"]
    return out, left_out


class _NoNetwork:
    """An HTTP session for frictionless that refuses every request: whatever slips past
    :func:`offline_copy`, validation still never goes to the network."""

    headers: dict = {}

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("validation never downloads")

        return refuse


def integrity_descriptor(package, report):
    """datapackage.json is a valid frictionless Data Package descriptor (spec validation), with resources
    that are objects naming their table and its file."""
    if package.descriptor is None:
        return
    shape = descriptor_shape(package.descriptor)
    for line in shape:
        report.add("", "", "", "integrity.descriptor", line)
    if shape:
        return  # the specification would only say the same again, less plainly
    from frictionless import Package, system

    offline, left_out = offline_copy(package.descriptor)
    for line in left_out:
        report.add("", "", "", "integrity.descriptor", line)
    try:
        with system.use_context(http_session=_NoNetwork(), trusted=False):
            result = Package.validate_descriptor(offline)
    except Exception as exc:  # frictionless raises on descriptors it cannot even parse
        report.add(
            "", "", "", "integrity.descriptor", f"datapackage.json is not a Data Package descriptor: {str(exc)[:200]}"
        )
        return
    for error in result.flatten(["type", "note"]) if hasattr(result, "flatten") else []:
        report.add("", "", "", "integrity.descriptor", f"datapackage.json: {error[0]}: {str(error[1])[:200]}")
    if offline.get("$schema") in LOCAL_PROFILES:
        # v1 required lower-case names and frictionless checks that; v2 only recommends them, but they are
        # still this package's names, which readers of either version look up.
        for holder, where in [
            (offline, "the package"),
            *((r, f"resource {i + 1}") for i, r in enumerate(resources(offline))),
        ]:
            name = holder.get("name")
            if isinstance(name, str) and not NAME.fullmatch(name):
                report.add(
                    "",
                    "",
                    "",
                    "integrity.descriptor",
                    f"datapackage.json: the name of {where}, {name[:60]!r}, is not lower-case letters, "
                    "digits and '.', '_', '-'",
                )


def integrity_url(package, report):
    """datapackage.json names no URL where a file, profile, schema or dialect would be fetched (validation
    never downloads: such a URL is reported, never opened)."""
    if package.descriptor is None:
        return
    for table, place, url in fetched_urls(package.descriptor):
        report.add(
            table if table in sch.schemas() else "",
            "",
            "",
            "integrity.url",
            f"{place} is the URL {url[:100]!r}: a package names its own files and standard profiles, and "
            "nothing is downloaded to validate it",
        )


def integrity_resource_files(package, report):
    """Each table's resource names the package's own CSV file for it (data/<table>.csv, never a path out of
    the folder), with the ``bytes`` and ``sha256`` hash of that file."""
    from libya_conflict.confine import is_url

    if package.descriptor is None or descriptor_shape(package.descriptor):
        return
    declared = {}
    for r in resources(package.descriptor):
        declared.setdefault(r["name"], r)
    for table in sch.table_names():
        resource = declared.get(table)
        if resource is None:
            report.add(table, "", "", "integrity.schema_mismatch", f"datapackage.json has no resource named {table!r}")
            continue
        own, path = f"data/{table}.csv", resource.get("path")
        if path != own:
            if not is_url(path):  # a URL is integrity.url's
                report.add(
                    table,
                    "",
                    "path",
                    "integrity.path",
                    f"the resource {table!r} names the file {path[:100]!r}: it must be the package's own {own} "
                    "(it was not opened)",
                )
            continue
        if table not in package.files:
            continue  # missing or unreadable: reported once, by the reader
        size, digest = package.files[table]  # hashed as it was read
        if resource.get("bytes") != size:
            report.add(
                table,
                "",
                "",
                "integrity.bytes",
                f"{own} has {size} bytes, datapackage.json says {str(resource.get('bytes'))[:40]}",
            )
        digest = "sha256:" + digest
        if resource.get("hash") != digest:
            report.add(
                table,
                "",
                "",
                "integrity.hash",
                f"{own} has hash {digest}, datapackage.json says {str(resource.get('hash'))[:80]}",
            )


def integrity_declared_schema(package, report):
    """The schema declared for each resource in datapackage.json is the one in schemas/, in the Data Package
    v2 form this release writes or the v1 form of older releases (:mod:`libya_conflict.descriptor`)."""
    from libya_conflict.descriptor import table_schema_v1, table_schema_v2

    if package.descriptor is None:
        return
    seen = set()
    for resource in resources(package.descriptor):
        name = resource["name"]
        if name not in sch.schemas():
            report.add(
                "", "", "", "integrity.schema_mismatch", f"datapackage.json declares an unknown resource {name[:60]!r}"
            )
            continue
        if name in seen:
            report.add(
                name, "", "", "integrity.schema_mismatch", f"datapackage.json declares the resource {name!r} twice"
            )
            continue
        seen.add(name)
        # A descriptor of this release (Data Package v2) or of an older one (v1), which a user may hold.
        accepted = (table_schema_v2(sch.table_schema(name)), table_schema_v1(sch.table_schema(name)))
        if resource.get("schema") not in accepted:
            report.add(
                name,
                "",
                "",
                "integrity.schema_mismatch",
                f"the schema declared for {name} in datapackage.json differs from schemas/{name}.schema.json",
            )


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

    from libya_conflict.confine import UnsafePath
    from libya_conflict.parquet import written_from

    typed = package.typed[table]
    if typed.schema.names != sch.field_names(table):
        return  # a CSV whose header is not the schema's (integrity.schema_mismatch): no copy can match it
    try:
        path = Path(package.folder.check(f"data/parquet/{table}.parquet"))
    except FileNotFoundError:
        return
    except UnsafePath as exc:
        report.add(table, "", "", "integrity.path", f"data/parquet/{table}.parquet: {exc}; nothing of it was read")
        return
    try:
        parquet = pq.ParquetFile(path)
        names, rows = parquet.schema_arrow.names, parquet.metadata.num_rows
    except Exception as exc:
        report.add(
            table,
            "",
            "",
            "integrity.unreadable",
            f"data/parquet/{table}.parquet cannot be read as Parquet ({str(exc)[:120]}): rebuild it with "
            "`libya-conflict build`, or delete it",
        )
        return
    if rows != typed.num_rows:
        report.add(
            table,
            "",
            "",
            "integrity.parquet",
            f"data/parquet/{table}.parquet has {rows} rows, data/{table}.csv has {typed.num_rows}",
        )
        _unmatched_keys(package, table, parquet, report)
        return
    if typed.schema.names != names:
        report.add(
            table, "", "", "integrity.parquet", f"data/parquet/{table}.parquet columns differ from data/{table}.csv"
        )
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
            report.add(
                table,
                "",
                name,
                "integrity.parquet",
                f"column {name} of data/parquet/{table}.parquet differs from data/{table}.csv",
            )


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
        report.add(
            table,
            package.row_key(table, row),
            key,
            "integrity.parquet",
            f"this row is missing from data/parquet/{table}.parquet",
        )
    for value in copy.filter(pc.invert(pc.is_in(copy, ours).fill_null(True))).to_pylist():
        report.add(
            table,
            str(value),
            key,
            "integrity.parquet",
            f"data/parquet/{table}.parquet has a row with {key} {value!r} that data/{table}.csv lacks",
        )


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
    except (ValueError, OSError, KeyError, TypeError) as exc:  # a project folder's own schemas/ or pyproject.toml
        report.add("", "", "", "integrity.build", f"the project folder cannot be built: {str(exc)[:300]}")
        return
    for rel in stale:
        report.add("", "", "", "integrity.stale", f"{rel} is out of date: run `libya-conflict build`")


# The rules of this family in report order (registry.py collects them): id, function, corruptions. Those
# without a function are reported by the reading of the package (package.py), by the column rules or by
# another rule's function, as each says.
RULES = [
    rule(
        "integrity.descriptor",
        integrity_descriptor,
        "descriptor_broken",
        "descriptor_wrong_shape",
        "package_name_capitals",
        "resources_not_a_list",
        "keywords_as_text",
    ),
    rule(
        "integrity.url",
        integrity_url,
        "descriptor_url",
        description="datapackage.json names no URL where a file, profile, schema or dialect would be fetched: "
        "validation never downloads.",
    ),
    rule(
        "integrity.resource_files",
        integrity_resource_files,
        uncatalogued="The name of a rule function, not an id any problem carries: it reports "
        "integrity.bytes and integrity.hash.",
    ),
    rule(
        "integrity.declared_schema",
        integrity_declared_schema,
        uncatalogued="The name of a rule function, not an id any problem carries: it reports "
        "integrity.schema_mismatch.",
    ),
    rule(
        "integrity.parquet",
        integrity_parquet,
        "parquet_row_dropped",
        "parquet_value_edited",
        "parquet_row_added",
        "parquet_column_renamed",
    ),
    rule(
        "integrity.stale",
        integrity_stale,
        uncatalogued="Runs only in a project checkout (pyproject.toml and schemas/ beside data/); "
        "the catalogue corrupts copies of the data package, which have neither.",
    ),
    # Reported by the reading of the package.
    rule(
        "integrity.file_missing",
        None,
        "table_file_missing",
        description="Every file the package needs (datapackage.json, each table's CSV) exists.",
    ),
    rule(
        "integrity.unreadable",
        None,
        "parquet_truncated",
        "csv_not_utf8",
        "descriptor_truncated",
        "csv_semicolons",
        "csv_utf16",
        "csv_emptied",
        description="Every file can be read (UTF-8, well-formed CSV, parseable JSON and Parquet).",
    ),
    # Reported from each table's header (columns.py) and by integrity_declared_schema.
    rule(
        "integrity.schema_mismatch",
        None,
        "descriptor_schema_edited",
        "column_renamed",
        "header_duplicated",
        "resource_dropped",
        "resource_unknown",
        "resource_twice",
        description="CSV headers and the schemas declared in datapackage.json agree with schemas/.",
    ),
    # Reported by integrity_stale.
    rule(
        "integrity.build",
        None,
        description="The curated sources can be built (quotes found, types parse).",
        uncatalogued="Runs only in a project checkout, like integrity.stale.",
    ),
    # Reported by the reading of the package, cross_article_file, integrity_resource_files and integrity_parquet.
    rule(
        "integrity.path",
        None,
        "article_path_climbs_out",
        "article_symlink_out",
        "article_fifo",
        "table_symlink_out",
        "resource_path_elsewhere",
        description="Every file the package names is a regular file inside its folder: no absolute path, no '..' "
        "out of it, no link leading out, no folder, FIFO or device where a file belongs. Such a file "
        "is never opened.",
    ),
    # Reported by validate() and the runner when a rule fails.
    rule(
        "integrity.internal",
        None,
        description="Every rule finished: a rule that failed on an unforeseen input is reported here (a fault "
        "of the validator), so that such a package is never called valid.",
        uncatalogued="No corruption may trip it: it reports a fault of the validator itself (a rule that "
        "failed on an input nobody foresaw). The fuzz test (tests/test_fuzz.py) fails whenever "
        "it appears.",
    ),
    # Reported by integrity_resource_files.
    rule(
        "integrity.bytes",
        None,
        "crlf_line_endings",
        description="Each CSV resource has the size in bytes declared in datapackage.json.",
    ),
    rule(
        "integrity.hash",
        None,
        "csv_edited_after_build",
        description="Each CSV resource has the sha256 hash declared in datapackage.json.",
    ),
]


def check_integrity(package, report) -> None:
    """Run every rule of this family that has a function, in report order."""
    for record in RULES:
        if record.check is not None:
            record.check(package, report)
