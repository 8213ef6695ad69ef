"""Validation of a libya-conflict data package: every rule, every problem, one report.

>>> from libya_conflict.validators import validate
>>> report = validate()            # the bundled data   # doctest: +SKIP
>>> report.valid, len(report.problems)                  # doctest: +SKIP
(True, 0)

Rule families (ids are stable; see ``RULES`` for each rule's description, ``registry.RULES`` for the records):

- ``column.*``: one cell against its column's schema (types, required, unique, vocabularies, patterns,
  ranges, scripts, whitespace, formula-like cells), run through pandera models built from ``schemas/``;
- ``row.*``: the columns of one record against each other (date order and precision, count order...);
- ``cross.*``: records against other tables and the article texts (foreign keys, quotes, relations);
- ``integrity.*``: the files against the descriptor and each other (bytes, hashes, Parquet, staleness).

A family never stops another: all run, and all problems are collected.
"""

from __future__ import annotations

from pathlib import Path

from .columns import check_columns, column_mojibake
from .cross import check_cross
from .integrity import check_integrity
from .registry import descriptions
from .report import Problem, Report
from .rows import check_rows

# Rule id -> description, in report order: derived from the registry (registry.py), where each family's
# rules are declared beside their functions.
RULES = descriptions()


def validate(path: str | Path | None = None) -> Report:
    """Validate the data package in folder ``path`` (default: the bundled data) and return a :class:`Report`.

    Any content of the folder, however damaged or hostile, gives a report: nothing is raised for bad data,
    only for misuse (``TypeError`` for a ``path`` that is not a path, ``FileNotFoundError`` or
    ``NotADirectoryError`` when it is not a folder). Only regular files inside the folder are opened, and
    nothing is downloaded.
    """
    import os

    from libya_conflict.schema import package_root

    from .lines import locate
    from .runner import validate_folder

    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"validate() takes the path of a folder, not a {type(path).__name__}")
    root = Path(path) if path is not None else package_root()
    if not root.exists():
        raise FileNotFoundError(f"{root} does not exist")
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a folder")
    report = Report(folder=str(root.resolve()))
    package = None
    try:
        package = validate_folder(root, report)  # every family, on both cores, reported in the order above
    except Exception as exc:  # noqa: BLE001 - a report, never a traceback, whatever the folder holds
        report.add(
            "",
            "",
            "",
            "integrity.internal",
            f"validation could not finish on this package ({type(exc).__name__}). This is a fault of "
            "the validator: please report it with the package",
        )
    try:
        locate(report, package)  # the file and line of every problem
    except Exception:  # noqa: BLE001 - the problems stand without their lines
        pass
    return report


__all__ = ["Problem", "Report", "RULES", "validate"]
