"""The SQLite database: the tables with their keys enforced, the events_flat view, and search in Arabic."""

import csv
import datetime as dt
import re
import sqlite3
import subprocess
import sys

import pytest

from libya_conflict import flat
from libya_conflict import schema as sch
from libya_conflict.sqlite_export import sqlite_bytes, write_sqlite
from libya_conflict.tables import parse_cell

TABLES = sch.table_names()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return write_sqlite(tmp_path_factory.mktemp("sqlite") / "libya-conflict.sqlite")


@pytest.fixture
def db(db_path, tmp_path):
    """A writable copy with foreign keys on, as a careful user opens it."""
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(db_path.read_bytes())
    connection = sqlite3.connect(copy)
    connection.execute("PRAGMA foreign_keys = ON")
    yield connection
    connection.close()


def plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("table", TABLES)
def test_every_table_holds_the_csv_rows(db, root, table):
    fields = sch.table_schema(table)["fields"]
    names = [f["name"] for f in fields]
    stored = db.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {sch.primary_key(table)}").fetchall()
    with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = []
    for row in rows:
        values = [parse_cell(f, row[f["name"]]) for f in fields]
        expected.append(tuple(int(v) if isinstance(v, bool) else plain(v) for v in values))
    assert stored == expected


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO event_actors VALUES ('ea-999-001', 'ev-000-001', 'act-nobody', 'attacker')")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("UPDATE events SET place_id = 'pl-atlantis' WHERE event_id = 'ev-000-002'")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("DELETE FROM places WHERE place_id = 'pl-tarhuna'")  # events still point to it


def test_primary_keys_and_vocabularies_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute("INSERT INTO places SELECT * FROM places LIMIT 1")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE events SET status = 'occured' WHERE event_id = 'ev-000-001'")


def test_every_foreign_key_column_is_indexed(db):
    for table in TABLES:
        indexed = {
            row[2]
            for index in db.execute(f"PRAGMA index_list({table})").fetchall()
            for row in db.execute(f"PRAGMA index_info({index[1]})").fetchall()
        }
        for fk in sch.table_schema(table).get("foreignKeys", []):
            assert fk["fields"] in indexed, (table, fk["fields"])


def test_events_flat_view_agrees_with_the_python_table(db):
    """The view is written in SQL, the workbook sheet in Python: two implementations of one table."""
    columns, rows = flat.events_flat()
    cursor = db.execute("SELECT * FROM events_flat")
    assert [d[0] for d in cursor.description] == [c["name"] for c in columns]
    assert cursor.fetchall() == [tuple(plain(row[c["name"]]) for c in columns) for row in rows]


def test_events_flat_counts_respect_totals_and_alternatives(db):
    # ev-001-009 only reports a running total: it adds nothing to the equipment lost.
    total_only = db.execute(
        "SELECT equipment_lost, equipment_text FROM events_flat WHERE event_id = 'ev-001-009'"
    ).fetchone()
    assert total_only[0] is None and total_only[1].startswith("running total: ")
    # Conflicting figures (30 and 20 captured) are one alternative_group: counted once, at the lower figure.
    figures = [
        r[0]
        for r in db.execute(
            "SELECT count_best FROM casualties WHERE alternative_group = 'alt-004-001' AND count_best IS NOT NULL"
        )
    ]
    assert sorted(figures) == [20, 30]
    assert db.execute("SELECT captured FROM events_flat WHERE event_id = 'ev-004-007'").fetchone()[0] == min(figures)


def words(text):
    return set(re.findall(r"\w+", text))


def test_searching_an_arabic_word_finds_exactly_the_claims_that_quote_it(db, root):
    word = "بانتسير"  # Pantsir
    with open(root / "data" / "claims.csv", encoding="utf-8", newline="") as handle:
        expected = sorted(r["claim_id"] for r in csv.DictReader(handle) if word in words(r["quote"]))
    assert len(expected) > 3
    found = [
        r[0]
        for r in db.execute(
            "SELECT c.claim_id FROM claims_fts JOIN claims c ON c.rowid = claims_fts.rowid "
            "WHERE claims_fts MATCH ? ORDER BY c.claim_id",
            [word],
        )
    ]
    assert found == expected


def test_searching_descriptions(db):
    found = db.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'Tarhuna'").fetchone()[0]
    assert found > 0, "the bundled events name Tarhuna: the search must find some"
    assert (
        found
        == db.execute(
            "SELECT count(*) FROM events WHERE description_en || ' ' || coalesce(location_note_en, '') "
            "|| ' ' || coalesce(date_note, '') LIKE '%Tarhuna%'"
        ).fetchone()[0]
    )


def test_column_descriptions_travel_in_the_schema(db):
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'casualties'").fetchone()[0]
    assert "-- " + " ".join(sch.table_schema("casualties")["fields"][-1]["description"].split()) in sql


def test_building_twice_gives_the_same_bytes(db_path):
    assert sqlite_bytes() == db_path.read_bytes()


def test_datasette_serves_it(db_path):
    # datasette is in the test extra: a missing datasette fails here rather than skipping the test.
    import asyncio

    import datasette.app as datasette_app

    async def search():
        ds = datasette_app.Datasette([str(db_path)])
        response = await ds.client.get("/libya-conflict/claims.json?_search=بانتسير&_shape=array")
        return response.status_code, response.json()

    status, rows = asyncio.run(search())
    assert status == 200 and rows and all("بانتسير" in r["quote"] for r in rows)


def test_cli_export_sqlite(tmp_path, db_path):
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "export", "--format", "sqlite", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "libya-conflict.sqlite").read_bytes() == db_path.read_bytes()
