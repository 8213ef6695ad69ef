"""Validation of a libya-conflict data package: every rule, every problem, one report.

>>> from libya_conflict.validators import validate
>>> report = validate()            # the bundled data   # doctest: +SKIP
>>> report.valid, len(report.problems)                  # doctest: +SKIP
(True, 0)

Rule families (ids are stable; see ``RULES`` for each rule's description):

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
from .cross import RULES as CROSS_RULES, check_cross
from .integrity import RULES as INTEGRITY_RULES, check_integrity
from .report import Problem, Report
from .rows import RULES as ROW_RULES, check_rows

COLUMN_RULES = {
    "column.type": "A cell holds a value of its column's type (ISO date, integer or decimal with ASCII digits, true/false).",
    "column.required": "A required column has a value in every row.",
    "column.unique": "A unique column (every primary key) has no duplicate value.",
    "column.enum": "A vocabulary column holds one of the values the schema allows.",
    "column.pattern": "An identifier or code matches the schema's pattern (written with [0-9], never \\d).",
    "column.range": "A number lies within the schema's minimum and maximum.",
    "column.length": "A text lies within the schema's length limits.",
    "column.script_arabic": "An Arabic column contains Arabic script.",
    "column.script_latin": "An English column contains no Arabic script.",
    "column.whitespace": "No cell has leading or trailing whitespace.",
    "column.formula": "No text cell starts with = + - @, tab or CR (a spreadsheet would run it), unless it is a number.",
    "column.ascii_digits": "Identifiers and codes use ASCII digits only (no Arabic-Indic or other digits).",
    "column.mojibake": " ".join(column_mojibake.__doc__.split()),
    "column.control_characters": "No free-text cell holds an invisible control character: C0 controls but tab and "
                                 "line break, DEL, C1 controls, bidirectional embeddings, overrides and isolates "
                                 "(U+202A-U+202E, U+2066-U+2069), zero-width spaces, byte-order marks and other "
                                 "format characters (Arabic's joiners and direction marks are allowed). Vocabularies "
                                 "and codes refuse them through column.enum and column.pattern.",
}
OTHER_RULES = {
    "integrity.file_missing": "Every file the package needs (datapackage.json, each table's CSV) exists.",
    "integrity.unreadable": "Every file can be read (UTF-8, well-formed CSV, parseable JSON and Parquet).",
    "integrity.schema_mismatch": "CSV headers and the schemas declared in datapackage.json agree with schemas/.",
    "integrity.build": "The curated sources can be built (quotes found, types parse).",
    "integrity.path": "Every file the package names is a regular file inside its folder: no absolute path, no '..' "
                      "out of it, no link leading out, no folder, FIFO or device where a file belongs. Such a file is "
                      "never opened.",
    "integrity.url": "datapackage.json names no URL where a file, profile, schema or dialect would be fetched: "
                     "validation never downloads.",
    "integrity.internal": "Every rule finished: a rule that failed on an unforeseen input is reported here (a fault "
                          "of the validator), so that such a package is never called valid.",
}


def _rules() -> dict[str, str]:
    rules = dict(COLUMN_RULES)
    for family in (ROW_RULES, CROSS_RULES, INTEGRITY_RULES):
        for function in family:
            rule_id = function.__name__.replace("_", ".", 1)
            rules[rule_id] = " ".join(function.__doc__.split())
    rules.update(OTHER_RULES)
    return rules


# Secondary ids some rule functions report besides their own.
EXTRA_IDS = {
    "row.coordinates": "Latitude and longitude are given together, and geo_precision 'none' exactly when they are absent.",
    "cross.article_hash": "Each article's file matches the sha256 and size recorded in the articles table.",
    # integrity.resource_files reports under these two ids.
    "integrity.bytes": "Each CSV resource has the size in bytes declared in datapackage.json.",
    "integrity.hash": "Each CSV resource has the sha256 hash declared in datapackage.json.",
}

RULES = {**_rules(), **EXTRA_IDS}


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
        report.add("", "", "", "integrity.internal",
                   f"validation could not finish on this package ({type(exc).__name__}). This is a fault of "
                   "the validator: please report it with the package")
    try:
        locate(report, package)  # the file and line of every problem
    except Exception:  # noqa: BLE001 - the problems stand without their lines
        pass
    return report


__all__ = ["Problem", "Report", "RULES", "validate"]
