"""Load the bundled tables: offline, typed, from the files inside the installed package.

>>> import libya_conflict as lc
>>> events = lc.load_events()                      # a pandas DataFrame  # doctest: +SKIP
>>> claims = lc.load("claims", backend="arrow")    # a pyarrow.Table     # doctest: +SKIP
>>> events = lc.load("events", backend="polars")   # a polars DataFrame (the polars extra)  # doctest: +SKIP
>>> events = lc.load("events", backend="duckdb")   # a DuckDB relation (the duckdb extra)   # doctest: +SKIP

Every backend gives the schema's types: dates as dates, counts as nullable 64-bit integers, vocabulary
columns as categoricals (polars ``Enum``, DuckDB ``ENUM``) over every allowed level in the schema's
order, text as strings. pandas and pyarrow are imported when a table is first loaded, not when the
package is imported; polars and DuckDB only by their backends.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from . import schema as sch
from .extras import require

if TYPE_CHECKING:  # only for the signatures: none of these is imported at run time here
    import duckdb
    import pandas
    import polars
    import pyarrow

Table = Literal[
    "actors",
    "articles",
    "casualties",
    "claims",
    "equipment_losses",
    "event_actors",
    "event_relations",
    "events",
    "place_distances",
    "places",
    "retired_ids",
]
Backend = Literal["pandas", "arrow", "polars", "duckdb"]
Format = Literal["csv", "parquet"]
BACKENDS: tuple[str, ...] = get_args(Backend)
FORMATS: tuple[str, ...] = get_args(Format)


def list_tables() -> list[Table]:
    """Names of every table in the dataset.

    >>> "events" in list_tables()
    True
    """
    return cast("list[Table]", sch.table_names())


def path(table: Table, format: Format = "parquet") -> Path:
    """Path of a bundled table file (``format`` is ``"csv"`` or ``"parquet"``), for other tools to read.

    >>> path("events", format="csv").name
    'events.csv'
    >>> path("events").relative_to(path("events").parents[2]).as_posix()
    'data/parquet/events.parquet'
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


def load(table: Table, *, backend: Backend = "pandas", connection: duckdb.DuckDBPyConnection | None = None) -> Any:
    """One table, in the data frame library of ``backend``:

    - ``"pandas"`` (default): a ``pandas.DataFrame``; dtypes ``string``, ``Int64``, ``Float64``,
      ``boolean``, ``date32[day][pyarrow]`` and ``category`` (every allowed level, in the schema's order);
    - ``"arrow"``: a ``pyarrow.Table`` (vocabularies dictionary-encoded over every allowed level);
    - ``"polars"``: a ``polars.DataFrame`` (vocabularies as ``pl.Enum``); needs the ``polars`` extra;
    - ``"duckdb"``: a ``duckdb.DuckDBPyRelation`` (vocabularies as ``ENUM``) on ``connection``, else on a
      new in-memory connection; needs the ``duckdb`` extra. ``.create("events")`` keeps it as a table.

    >>> load("events", backend="arrow").schema.field("date_earliest").type   # doctest: +SKIP
    DataType(date32[day])

    See :func:`describe` for what each column means.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends are: {', '.join(BACKENDS)}")
    if connection is not None and backend != "duckdb":
        raise ValueError("a connection is given only with backend='duckdb'")
    sch.table_schema(table)  # raises ValueError with the valid names
    if backend in ("polars", "duckdb"):
        require(backend, f"lc.load(..., backend={backend!r})")
    import pyarrow.parquet as pq

    arrow_table = pq.read_table(_checked(f"data/parquet/{table}.parquet"))
    if backend == "arrow":
        return arrow_table
    if backend == "polars":
        return to_polars(table, arrow_table)
    if backend == "duckdb":
        return to_duckdb(table, arrow_table, connection)
    return to_pandas(table, arrow_table)


def to_pandas(table: str, arrow_table: pyarrow.Table) -> pandas.DataFrame:
    """Convert an Arrow table of ``table`` to pandas with the schema's dtypes.

    A bundled copy carries pandas metadata naming those dtypes, so pyarrow's conversion gives them and
    nothing is converted again; a copy written by another tool gets its columns converted here."""
    import pandas as pd

    frame = arrow_table.to_pandas()
    for name, dtype in sch.pandas_dtypes(table).items():
        if name not in frame.columns or _same_dtype(frame[name].dtype, dtype):
            continue
        if isinstance(dtype, pd.CategoricalDtype):
            frame[name] = pd.Categorical(frame[name].astype(object), categories=dtype.categories)
        elif isinstance(dtype, pd.ArrowDtype):
            frame[name] = pd.array(arrow_table.column(name).cast(dtype.pyarrow_dtype), dtype=dtype)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame


def _same_dtype(have, want) -> bool:
    """Whether a column's dtype is the loader's. Unordered categoricals compare equal whatever their level
    order, so their levels are compared as lists: they must be exactly the schema's, in its order."""
    import pandas as pd

    if isinstance(want, pd.CategoricalDtype):
        return (
            isinstance(have, pd.CategoricalDtype)
            and not have.ordered
            and list(have.categories) == list(want.categories)
        )
    return have == want


def to_polars(table: str, arrow_table: pyarrow.Table) -> polars.DataFrame:
    """Convert an Arrow table of ``table`` to polars: vocabularies as ``pl.Enum`` of every allowed level."""
    import polars as pl
    import pyarrow as pa

    decoded = pa.table(
        [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in arrow_table.columns],
        names=arrow_table.column_names,
    )
    frame = pl.from_arrow(decoded)
    assert isinstance(frame, pl.DataFrame)  # a table, not a single column, converts to a DataFrame
    levels = {f["name"]: sch.enum_of(f) for f in sch.table_schema(table)["fields"]}
    enums = {name: pl.Enum(values) for name, values in levels.items() if values and name in frame.columns}
    return frame.with_columns([pl.col(name).cast(kind) for name, kind in enums.items()])


def to_duckdb(
    table: str, arrow_table: pyarrow.Table, connection: duckdb.DuckDBPyConnection | None = None
) -> duckdb.DuckDBPyRelation:
    """An Arrow table of ``table`` as a DuckDB relation on ``connection`` (default: a new in-memory one),
    vocabularies cast to ``ENUM`` types of every allowed level, the other columns as Arrow gives them
    (``DATE``, ``BIGINT``, ``DOUBLE``, ``BOOLEAN``, ``VARCHAR``)."""
    import duckdb

    connection = connection if connection is not None else duckdb.connect()
    relation = connection.from_arrow(arrow_table)
    quote = lambda text, mark: mark + text.replace(mark, mark * 2) + mark  # noqa: E731
    columns = []
    for f in sch.table_schema(table)["fields"]:
        name = quote(f["name"], '"')
        levels = sch.enum_of(f)
        if levels:
            columns.append(f"CAST({name} AS ENUM({', '.join(quote(v, chr(39)) for v in levels)})) AS {name}")
        else:
            columns.append(name)
    return relation.project(", ".join(columns))


def load_all(*, backend: Backend = "pandas") -> dict[str, Any]:
    """Every table, keyed by name, in the data frame library of ``backend`` (see :func:`load`)."""
    return {table: load(table, backend=backend) for table in list_tables()}


def describe(table: str) -> list[dict]:
    """What each column of a table holds: name, type, title, description, required, allowed values.

    >>> describe("events")[0]["name"]
    'event_id'
    """
    out = []
    for field in sch.table_schema(table)["fields"]:
        constraints = field.get("constraints", {})
        out.append(
            {
                "name": field["name"],
                "type": field["type"],
                "title": field["title"],
                "description": field["description"],
                "required": bool(constraints.get("required")),
                "enum": constraints.get("enum"),
            }
        )
    return out


def datapackage() -> dict:
    """The bundled ``datapackage.json`` (frictionless Data Package descriptor) as a dict."""
    return json.loads(Path(_checked("datapackage.json")).read_text(encoding="utf-8"))


def citation() -> str:
    """How to cite the dataset (the bundled CITATION.cff, as text)."""
    return Path(_checked("CITATION.cff")).read_text(encoding="utf-8")


def load_articles() -> pandas.DataFrame:
    """The source articles: path of the bundled text, sha256, outlet, publication date range."""
    return load("articles")


def load_actors() -> pandas.DataFrame:
    """People, forces, governments, operations, states and groups, with side and parent."""
    return load("actors")


def load_places() -> pandas.DataFrame:
    """Places with coordinates, their precision and parent place."""
    return load("places")


def load_events() -> pandas.DataFrame:
    """Events as reported, one row per happening per article, with ACLED vocabulary and date ranges."""
    return load("events")


def load_event_actors() -> pandas.DataFrame:
    """Who took part in each event, and in what role."""
    return load("event_actors")


def load_event_relations() -> pandas.DataFrame:
    """Links between events: withdrawal_from, response_to, part_of, follows, same_report_as."""
    return load("event_relations")


def load_equipment_losses() -> pandas.DataFrame:
    """Equipment losses by reported batch; rows with is_total=True are running totals, never to be added."""
    return load("equipment_losses")


def load_casualties() -> pandas.DataFrame:
    """Killed, wounded and captured, by side; alternative reports share an alternative_group."""
    return load("casualties")


def load_claims() -> pandas.DataFrame:
    """Exact quotes of the articles supporting every record, with offsets, claimant and stance."""
    return load("claims")


def load_place_distances() -> pandas.DataFrame:
    """Distances between places as the articles state them."""
    return load("place_distances")


def load_retired_ids() -> pandas.DataFrame:
    """Identifiers that were merged or withdrawn, and what replaces them."""
    return load("retired_ids")
