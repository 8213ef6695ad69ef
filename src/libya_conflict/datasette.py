"""What datasette needs to show the SQLite database well: metadata from ``schemas/``, and Arabic search.

    libya-conflict export --format sqlite --out DIR
    datasette DIR/libya-conflict.sqlite --metadata DIR/libya-conflict.datasette.json

>>> normalise_arabic("الوِفَاق وإسقاط الطائرة")
'الوفاق واسقاط الطائره'

**Search that finds Arabic as people type it.** Arabic words carry prefixes (``ال``, ``و``, ``ب``...), are
written with or without short vowels, and spell alef, ya and ta marbuta in several ways. Each searched
table has a ``<table>_search`` index (SQLite FTS5, trigram tokenizer: any part of a word of three letters
or more matches) over its text *normalised* by :func:`normalise_arabic`, beside the text as written, so

- ``_search=وفاق`` finds the rows saying ``الوفاق`` (part of a word);
- ``_search=الوفاق`` finds ``الوِفاق`` (short vowels are not indexed);
- the ``search_claims`` canned query normalises what it is given the same way, in SQL, so ``إسقاط``
  finds ``اسقاط`` and the other way round.

The metadata gives datasette the title, licence, source, each table's and column's description, units
(columns named ``*_km``), the column that labels a row where a foreign key points to it, and which
index serves each table's search box.
"""

from __future__ import annotations

from pathlib import Path

from . import schema as sch

# Letters folded to one spelling, and marks dropped: alef with hamza or madda, alef wasla -> bare alef;
# alef maqsura and Persian ya -> ya; ta marbuta -> ha; short vowels, shadda, sukun, dagger alef, tatweel.
FOLDED = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه"}
DROPPED = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
# Tables searched in Arabic (and English), and their text columns.
SEARCHED = {
    "claims": ["quote", "translation_en"],
    "actors": ["name_ar", "name_ar_variants", "name_en"],
    "places": ["name_ar", "name_en"],
}
# The column naming a row where a foreign key points to it (datasette shows it beside the key).
LABELS = {"actors": "name_en", "places": "name_en"}
UNIT_SUFFIXES = {"_km": "km"}


def normalise_arabic(text: str | None) -> str | None:
    """``text`` with the spellings of :data:`FOLDED` folded and the marks of :data:`DROPPED` removed."""
    if text is None:
        return None
    table = {ord(k): v for k, v in FOLDED.items()} | {ord(c): None for c in DROPPED}
    return text.translate(table)


def folding_cte(parameter: str = ":q") -> str:
    """SQL ``WITH`` clauses that fold ``parameter`` as :func:`normalise_arabic` does, one replacement a step
    (nested ``replace()`` calls would overflow SQLite's parser). The result is ``folded.text``."""
    pairs = [*FOLDED.items(), *((c, "") for c in DROPPED)]
    values = ", ".join(f"({n}, '{old}', '{new}')" for n, (old, new) in enumerate(pairs))
    return (
        f"WITH RECURSIVE folding (n, old, new) AS (VALUES {values}),\n"
        f"  steps (n, text) AS (SELECT 0, {parameter} UNION ALL SELECT steps.n + 1, "
        "replace(steps.text, folding.old, folding.new) FROM steps JOIN folding ON folding.n = steps.n),\n"
        f"  folded (text) AS (SELECT text FROM steps WHERE n = {len(pairs)})\n"
    )


def search_table_sql(table: str) -> str:
    """``CREATE VIRTUAL TABLE <table>_search``: each column normalised (``<column>_normalised``) and as
    written, indexed by trigrams."""
    columns = [f"{c}_normalised" for c in SEARCHED[table]] + SEARCHED[table]
    return f"CREATE VIRTUAL TABLE {table}_search USING fts5 ({', '.join(columns)}, tokenize = 'trigram')"


def fill_search_tables(connection) -> None:
    """Create and fill every ``<table>_search`` index from its table (rowids are the table's)."""
    for table, columns in SEARCHED.items():
        connection.execute(search_table_sql(table))
        rows = connection.execute(f"SELECT rowid, {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()
        connection.executemany(
            f"INSERT INTO {table}_search (rowid, {', '.join(f'{c}_normalised' for c in columns)}, "
            f"{', '.join(columns)}) VALUES ({', '.join('?' * (1 + 2 * len(columns)))})",
            [(row[0], *(normalise_arabic(v) for v in row[1:]), *row[1:]) for row in rows],
        )


def search_claims_sql() -> str:
    """The canned query ``search_claims``: quotes matching ``:q`` once both are normalised."""
    # The words as one FTS5 phrase (a quote inside is doubled): any text is a valid query.
    return (
        folding_cte(":q") + "SELECT c.claim_id, c.article_id, c.record_table, c.record_id, c.quote, c.translation_en\n"
        "FROM claims c JOIN claims_search s ON s.rowid = c.rowid\n"
        "WHERE claims_search MATCH (SELECT '\"' || replace(text, '\"', '\"\"') || '\"' FROM folded)\n"
        "ORDER BY c.claim_id"
    )


def datasette_metadata(database: str, root: Path | None = None) -> dict:
    """datasette metadata for the database file named ``database`` (its stem), from ``schemas/``."""
    meta = sch.package_metadata(root)
    licence = meta["licenses"][0]
    tables = {}
    for table, schema in sch.schemas(root).items():
        columns = {f["name"]: f["description"] for f in schema["fields"]}
        entry = {"title": schema["title"], "description": schema["description"], "columns": columns}
        units = {
            f["name"]: unit
            for f in schema["fields"]
            for suffix, unit in UNIT_SUFFIXES.items()
            if f["name"].endswith(suffix)
        }
        if units:
            entry["units"] = units
        if table in LABELS:
            entry["label_column"] = LABELS[table]
        if table in SEARCHED:
            entry["fts_table"], entry["fts_pk"] = f"{table}_search", "rowid"
        tables[table] = entry
    for table in SEARCHED:
        tables[f"{table}_search"] = {"hidden": True}
    return {
        "title": meta["title"],
        "description": meta["description"],
        "license": licence["name"],
        "license_url": licence["path"],
        "source": "Five Arabic news articles (the articles table gives each one's outlet and date)",
        "databases": {
            database: {
                "title": meta["title"],
                "tables": tables,
                "queries": {
                    "search_claims": {
                        "title": "Search the quotes (Arabic spelling variants and short vowels ignored)",
                        "sql": search_claims_sql(),
                    }
                },
            }
        },
    }


def metadata_bytes(database: str, root: Path | None = None) -> bytes:
    import json

    return (json.dumps(datasette_metadata(database, root), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
