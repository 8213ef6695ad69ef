"""The Parquet copies hold exactly the values of the curated CSV."""

import csv

import pyarrow.parquet as pq
import pytest

from libya_conflict import schema as sch

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
            assert sch.parse_cell(field, csv_row[field["name"]]) == pq_row[field["name"]], (table, field["name"])


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
