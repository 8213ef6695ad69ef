"""The table schemas in ``schemas/`` and what follows from them.

``schemas/<table>.schema.json`` (frictionless Table Schema) is the one hand-edited definition of every
table. Everything typed in this package is derived here from those files: the Arrow schema of the Parquet
copies, the pandas dtypes of the loader and the parsing of CSV text into typed columns.

Only the standard library is imported at module level so that ``import libya_conflict`` stays light.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

SCHEMA_SUFFIX = ".schema.json"

# A strict subset of ISO 8601: frictionless and pandas both accept looser forms, curators must not.
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INTEGER_RE = re.compile(r"^-?[0-9]+$")
NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def package_root() -> Path:
    """Folder holding ``datapackage.json``, ``data/`` and ``schemas/`` of the installed dataset.

    In a wheel that is ``libya_conflict/bundle``; in a source checkout (editable install) it is the
    repository itself, which is the same data package.
    """
    # The package is installed as files (a wheel is unpacked, never imported from a zip): the bundle is
    # beside this module, found without importlib.resources (whose files() takes milliseconds of a load).
    here = Path(__file__).resolve().parent
    bundled = here / "bundle"
    if bundled.is_dir():
        return bundled
    return here.parents[1]


def schema_dir(root: Path | None = None) -> Path:
    """The ``schemas/`` folder of the project in ``root`` (default: the installed dataset's).

    A user's copy of the data package (``datapackage.json`` and ``data/``) holds no ``schemas/``: its
    tables are those of the installed package, so its schemas are the installed ones."""
    if root is not None and (Path(root) / "schemas").is_dir():
        return Path(root) / "schemas"
    return package_root() / "schemas"


@cache
def _read_schemas(folder: str) -> dict[str, dict]:
    from .confine import Confined

    files = Confined(folder)
    return {
        path.name[: -len(SCHEMA_SUFFIX)]: _parse_schema(files, path.name)
        for path in sorted(Path(folder).glob(f"*{SCHEMA_SUFFIX}"))
    }


# A table name that can only name a file of the schemas folder itself.
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")


@cache
def _read_schema(folder: str, table: str) -> dict | None:
    """One table's schema, read alone (None when there is no such file): loading one table need not
    parse the ten others. It is the same parse as :func:`_read_schemas`'."""
    from .confine import Confined

    files, name = Confined(folder), f"{table}{SCHEMA_SUFFIX}"
    return _parse_schema(files, name) if files.is_file(name) else None


def _parse_schema(files, name: str) -> dict:
    try:
        schema = json.loads(files.read_bytes(name).decode("utf-8"))
    except (ValueError, OSError) as exc:  # UnsafePath, a decoding or JSON error
        raise ValueError(f"schemas/{name} cannot be read: {str(exc)[:200]}") from None
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise ValueError(f"schemas/{name} is not a Table Schema (an object with a 'fields' list)")
    return schema


def schemas(root: Path | None = None) -> dict[str, dict]:
    """All table schemas, keyed by table name, in alphabetical order.

    >>> "events" in schemas()
    True
    """
    return _read_schemas(str(schema_dir(root)))


def table_names(root: Path | None = None) -> list[str]:
    """Names of the tables, in the fixed (alphabetical) order used everywhere."""
    return list(schemas(root))


def table_schema(table: str, root: Path | None = None) -> dict:
    """The Table Schema of one table; ``ValueError`` naming the valid tables if it does not exist."""
    folder = str(schema_dir(root))
    if _read_schemas.cache_info().currsize == 0 and isinstance(table, str) and _TABLE_NAME.match(table):
        alone = _read_schema(folder, table)  # before every schema has been read: this one only
        if alone is not None:
            return alone
    all_schemas = schemas(root)
    if table not in all_schemas:
        raise ValueError(f"unknown table {table!r}; valid tables are: {', '.join(all_schemas)}")
    return all_schemas[table]


def field_names(table: str, root: Path | None = None) -> list[str]:
    return [f["name"] for f in table_schema(table, root)["fields"]]


def primary_key(table: str, root: Path | None = None) -> str:
    return table_schema(table, root)["primaryKey"]


def enum_of(field: dict) -> list[str] | None:
    return field.get("constraints", {}).get("enum")


def vocabulary(table: str, column: str, root: Path | None = None) -> list[str]:
    """The allowed values of a vocabulary column, in the schema's order.

    >>> vocabulary("events", "date_precision")
    ['day', 'week', 'month', 'year', 'range']
    """
    return enum_of(next(f for f in table_schema(table, root)["fields"] if f["name"] == column))


def allowed_values(field: dict, code=str) -> str:
    """A field's constraints in words, as the codebook shows them (``code`` formats values and patterns).

    >>> allowed_values({"name": "n", "type": "integer", "constraints": {"minimum": 1, "unique": True}})
    '>= 1; unique'
    """
    c = field.get("constraints", {})
    allowed = []
    if "enum" in c:
        allowed.append(", ".join(code(v) for v in c["enum"]))
    if "pattern" in c:
        allowed.append(f"pattern {code(c['pattern'])}")
    if "minimum" in c:
        allowed.append(f">= {c['minimum']}")
    if "maximum" in c:
        allowed.append(f"<= {c['maximum']}")
    if c.get("unique"):
        allowed.append("unique")
    if field.get("script"):
        allowed.append(f"{field['script']} script")
    return "; ".join(allowed)


def package_metadata(root: Path | None = None) -> dict:
    """Package-level metadata (title, licences, coverage...) from ``schemas/package.json``."""
    from .confine import Confined

    return json.loads(Confined(schema_dir(root)).read_bytes("package.json").decode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Domain vocabularies: facts about the tables' values (``schemas/vocabularies.json``) that the rules check
# and the generators of valid packages follow. Always the installed package's: a user's copy of the
# package is checked against the project's own rules, as against its own table schemas.

VOCABULARIES_FILE = "vocabularies.json"


@cache
def _vocabularies() -> dict:
    from .confine import Confined

    return json.loads(Confined(schema_dir()).read_bytes(VOCABULARIES_FILE).decode("utf-8"))


def _values(name: str):
    return _vocabularies()[name]["values"]


def acled_sub_event_types() -> dict[str, frozenset[str]]:
    """ACLED's event types and the sub-event types that belong to each.

    >>> "Armed clash" in acled_sub_event_types()["Battles"]
    True
    """
    return {t: frozenset(subs) for t, subs in _values("acled_sub_event_types").items()}


def event_kind_acled_types() -> dict[str, frozenset[tuple[str, str]]]:
    """The (event_type, sub_event_type) pairs allowed for the kinds of event curation codes one way."""
    return {k: frozenset((t, s) for t, s in pairs) for k, pairs in _values("event_kind_acled_types").items()}


def date_ranges() -> dict[str, tuple[str, str, str]]:
    """The tables dated by a range: (earliest, latest, precision) columns of each."""
    return {t: (lo, hi, precision) for t, (lo, hi, precision) in _values("date_ranges").items()}


def _names(name: str) -> frozenset[str]:
    return frozenset(_values(name))


def future_statuses() -> frozenset[str]:
    """Event statuses that may be dated after every article reporting the event."""
    return _names("future_statuses")


def fact_statuses() -> frozenset[str]:
    """Event statuses of a happening taken as fact."""
    return _names("fact_statuses")


def claimed_tables() -> tuple[str, ...]:
    """Tables whose every record needs a claim, in the order the rules check them."""
    return tuple(_values("claimed_tables"))


def event_records() -> tuple[str, ...]:
    """Tables whose records belong to one event, in the order the rules check them.

    >>> event_records()[0]
    'event_actors'
    """
    return tuple(_values("event_records"))


def event_columns(table: str) -> tuple[str, ...]:
    """The columns of ``table`` that name an event: its foreign keys to events.event_id, in schema order.

    >>> event_columns("event_relations")
    ('event_id', 'related_event_id')
    """
    return tuple(
        fk["fields"]
        for fk in table_schema(table).get("foreignKeys", [])
        if fk["reference"]["resource"] == "events" and fk["reference"]["fields"] == "event_id"
    )


def claimant_source_kinds() -> frozenset[str]:
    """Source kinds whose claim names who makes it (claimant_actor_id)."""
    return _names("claimant_source_kinds")


def ordered_relations() -> tuple[str, ...]:
    """Relations whose event is never dated before the related event."""
    return tuple(_values("ordered_relations"))


def acyclic_relations() -> tuple[str, ...]:
    """Relations that never form a cycle, in the order the rules check them."""
    return tuple(_values("acyclic_relations"))


def happening_relations() -> tuple[str, ...]:
    """Relations between two happenings, never between two reports of one."""
    return tuple(_values("happening_relations"))


def withdrawing_kinds() -> frozenset[str]:
    """Kinds of event that withdraw (the event of a withdrawal_from relation)."""
    return _names("withdrawing_kinds")


def withdrawn_from_kinds() -> frozenset[str]:
    """Kinds of event withdrawn from (the related event of a withdrawal_from relation)."""
    return _names("withdrawn_from_kinds")


def opposed_roles() -> tuple[tuple[str, str], ...]:
    """Pairs of roles no actor holds both of in one event."""
    return tuple((one, other) for one, other in _values("opposed_roles"))


def airborne_categories() -> frozenset[str]:
    """Equipment categories that can be shot down."""
    return _names("airborne_categories")


def strike_methods() -> frozenset[str]:
    """Methods of loss that strike from afar, and never capture."""
    return _names("strike_methods")


def capture_statuses() -> frozenset[str]:
    """What equipment lost by ground capture may have become."""
    return _names("capture_statuses")


# ---------------------------------------------------------------------------------------------
# Typed columns. Imports of pyarrow happen inside the functions: only callers that need types pay.


def arrow_type(field: dict):
    """The Arrow type a schema field is stored as in Parquet."""
    import pyarrow as pa

    if enum_of(field):
        return pa.dictionary(pa.int32(), pa.string())
    return {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }[field["type"]]


def is_required(field: dict) -> bool:
    return bool(field.get("constraints", {}).get("required"))


# The pandas dtype of each schema type, by name, as pandas' own Parquet metadata spells it: pyarrow
# rebuilds these extension dtypes when it converts a table to pandas, so a plain ``pd.read_parquet``
# of a copy gives the loader's dtypes. Dates stay dates (``date32[day][pyarrow]``), not timestamps.
PANDAS_TYPES = {
    "string": ("unicode", "string"),
    "integer": ("int64", "Int64"),
    "number": ("float64", "Float64"),
    "boolean": ("bool", "boolean"),
    "date": ("date", "date32[day][pyarrow]"),
}


def pandas_metadata(table: str, root: Path | None = None) -> dict:
    """The ``pandas`` entry of a Parquet copy's schema metadata: no index, each column's pandas dtype
    (vocabularies as categoricals over every allowed level, the levels being the Parquet dictionary).

    >>> pandas_metadata("events")["columns"][0]["numpy_type"]
    'string'
    """
    columns = []
    for f in table_schema(table, root)["fields"]:
        levels = enum_of(f)
        pandas_type, numpy_type = ("categorical", "int32") if levels else PANDAS_TYPES[f["type"]]
        columns.append(
            {
                "name": f["name"],
                "field_name": f["name"],
                "pandas_type": pandas_type,
                "numpy_type": numpy_type,
                "metadata": {"num_categories": len(levels), "ordered": False} if levels else None,
            }
        )
    # No library versions: the same sources must give the same bytes whatever is installed.
    return {"index_columns": [], "column_indexes": [], "columns": columns, "creator": {"library": "libya-conflict"}}


def arrow_schema(table: str, root: Path | None = None):
    """The Arrow schema of a table's Parquet copy: the schema's types, required columns non-nullable,
    each column's title and description in its field metadata, the table's in the schema metadata
    (``title``, ``description``, ``primary_key``), and the ``pandas`` metadata of :func:`pandas_metadata`.

    >>> arrow_schema("events").field("event_id").nullable
    False
    """
    import pyarrow as pa

    schema = table_schema(table, root)
    fields = [
        pa.field(
            f["name"],
            arrow_type(f),
            nullable=not is_required(f),
            metadata={"title": f.get("title", ""), "description": f.get("description", "")},
        )
        for f in schema["fields"]
    ]
    metadata = {
        "title": schema.get("title", ""),
        "description": schema.get("description", ""),
        "primary_key": json.dumps(schema.get("primaryKey")),
        "pandas": json.dumps(pandas_metadata(table, root), ensure_ascii=False),
    }
    return pa.schema(fields, metadata=metadata)


def format_cell(field: dict, value) -> str:
    """The canonical CSV text of a typed value: the inverse of :func:`libya_conflict.tables.parse_cell`."""
    if value is None:
        return ""
    kind = field["type"]
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat()
    if kind == "number":
        text = repr(float(value))
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def pandas_dtypes(table: str, root: Path | None = None) -> dict:
    """The pandas dtype of every column, as the loader (and a plain ``pd.read_parquet`` of the bundled
    Parquet) returns it: ``string``, ``Int64``, ``Float64``, ``boolean``, ``date32[day][pyarrow]``, and
    ``category`` over every allowed level in the schema's order.

    >>> str(pandas_dtypes("events")["date_earliest"])
    'date32[day][pyarrow]'
    """
    import pandas as pd
    import pyarrow as pa

    # Built directly: parsing the names (pandas_dtype("date32[day][pyarrow]")) takes longer than the load.
    kinds = {
        "string": pd.StringDtype(),
        "integer": pd.Int64Dtype(),
        "number": pd.Float64Dtype(),
        "boolean": pd.BooleanDtype(),
        "date": pd.ArrowDtype(pa.date32()),
    }
    return {
        f["name"]: pd.CategoricalDtype(enum_of(f)) if enum_of(f) else kinds[f["type"]]
        for f in table_schema(table, root)["fields"]
    }
