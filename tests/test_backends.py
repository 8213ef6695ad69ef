"""Every backend of the loader gives the same table: the same values, the same vocabulary levels, the
schema's types. The expected types and levels come from schemas/, not from the loader."""

import datetime
import gc

import pandas as pd
import pyarrow as pa
import pytest

import libya_conflict as lc
from libya_conflict import schema as sch
from libya_conflict.extras import MissingExtra

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

TABLES = sch.table_names()
BACKENDS = ["pandas", "arrow", "polars", "duckdb"]

# What each schema type must be in each backend (vocabularies are checked apart: they are categoricals).
EXPECTED = {
    "pandas": {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "number": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": pd.ArrowDtype(pa.date32()),
    },
    "arrow": {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    },
    "polars": {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean, "date": pl.Date},
    "duckdb": {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE"},
}


def columns_of(backend, loaded):
    """{column: (type, levels or None, values as Python objects, None for missing)} of a loaded table."""
    out = {}
    if backend == "pandas":
        for name in loaded.columns:
            series = loaded[name]
            levels = list(series.cat.categories) if isinstance(series.dtype, pd.CategoricalDtype) else None
            values = [None if pd.isna(v) else v for v in series.astype(object)]
            out[name] = (series.dtype, levels, values)
    elif backend == "arrow":
        for name in loaded.column_names:
            column = loaded.column(name)
            levels = None
            if pa.types.is_dictionary(column.type):
                dictionaries = {tuple(chunk.dictionary.to_pylist()) for chunk in column.chunks}
                assert len(dictionaries) <= 1, f"{name}: chunks with different dictionaries"
                levels = list(dictionaries.pop()) if dictionaries else []
            out[name] = (column.type, levels, column.to_pylist())
    elif backend == "polars":
        for name in loaded.columns:
            series = loaded[name]
            levels = series.dtype.categories.to_list() if isinstance(series.dtype, pl.Enum) else None
            out[name] = (series.dtype, levels, series.to_list())
    else:
        rows = loaded.fetchall()
        for i, (name, kind) in enumerate(zip(loaded.columns, loaded.types)):
            levels = dict(kind.children)["values"] if kind.id == "enum" else None
            out[name] = (str(kind) if levels is None else "ENUM", levels, [row[i] for row in rows])
    return out


@pytest.fixture(scope="module")
def loaded():
    tables = {}
    for table in TABLES:
        tables[table] = {backend: columns_of(backend, lc.load(table, backend=backend)) for backend in BACKENDS}
        gc.collect()  # a DuckDB relation must not depend on a table the loader dropped
    return tables


@pytest.mark.parametrize("table", TABLES)
def test_every_backend_gives_the_same_values_and_levels(loaded, table):
    by_backend = loaded[table]
    names = sch.field_names(table)
    for backend, columns in by_backend.items():
        assert list(columns) == names, backend
    for field in sch.table_schema(table)["fields"]:
        name, levels = field["name"], sch.enum_of(field)
        reference = by_backend["arrow"][name][2]
        for backend, columns in by_backend.items():
            kind, got_levels, values = columns[name]
            assert values == reference, (backend, table, name)
            assert got_levels == levels, (backend, table, name)  # every allowed level, in the schema's order
            if levels is None:
                assert kind == EXPECTED[backend][field["type"]], (backend, table, name, kind)


def test_values_are_of_the_schema_types_in_python():
    events = lc.load("events", backend="polars")
    first = events["date_earliest"].drop_nulls()[0]
    assert type(first) is datetime.date
    counts = lc.load("casualties", backend="duckdb").project("count_best").fetchall()
    assert {type(v) for (v,) in counts} <= {int, type(None)}


def test_duckdb_relation_on_the_connection_given():
    connection = duckdb.connect()
    lc.load("events", backend="duckdb", connection=connection).create("events")
    [(rows,)] = connection.sql("SELECT count(*) FROM events WHERE event_type = 'Battles'").fetchall()
    assert rows == (lc.load_events()["event_type"] == "Battles").sum() > 0
    kind = connection.table("events").types[connection.table("events").columns.index("event_type")]
    assert dict(kind.children)["values"] == sch.vocabulary("events", "event_type")


def test_a_connection_only_goes_with_duckdb():
    with pytest.raises(ValueError, match="duckdb"):
        lc.load("events", backend="arrow", connection=duckdb.connect())


@pytest.mark.parametrize("backend, extra", [("polars", "polars"), ("duckdb", "duckdb")])
def test_a_backend_without_its_extra_says_what_to_install(monkeypatch, backend, extra):
    monkeypatch.setitem(__import__("sys").modules, backend, None)  # as if it were not installed
    with pytest.raises(MissingExtra) as excinfo:
        lc.load("events", backend=backend)
    assert f"pip install 'libya-conflict[{extra}]'" in str(excinfo.value)


def test_load_all_takes_a_backend():
    tables = lc.load_all(backend="polars")
    assert sorted(tables) == TABLES and all(isinstance(t, pl.DataFrame) for t in tables.values())
