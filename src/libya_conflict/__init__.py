"""libya-conflict: a source-grounded dataset of the 2019-2020 war for Tripoli and western Libya.

>>> import libya_conflict as lc
>>> events = lc.load_events()          # pandas DataFrame, typed  # doctest: +SKIP
>>> lc.describe("events")              # what each column means   # doctest: +SKIP
>>> lc.validate().valid                # check the bundled data   # doctest: +SKIP
True

Importing the package is cheap: pandas and pyarrow load only when a table is loaded; the optional parts
(validation, polars, DuckDB, the workbook, figures) are extras, and each says which ``pip install`` line
brings it when it is missing (see :mod:`libya_conflict.extras`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .loader import (
    citation,
    datapackage,
    describe,
    list_tables,
    load,
    load_actors,
    load_all,
    load_articles,
    load_casualties,
    load_claims,
    load_equipment_losses,
    load_event_actors,
    load_event_relations,
    load_events,
    load_place_distances,
    load_places,
    load_retired_ids,
    path,
)

if TYPE_CHECKING:  # only for the signatures; the validators need the validate extra
    from pathlib import Path

    from .validators.report import Report


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata on first use: importlib.metadata costs more to
    import than the rest of the package, and loading a table does not need it."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("libya-conflict")
    except PackageNotFoundError:  # running from a source tree that was never installed
        value = "0+unknown"
    globals()["__version__"] = value
    return value


def validate(path: str | Path | None = None) -> Report:
    """Validate the bundled data package, or the one in folder ``path`` (a user's edited copy).

    Returns a report with ``.valid`` and ``.problems`` (table, row, column, rule, message); nothing is
    raised for bad data. See ``libya-conflict validate --help`` for the command-line form.
    """
    from .extras import require

    require("validate", "validation")
    from .validators import validate as _validate

    return _validate(path)


__all__ = [
    "__version__",
    "citation",
    "datapackage",
    "describe",
    "list_tables",
    "load",
    "load_actors",
    "load_all",
    "load_articles",
    "load_casualties",
    "load_claims",
    "load_equipment_losses",
    "load_event_actors",
    "load_event_relations",
    "load_events",
    "load_place_distances",
    "load_places",
    "load_retired_ids",
    "path",
    "validate",
]
