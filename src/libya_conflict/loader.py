"""Load the bundled tables: offline, typed, from the files inside the installed package.

>>> import libya_conflict as lc
>>> events = lc.load_events()                     # a pandas DataFrame  # doctest: +SKIP
>>> claims = lc.load("claims", backend="arrow")   # a pyarrow.Table     # doctest: +SKIP

pandas and pyarrow are imported when a table is first loaded, not when the package is imported.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import schema as sch

FORMATS = ("csv", "parquet")


def list_tables() -> list[str]:
    """Names of every table in the dataset.

    >>> "events" in list_tables()
    True
    """
    return sch.table_names()


def path(table: str, format: str = "parquet") -> Path:
    """Path of a bundled table file (``format`` is ``"csv"`` or ``"parquet"``).

    >>> path("events", format="csv").name
    'events.csv'
    """
    sch.table_schema(table)  # raises ValueError with the valid names
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; valid formats are: {', '.join(FORMATS)}")
    root = sch.package_root()
    if format == "csv":
        return root / "data" / f"{table}.csv"
    return root / "data" / "parquet" / f"{table}.parquet"


def _checked(relative: str) -> str:
    """A file of the bundled package, opened only if it is a regular file inside it."""
    from .confine import Confined

    return Confined(sch.package_root()).check(relative)


def load(table: str, *, backend: str = "pandas"):
    """One table as a pandas DataFrame (``backend="pandas"``) or a ``pyarrow.Table`` (``"arrow"``).

    pandas columns carry the schema's types: dates as ``datetime64``, counts as ``Int64``, vocabulary
    columns as ``category`` with every allowed level, text as ``string``. See :func:`describe`
    for what each column means.
    """
    if backend not in ("pandas", "arrow"):
        raise ValueError(f"unknown backend {backend!r}; valid backends are: pandas, arrow")
    import pyarrow.parquet as pq

    sch.table_schema(table)  # raises ValueError with the valid names
    arrow_table = pq.read_table(_checked(f"data/parquet/{table}.parquet"))
    if backend == "arrow":
        return arrow_table
    return to_pandas(table, arrow_table)


def to_pandas(table: str, arrow_table):
    """Convert an Arrow table of ``table`` to pandas with the schema's dtypes."""
    import pandas as pd

    frame = arrow_table.to_pandas()
    for name, dtype in sch.pandas_dtypes(table).items():
        if name not in frame.columns:
            continue
        if isinstance(dtype, pd.CategoricalDtype):
            # Unordered categoricals compare equal whatever their level order, so astype() may keep the
            # file's order; rebuild so the levels are exactly the schema's, in the schema's order.
            frame[name] = pd.Categorical(frame[name].astype(object), categories=dtype.categories)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def load_all(*, backend: str = "pandas") -> dict:
    """Every table, keyed by name."""
    return {table: load(table, backend=backend) for table in list_tables()}


def describe(table: str) -> list[dict]:
    """What each column of a table holds: name, type, title, description, required, allowed values.

    >>> describe("events")[0]["name"]
    'event_id'
    """
    out = []
    for field in sch.table_schema(table)["fields"]:
        constraints = field.get("constraints", {})
        out.append({
            "name": field["name"],
            "type": field["type"],
            "title": field["title"],
            "description": field["description"],
            "required": bool(constraints.get("required")),
            "enum": constraints.get("enum"),
        })
    return out


def datapackage() -> dict:
    """The bundled ``datapackage.json`` (frictionless Data Package descriptor) as a dict."""
    return json.loads(Path(_checked("datapackage.json")).read_text(encoding="utf-8"))


def citation() -> str:
    """How to cite the dataset (the bundled CITATION.cff, as text)."""
    return Path(_checked("CITATION.cff")).read_text(encoding="utf-8")


def load_articles():
    """The source articles: path of the bundled text, sha256, outlet, publication date range."""
    return load("articles")


def load_actors():
    """People, forces, governments, operations, states and groups, with side and parent."""
    return load("actors")


def load_places():
    """Places with coordinates, their precision and parent place."""
    return load("places")


def load_events():
    """Events as reported, one row per happening per article, with ACLED vocabulary and date ranges."""
    return load("events")


def load_event_actors():
    """Who took part in each event, and in what role."""
    return load("event_actors")


def load_event_relations():
    """Links between events: withdrawal_from, response_to, part_of, follows, same_report_as."""
    return load("event_relations")


def load_equipment_losses():
    """Equipment losses by reported batch; rows with is_total=True are running totals, never to be added."""
    return load("equipment_losses")


def load_casualties():
    """Killed, wounded and captured, by side; alternative reports share an alternative_group."""
    return load("casualties")


def load_claims():
    """Exact quotes of the articles supporting every record, with offsets, claimant and stance."""
    return load("claims")


def load_place_distances():
    """Distances between places as the articles state them."""
    return load("place_distances")


def load_retired_ids():
    """Identifiers that were merged or withdrawn, and what replaces them."""
    return load("retired_ids")
