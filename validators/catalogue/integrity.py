"""Corruptions the integrity rules must catch: files that differ from what the build wrote."""

from __future__ import annotations

import json
import random
from pathlib import Path

from libya_conflict import schema as sch
from libya_conflict.build import descriptor_bytes

from .entry import Expected, corruption
from .folder import Folder, cells, invalid_utf8, pick, reseal
from .scaffold import add_actor


@corruption("parquet_row_dropped")
def parquet_row_dropped(root: Path, rng: random.Random) -> Expected:
    """A row missing from a Parquet copy only (the CSV still has it)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Folder(root)
    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t) and parquet(t).is_file()], "table with rows")
    copy = pq.read_table(parquet(table))
    i = rng.randrange(copy.num_rows)
    pq.write_table(pa.concat_tables([copy.slice(0, i), copy.slice(i + 1)]), parquet(table))
    return table, copy.column(sch.primary_key(table))[i].as_py(), sch.primary_key(table)


@corruption("parquet_value_edited")
def parquet_value_edited(root: Path, rng: random.Random) -> Expected:
    """One value changed in a Parquet copy only, by a tool that keeps the file's footer metadata (so the
    copy still names the CSV it was built from, but its data pages no longer match their digest)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Folder(root)
    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t) and parquet(t).is_file()], "table with rows")
    copy = pq.read_table(parquet(table))
    kept = {
        k.decode(): v.decode()
        for k, v in (pq.read_metadata(parquet(table)).metadata or {}).items()
        if k != b"ARROW:schema"
    }
    key = sch.primary_key(table)
    values = copy.column(key).to_pylist()
    i = rng.randrange(len(values))
    values[i] += "-edited"
    copy = copy.set_column(copy.column_names.index(key), key, pa.array(values, copy.schema.field(key).type))
    writer = pq.ParquetWriter(parquet(table), copy.schema, compression="zstd")
    writer.write_table(copy)
    writer.add_key_value_metadata(kept)
    writer.close()
    return table, "", key


@corruption("parquet_row_added")
def parquet_row_added(root: Path, rng: random.Random) -> Expected:
    """A row in a Parquet copy only: a copy of one of its rows under a key the CSV does not have."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Folder(root)
    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t) and parquet(t).is_file()], "table with rows")
    copy = pq.read_table(parquet(table))
    key = sch.primary_key(table)
    at = copy.schema.get_field_index(key)
    extra = copy.slice(rng.randrange(copy.num_rows), 1)
    new_key = copy.column(at)[0].as_py() + "-copy"
    extra = extra.set_column(at, copy.schema.field(at), pa.array([new_key], copy.schema.field(at).type))
    pq.write_table(pa.concat_tables([copy, extra]), parquet(table))
    return table, new_key, key


@corruption("parquet_column_renamed")
def parquet_column_renamed(root: Path, rng: random.Random) -> Expected:
    """A column renamed in a Parquet copy only (the CSV keeps its name)."""
    import pyarrow.parquet as pq

    parquet = lambda t: root / "data" / "parquet" / f"{t}.parquet"
    table = pick(rng, [t for t in sch.table_names() if parquet(t).is_file()], "Parquet copy")
    copy = pq.read_table(parquet(table))
    names = list(copy.column_names)
    i = rng.randrange(len(names))
    names[i] = names[i].replace("_", " ").title()
    pq.write_table(copy.rename_columns(names), parquet(table))
    return table, "", ""


@corruption("parquet_truncated")
def parquet_truncated(root: Path, rng: random.Random) -> Expected:
    """A Parquet copy cut short (an interrupted copy or download)."""
    path = pick(rng, sorted((Path(root) / "data" / "parquet").glob("*.parquet")), "Parquet file")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path.stem, "", ""


@corruption("csv_not_utf8")
def csv_not_utf8(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved by a spreadsheet in Windows-1256 instead of UTF-8."""
    folder = Folder(root)

    def encodable():
        return [
            t
            for t in sch.table_names()
            if folder.csv_path(t).is_file() and invalid_utf8(folder.csv_path(t).read_text(encoding="utf-8")) is not None
        ]

    if not encodable():
        add_actor(folder, rng)
        folder.save()
    table = pick(rng, encodable(), "CSV file with Arabic text")
    path = folder.csv_path(table)
    path.write_bytes(invalid_utf8(path.read_text(encoding="utf-8")))
    return table, "", ""


@corruption("table_file_missing")
def table_file_missing(root: Path, rng: random.Random) -> Expected:
    """A table's CSV file deleted."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    folder.csv_path(table).unlink()
    return table, "", ""


@corruption("crlf_line_endings")
def crlf_line_endings(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved with Windows line endings (CRLF), its size no longer the declared one."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return table, "", ""


# Characters of each UTF-8 length to swap in: the edited file keeps its size, so only its hash tells.
_SAME_SIZE = {1: "xy", 2: "éè", 3: "’‘"}


@corruption("csv_edited_after_build")
def csv_edited_after_build(root: Path, rng: random.Random) -> Expected:
    """A CSV cell edited after the build (same size, Parquet refreshed) without refreshing datapackage.json."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "latin"), "English text cell")
    value = row[field["name"]]
    i = rng.choice([i for i, ch in enumerate(value) if not ch.isspace() and len(ch.encode()) in _SAME_SIZE])
    swap = next(ch for ch in _SAME_SIZE[len(value[i].encode())] if ch != value[i])
    row[field["name"]] = value[:i] + swap + value[i + 1 :]
    folder.touch(table)
    folder.save(seal=False)
    reseal(root, [table], descriptor=False)
    return table, "", ""


def _edit_descriptor(root: Path, edit) -> None:
    """Rewrite datapackage.json after ``edit`` (a function of the parsed descriptor) changed it."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    edit(package)
    path.write_bytes(descriptor_bytes(package))


@corruption("descriptor_broken")
def descriptor_broken(root: Path, rng: random.Random) -> Expected:
    """datapackage.json edited by hand into an invalid descriptor (licences as text)."""
    _edit_descriptor(root, lambda package: package.update(licenses="CC-BY-4.0"))
    return "", "", ""


@corruption("keywords_as_text")
def keywords_as_text(root: Path, rng: random.Random) -> Expected:
    """datapackage.json keywords typed as one text ("Libya, conflict") where the specification wants a list."""
    _edit_descriptor(root, lambda package: package.update(keywords="Libya, conflict"))
    return "", "", ""


@corruption("package_name_capitals")
def package_name_capitals(root: Path, rng: random.Random) -> Expected:
    """datapackage.json given a package name with capitals and a space ("Libya Conflict")."""
    _edit_descriptor(root, lambda package: package.update(name="Libya Conflict"))
    return "", "", ""


@corruption("resources_not_a_list")
def resources_not_a_list(root: Path, rng: random.Random) -> Expected:
    """datapackage.json whose resources are a string (a table's path) rather than a list of objects."""
    _edit_descriptor(root, lambda package: package.update(resources=rng.choice(["data/events.csv", "events"])))
    return "", "", ""


@corruption("resource_dropped")
def resource_dropped(root: Path, rng: random.Random) -> Expected:
    """A table's resource deleted from datapackage.json (its CSV file still there)."""
    names = [r["name"] for r in json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    name = rng.choice(names)
    _edit_descriptor(
        root, lambda package: package.update(resources=[r for r in package["resources"] if r["name"] != name])
    )
    return name, "", ""


@corruption("resource_unknown")
def resource_unknown(root: Path, rng: random.Random) -> Expected:
    """A resource added to datapackage.json for a table the package does not have (a copy renamed)."""

    def add(package):
        extra = dict(rng.choice(package["resources"]))
        extra["name"] = rng.choice(["sources", "events_old", "notes"])
        package["resources"].append(extra)

    _edit_descriptor(root, add)
    return "", "", ""


@corruption("resource_twice")
def resource_twice(root: Path, rng: random.Random) -> Expected:
    """A table's resource pasted twice into datapackage.json."""
    names = [r["name"] for r in json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    name = rng.choice(names)
    _edit_descriptor(
        root, lambda package: package["resources"].append(next(r for r in package["resources"] if r["name"] == name))
    )
    return name, "", ""


@corruption("descriptor_schema_edited")
def descriptor_schema_edited(root: Path, rng: random.Random) -> Expected:
    """A column described differently in datapackage.json than in schemas/ (the descriptor edited by hand)."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = rng.choice(package["resources"])
    field = rng.choice(resource["schema"]["fields"])
    field["description"] = field.get("description", "") + " (edited)"
    path.write_bytes(descriptor_bytes(package))
    return resource["name"], "", ""


@corruption("column_renamed")
def column_renamed(root: Path, rng: random.Random) -> Expected:
    """A CSV column renamed in the header ("event_id" -> "Event Id")."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    header, rest = path.read_bytes().split(b"\n", 1)
    names = header.decode("utf-8").split(",")
    i = rng.randrange(len(names))
    names[i] = names[i].replace("_", " ").title()
    path.write_bytes(",".join(names).encode("utf-8") + b"\n" + rest)
    return table, "", ""
