"""The SQLite database: every table with its keys, an ``events_flat`` view and full-text search.

>>> from libya_conflict.sqlite_export import write_sqlite
>>> write_sqlite("libya-conflict.sqlite")               # doctest: +SKIP

Then, for example::

    sqlite3 libya-conflict.sqlite "SELECT claim_id, quote FROM claims_fts JOIN claims USING (rowid)
                                   WHERE claims_fts MATCH 'بانتسير'"
    datasette libya-conflict.sqlite --metadata libya-conflict.datasette.json   # the datasette extra

Foreign keys are declared, and enforced by SQLite in connections that run ``PRAGMA foreign_keys = ON``
(SQLite leaves them off by default). Dates are ISO text (``YYYY-MM-DD``) and booleans 0/1, which is how
SQLite stores them. Each column's description from ``schemas/`` is kept as a comment in its
``CREATE TABLE`` statement (``SELECT sql FROM sqlite_master``). ``claims_search``, ``actors_search`` and
``places_search`` search Arabic by parts of words and whatever its spelling (:mod:`libya_conflict.datasette`).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from . import flat
from . import schema as sch

SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}
# Full-text indexes, named <table>_fts as datasette expects, over the text a reader searches.
FTS = {"claims": ["quote", "translation_en"], "events": ["description_en", "location_note_en", "date_note"]}


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _comment(text: str) -> str:
    return " ".join(text.split())


def create_table_sql(table: str, root: Path | None = None) -> str:
    """``CREATE TABLE`` for one table: types, required, allowed values, primary and foreign keys.

    >>> "REFERENCES places (place_id)" in create_table_sql("events")
    True
    """
    schema = sch.table_schema(table, root)
    lines = []
    for f in schema["fields"]:
        c = f.get("constraints", {})
        column = f"{f['name']} {SQL_TYPES[f['type']]}"
        if f["name"] == schema["primaryKey"]:
            column += " PRIMARY KEY"
        if c.get("required"):
            column += " NOT NULL"
        if sch.enum_of(f):
            column += f" CHECK ({f['name']} IN ({', '.join(_quote(v) for v in sch.enum_of(f))}))"
        if f["type"] == "boolean":
            column += f" CHECK ({f['name']} IN (0, 1))"
        lines.append((column, f["description"]))
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]["resource"] or table
        lines.append((f"FOREIGN KEY ({fk['fields']}) REFERENCES {target} ({fk['reference']['fields']})", ""))
    body = []
    for i, (text, comment) in enumerate(lines):
        comma = "," if i < len(lines) - 1 else ""
        body.append(f"  {text}{comma}" + (f"  -- {_comment(comment)}" if comment else ""))
    return f"CREATE TABLE {table} (  -- {_comment(schema['description'])}\n" + "\n".join(body) + "\n)"


def _list(select: str, separator: str) -> str:
    # SQLite 3.40 has no ORDER BY inside group_concat; it concatenates in the order of an ordered subquery.
    return f"(SELECT group_concat(item, {separator}) FROM ({select}))"


def events_flat_sql() -> str:
    """The ``events_flat`` view, the SQL twin of :func:`libya_conflict.flat.events_flat`."""
    line, names = "char(10)", _quote(flat.NAMES)
    claims = "FROM claims c WHERE c.record_table = 'events' AND c.record_id = e.event_id ORDER BY c.claim_id"
    columns = [
        "e.event_id",
        "h.happening_id",
        f"(SELECT c.article_id {claims} LIMIT 1) AS article_id",
        f"(SELECT a.outlet FROM articles a WHERE a.article_id = (SELECT c.article_id {claims} LIMIT 1)) AS outlet",
        "e.event_type",
        "e.sub_event_type",
        "e.event_kind",
        "e.status",
        "e.date_earliest",
        "e.date_latest",
        "e.date_precision",
        "e.time_of_day",
        "e.place_id",
        "p.name_en AS place_en",
        "p.name_ar AS place_ar",
        "p.admin1",
        "p.latitude",
        "p.longitude",
        "p.geo_precision",
        "e.location_note_en",
        "e.description_en",
    ]
    for role in sch.vocabulary("event_actors", "role"):
        columns.append(
            _list(
                "SELECT a.name_en AS item FROM event_actors ea JOIN actors a ON a.actor_id = ea.actor_id "
                f"WHERE ea.event_id = e.event_id AND ea.role = {_quote(role)} ORDER BY ea.event_actor_id",
                names,
            )
            + f" AS {role}"
        )
    for category in sch.vocabulary("casualties", "category"):
        columns.append(
            f"(SELECT t.total FROM casualty_totals t WHERE t.event_id = e.event_id "
            f"AND t.category = {_quote(category)}) AS {category}"
        )
    figure = "coalesce(c.count_best, c.count_low)"
    number = "'[' || row_number() OVER (ORDER BY c.claim_id) || '] ' || "
    columns += [
        _list(
            f"SELECT c.category || ', ' || c.population || ', ' || a.name_en || ': ' || "
            f"coalesce(CAST({figure} AS TEXT), c.quantity_text_en, 'number not given') || "
            "coalesce(' (alternative reports ' || c.alternative_group || ')', '') AS item "
            "FROM casualties c JOIN actors a ON a.actor_id = c.actor_id WHERE c.event_id = e.event_id "
            "ORDER BY c.casualty_id",
            names,
        )
        + " AS casualties_text",
        "(SELECT sum(l.quantity) FROM equipment_losses l WHERE l.event_id = e.event_id AND l.is_total = 0) "
        "AS equipment_lost",
        _list(
            "SELECT CASE WHEN l.is_total THEN 'running total: ' ELSE '' END || "
            "coalesce(CAST(l.quantity AS TEXT), '(number not given)') || ' ' || l.system_en || ' ' || l.status || "
            "coalesce(', lost by ' || a.name_en, '') AS item FROM equipment_losses l "
            "LEFT JOIN actors a ON a.actor_id = l.lost_by_actor_id WHERE l.event_id = e.event_id "
            "ORDER BY l.loss_id",
            names,
        )
        + " AS equipment_text",
        _list(f"SELECT c.claim_id AS item {claims}", line) + " AS claim_ids",
        _list(f"SELECT {number}c.quote AS item {claims}", line) + " AS quotes_ar",
        _list(f"SELECT {number}coalesce(c.translation_en, '') AS item {claims}", line) + " AS quotes_en",
        _list(
            f"SELECT {number}coalesce(a.name_en || ': ', '') || c.source_kind || ', ' || c.stance AS item "
            "FROM claims c LEFT JOIN actors a ON a.actor_id = c.claimant_actor_id "
            "WHERE c.record_table = 'events' AND c.record_id = e.event_id ORDER BY c.claim_id",
            line,
        )
        + " AS claimed_by",
    ]
    return f"""CREATE VIEW events_flat AS  -- one row per event, filterable without joins (see the codebook)
WITH RECURSIVE
  links (a, b) AS (
    SELECT event_id, related_event_id FROM event_relations WHERE relation = 'same_report_as'
    UNION SELECT related_event_id, event_id FROM event_relations WHERE relation = 'same_report_as'),
  reach (event_id, other) AS (
    SELECT event_id, event_id FROM events
    UNION SELECT reach.event_id, links.b FROM reach JOIN links ON links.a = reach.other),
  h AS (SELECT event_id, min(other) AS happening_id FROM reach GROUP BY event_id),
  casualty_groups AS (
    SELECT event_id, category, coalesce(alternative_group, casualty_id) AS grp,
           min(coalesce(count_best, count_low)) AS figure
    FROM casualties GROUP BY event_id, category, grp),
  casualty_totals AS (SELECT event_id, category, sum(figure) AS total FROM casualty_groups GROUP BY event_id, category)
SELECT
  {("," + chr(10) + "  ").join(columns)}
FROM events e
JOIN h ON h.event_id = e.event_id
LEFT JOIN places p ON p.place_id = e.place_id
ORDER BY e.event_id"""


def _sql_value(field: dict, value):
    if value is None:
        return None
    if field["type"] == "date":
        return value.isoformat()
    if field["type"] == "boolean":
        return int(value)
    return value


def build_database(
    connection: sqlite3.Connection, root: Path | None = None, tables: dict[str, list[dict]] | None = None
) -> None:
    """Create every table, index, view and full-text index in an empty database and fill them."""
    tables = tables if tables is not None else flat.read_rows(root)
    for table in sch.table_names(root):
        schema = sch.table_schema(table, root)
        connection.execute(create_table_sql(table, root))
        for fk in schema.get("foreignKeys", []):
            connection.execute(f"CREATE INDEX {table}_{fk['fields']} ON {table} ({fk['fields']})")
        fields = schema["fields"]
        names = [f["name"] for f in fields]
        connection.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            [[_sql_value(f, row[f["name"]]) for f in fields] for row in tables[table]],
        )
    connection.execute("CREATE INDEX claims_record ON claims (record_table, record_id)")
    connection.execute(events_flat_sql())
    for table, text_columns in FTS.items():
        # content="<table>" spelt exactly so: it is how datasette recognises the index of a table.
        connection.execute(
            f'CREATE VIRTUAL TABLE {table}_fts USING fts5 ({", ".join(text_columns)}, content="{table}")'
        )
        connection.execute(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')")
    from .datasette import fill_search_tables

    fill_search_tables(connection)  # Arabic search: parts of words, spelling variants (datasette.py)
    problems = connection.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise ValueError(f"foreign keys violated in the data: {problems[:5]}")


def sqlite_bytes(root: Path | None = None) -> bytes:
    """The database file as bytes (no clock in it: the same data gives the same bytes)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.sqlite"
        connection = sqlite3.connect(path)
        try:
            with connection:
                build_database(connection, root)
            connection.execute("VACUUM")
        finally:
            connection.close()
        return path.read_bytes()


def write_sqlite(path, root: Path | None = None) -> Path:
    """Write the database to ``path`` (replacing any file there), and its datasette metadata beside it
    (``<stem>.datasette.json``); return the database's path."""
    from .datasette import metadata_bytes

    path = Path(path)
    path.write_bytes(sqlite_bytes(root))
    path.with_name(f"{path.stem}.datasette.json").write_bytes(metadata_bytes(path.stem, root))
    return path
