"""The Parquet copies hold exactly the values of the curated CSV."""

import csv

import pyarrow.parquet as pq
import pytest

from libya_conflict import schema as sch
from libya_conflict.tables import parse_cell

TABLES = sch.table_names()


@pytest.mark.parametrize("table", TABLES)
def test_parquet_equals_csv_cell_for_cell(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    parquet = pq.read_table(root / "data" / "parquet" / f"{table}.parquet").to_pylist()
    assert len(parquet) == len(rows)
    fields = sch.table_schema(table)["fields"]
    for csv_row, pq_row in zip(rows, parquet):
        for field in fields:
            # Both the value and its absence must survive: "" in the CSV is None in Parquet.
            assert parse_cell(field, csv_row[field["name"]]) == pq_row[field["name"]], (table, field["name"])


@pytest.mark.parametrize("table", TABLES)
def test_parquet_types_follow_the_schema(root, table):
    schema = pq.read_schema(root / "data" / "parquet" / f"{table}.parquet")
    assert schema.remove_metadata() == sch.arrow_schema(table).remove_metadata()


@pytest.mark.parametrize("table", TABLES)
def test_csv_rows_are_sorted_by_primary_key(root, table):
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        keys = [r[sch.primary_key(table)] for r in csv.DictReader(handle)]
    assert keys == sorted(keys) and len(keys) == len(set(keys))


def test_articles_are_the_originals_byte_for_byte(root):
    shared = root.parent / "shared" / "sources"
    if not shared.is_dir():
        pytest.skip("the original articles are not beside this checkout")
    for original in sorted(shared.glob("*.txt")):
        assert (root / "data" / "sources" / original.name).read_bytes() == original.read_bytes()


# The footer digests let validation skip decoding a copy that is exactly what the build wrote from the
# CSV on disk. These tests show when a copy is recognised, and that anything else is compared value by value.


def csv_sha256(root, table):
    import hashlib

    return hashlib.sha256((root / "data" / f"{table}.csv").read_bytes()).hexdigest()


@pytest.mark.parametrize("table", TABLES)
def test_each_copy_says_it_was_written_from_its_csv(root, table):
    from libya_conflict.parquet import written_from

    path = root / "data" / "parquet" / f"{table}.parquet"
    assert written_from(path, csv_sha256(root, table))
    assert not written_from(path, "0" * 64)


def test_a_copy_rewritten_with_its_footer_kept_is_not_recognised(package_copy):
    from libya_conflict.parquet import CSV_SHA256, DATA_SHA256, written_from

    path = package_copy / "data" / "parquet" / "events.parquet"
    footer = pq.read_metadata(path).metadata
    copy = pq.read_table(path).slice(1)  # one row fewer, the footer's digests copied over
    writer = pq.ParquetWriter(path, copy.schema)
    writer.write_table(copy)
    writer.add_key_value_metadata({k.decode(): footer[k].decode() for k in (CSV_SHA256, DATA_SHA256)})
    writer.close()
    assert not written_from(path, csv_sha256(package_copy, "events"))


def test_a_copy_with_the_same_values_written_by_another_tool_is_valid(package_copy):
    from libya_conflict.parquet import written_from
    from libya_conflict.validators import validate

    path = package_copy / "data" / "parquet" / "claims.parquet"
    pq.write_table(pq.read_table(path), path, compression="snappy")  # no digests: compared value by value
    assert not written_from(path, csv_sha256(package_copy, "claims"))
    report = validate(package_copy)
    assert report.valid, report.to_text()


def test_a_csv_edited_and_resealed_without_its_copy_names_the_column_that_differs(package_copy):
    from libya_conflict.build import reseal
    from libya_conflict.validators import validate

    path = package_copy / "data" / "events.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Tarhuna", "Tarhouna", 1), encoding="utf-8", newline="")
    reseal(package_copy, tables=(), descriptor=True)  # datapackage.json agrees with the CSV; Parquet is stale
    problems = [(p.table, p.column) for p in validate(package_copy).problems if p.rule == "integrity.parquet"]
    assert problems and {table for table, _ in problems} == {"events"}
    assert all(column for _, column in problems)


def test_a_copy_with_a_row_the_csv_lacks_names_that_row(package_copy):
    import pyarrow as pa

    from libya_conflict.validators import validate

    path = package_copy / "data" / "parquet" / "places.parquet"
    copy = pq.read_table(path)
    extra = copy.slice(0, 1).set_column(0, copy.schema.field(0), pa.array(["pl-extra"], copy.schema.field(0).type))
    pq.write_table(pa.concat_tables([copy, extra]), path)
    rows = {(p.table, p.row) for p in validate(package_copy).problems if p.rule == "integrity.parquet"}
    assert ("places", "pl-extra") in rows and ("places", "") in rows


# Self-describing copies: any Parquet reader, not only this package, sees the schema's vocabularies,
# required columns, titles and descriptions, and pandas gets the loader's dtypes.


def schema_file(root, table):
    import json

    return json.loads((root / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", TABLES)
def test_each_vocabulary_dictionary_holds_every_allowed_value_in_schema_order(root, table):
    copy = pq.read_table(root / "data" / "parquet" / f"{table}.parquet")
    for field in schema_file(root, table)["fields"]:
        levels = field.get("constraints", {}).get("enum")
        if levels:
            for chunk in copy.column(field["name"]).chunks:
                assert chunk.dictionary.to_pylist() == levels, (table, field["name"])


@pytest.mark.parametrize("table", TABLES)
def test_required_columns_are_not_nullable_in_the_file(root, table):
    parquet = pq.ParquetFile(root / "data" / "parquet" / f"{table}.parquet")
    for i, field in enumerate(schema_file(root, table)["fields"]):
        required = bool(field.get("constraints", {}).get("required"))
        # Parquet's own marking (REQUIRED: no definition level), which every reader sees, and Arrow's.
        assert (parquet.schema.column(i).max_definition_level == 0) is required, (table, field["name"])
        assert parquet.schema_arrow.field(field["name"]).nullable is not required


@pytest.mark.parametrize("table", TABLES)
def test_titles_and_descriptions_travel_in_the_file(root, table):
    schema = pq.read_schema(root / "data" / "parquet" / f"{table}.parquet")
    declared = schema_file(root, table)
    assert schema.metadata[b"title"].decode() == declared["title"]
    assert schema.metadata[b"description"].decode() == declared["description"]
    for field in declared["fields"]:
        meta = schema.field(field["name"]).metadata
        assert meta[b"title"].decode() == field["title"] and meta[b"description"].decode() == field["description"]


@pytest.mark.parametrize("table", TABLES)
def test_plain_pandas_read_parquet_gives_the_loaders_dtypes(root, table):
    import pandas as pd

    import libya_conflict as lc

    plain, loaded = pd.read_parquet(root / "data" / "parquet" / f"{table}.parquet"), lc.load(table)
    assert dict(plain.dtypes) == dict(loaded.dtypes)
    for name in plain.columns:
        if isinstance(plain[name].dtype, pd.CategoricalDtype):
            assert list(plain[name].cat.categories) == list(loaded[name].cat.categories)
    pd.testing.assert_frame_equal(plain, loaded)


def test_building_twice_gives_the_same_parquet_bytes(root):
    from libya_conflict.build import parquet_file, plan

    first, second = plan(root), plan(root)
    for rel in first.parquet:
        assert parquet_file(first, rel) == parquet_file(second, rel), rel


def test_a_value_outside_the_vocabulary_is_kept_not_dropped():
    import pyarrow as pa

    from libya_conflict.parquet import full_dictionary

    column = full_dictionary(pa.chunked_array([["week", "fortnight", None]]), ["day", "week"])
    assert column.to_pylist() == ["week", "fortnight", None]
    assert column.chunk(0).dictionary.to_pylist() == ["day", "week", "fortnight"]
