"""The loader, as a notebook user meets it."""

import datetime
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pytest

import libya_conflict as lc
from libya_conflict import schema as sch

CONTRACT_TABLES = [
    "articles",
    "actors",
    "places",
    "events",
    "event_actors",
    "event_relations",
    "equipment_losses",
    "casualties",
    "claims",
]


@pytest.mark.parametrize("table", CONTRACT_TABLES)
def test_every_contract_table_has_a_documented_loader(table):
    function = getattr(lc, f"load_{table}")
    assert function.__doc__
    assert list(function().columns) == sch.field_names(table)


def test_every_table_has_a_loader_function():
    assert all(hasattr(lc, f"load_{t}") for t in lc.list_tables())


def test_events_have_real_dtypes():
    events = lc.load_events()
    # Dates are dates (no time of day), as in every other backend.
    assert events["date_earliest"].dtype == pd.ArrowDtype(pa.date32())
    first = events["date_earliest"].dropna().iloc[0]
    assert type(first) is datetime.date
    assert isinstance(events["event_type"].dtype, pd.CategoricalDtype)
    assert list(events["date_precision"].cat.categories) == ["day", "week", "month", "year", "range"]
    assert events["description_en"].dtype == pd.StringDtype()


def test_counts_are_nullable_integers():
    casualties = lc.load_casualties()
    assert str(casualties["count_best"].dtype) == "Int64"
    assert str(lc.load_equipment_losses()["quantity"].dtype) == "Int64"


def test_enum_levels_are_the_schema_vocabulary_even_when_unused():
    levels = list(lc.load_equipment_losses()["status"].cat.categories)
    field = next(f for f in sch.table_schema("equipment_losses")["fields"] if f["name"] == "status")
    assert levels == field["constraints"]["enum"]


def test_arrow_backend_returns_a_table():
    table = lc.load("claims", backend="arrow")
    assert isinstance(table, pa.Table)
    assert table.schema.field("quote_start").type == pa.int64()


def test_unknown_table_lists_the_valid_names():
    with pytest.raises(ValueError) as excinfo:
        lc.load("battles")
    assert "events" in str(excinfo.value) and "claims" in str(excinfo.value)


def test_unknown_backend_and_format_are_refused():
    with pytest.raises(ValueError, match="backend"):
        lc.load("events", backend="spark")
    with pytest.raises(ValueError, match="format"):
        lc.path("events", format="xlsx")


def test_describe_gives_each_column_its_meaning():
    described = lc.describe("casualties")
    assert [d["name"] for d in described] == sch.field_names("casualties")
    assert all(d["description"] for d in described)


def test_load_all_and_datapackage_agree():
    tables = lc.load_all()
    assert sorted(tables) == sorted(r["name"] for r in lc.datapackage()["resources"])


def test_citation_and_version():
    assert "cff-version" in lc.citation()
    from importlib.metadata import version

    assert lc.__version__ == version("libya-conflict") == lc.datapackage()["version"]


def test_import_stays_light():
    code = (
        "import sys, libya_conflict; heavy = [m for m in ('pandera', 'frictionless', 'hypothesis', 'pandas', 'pyarrow', 'duckdb', 'polars', 'xlsxwriter') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_every_public_function_is_documented():
    missing = [name for name in lc.__all__ if name != "__version__" and not getattr(lc, name).__doc__]
    assert missing == []
