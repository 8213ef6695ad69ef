"""Running the rules on both cores, with the report in a fixed order.

The rules only read the package, so they are independent tasks: the column rules of each table and the
comparison of each table with its Parquet copy (which start as soon as that table is read, while larger
ones are still being parsed), then the record rules, each cross-table rule and the other integrity rules.
They run on two threads, the largest first, each into a report of its own. Most of their time is spent
in pyarrow, numpy and DuckDB, which release Python's lock, so the two threads truly run together.

The reports are then joined in the order of the registry (``registry.RULES``), after the problems found
in reading the package: each task has the place of its rule there (and, for a rule run table by table,
of its table), so the report is the same whatever finished first.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from .joins import Joins
from .report import Report
from .settings import WORKERS, process_settings


class Task(NamedTuple):
    """One task of the scheduler: where its problems go in the report (:func:`place`), how long it is
    expected to take (only the order of the estimates matters) and the function that runs it into a
    report."""

    place: tuple[int, int]
    cost: float
    run: Callable[[Report], None]


def place(rule_id: str, table: str | None = None) -> tuple[int, int]:
    """The place in the report of the problems of rule ``rule_id`` (of ``table``, for a rule run table by
    table): after those of the rules before it in the registry, and of the tables before it."""
    from libya_conflict.schema import table_names

    from .registry import position

    return (position(rule_id), table_names().index(table) if table is not None else 0)


def table_tasks(package, table: str) -> list[Task]:
    """The tasks of one table, as soon as it is read: its column rules and its comparison with its Parquet
    copy. Their cost is the table's size."""
    from . import columns, integrity, registry

    size = package.files[table].bytes
    # Every column rule of a table runs in one pandera validation: its problems take the place of the
    # first column rule.
    first_column_rule = registry.family("column")[0].id
    return [
        Task(place(first_column_rule, table), size, partial(columns.check_table_columns, package, table)),
        Task(place("integrity.parquet", table), size * 0.8, partial(integrity.parquet_table, package, table)),
    ]


# What each task that needs every table took, in seconds of one core, on the benchmark's package of a
# million events (bench/run.py): only the order they give matters. The two threads take these tasks
# largest first, so that the last ones to start, which decide when both are done, are small. A rule not
# listed is small. (A table's own tasks are ordered by the table's size, as each table is read.)
COST = {
    "cross.claim_quote": 2.3,
    "cross.foreign_key": 0.9,
    "cross.relation_date_order": 0.7,
    "cross.dated_after_publication": 0.5,
    "cross.hierarchy_cycle": 0.5,
    "cross.record_has_claim": 0.5,
    "cross.claim_article": 0.45,
    "cross.claim_record": 0.3,
    "cross.named_official": 0.2,
    "integrity.descriptor": 0.2,
    "cross.duplicate_relation": 0.17,
    "cross.event_actor_roles": 0.16,
    "cross.loss_actor_in_event": 0.15,
    "cross.same_report_article": 0.11,
    "cross.relation_cycle": 0.1,
}
# The record rules, which run as one task (each is quick).
RECORD_RULES_COST = 0.6
SMALL = 0.05


def package_tasks(package) -> list[Task]:
    """The tasks that need every table: the record rules (together), each cross-table rule and each
    integrity rule but the Parquet comparison (run table by table)."""
    from libya_conflict.schema import field_names

    from . import registry, rows

    # A table whose header lacks a schema column is reported by the column rules
    # (integrity.schema_mismatch). The record and cross-table rules need every column: they skip that
    # table as they skip a missing file. The joins of those rules are over the tables they see: their own.
    complete = replace(
        package,
        frames={t: f for t, f in package.frames.items() if set(field_names(t)) <= set(f.columns)},
        joins=Joins(),
    )
    # The record rules report in the registry's order within their task, at the place of the first.
    out = [Task(place(registry.family("row")[0].id), RECORD_RULES_COST, partial(rows.check_rows, complete))]
    for family, view in (("cross", complete), ("integrity", package)):
        for record in registry.family(family):
            if record.check is not None and record.id != "integrity.parquet":
                out.append(Task(place(record.id), COST.get(record.id, SMALL), partial(record.check, view)))
    return out


def import_rule_libraries() -> None:
    """Import what the rules run on, first thing, beside the parsing of the first tables.

    Importing pandas and pandera is Python work (about half a second) that holds the interpreter lock;
    Arrow parses CSV without it, so the two share the cores well. Left to the first column rule, the
    import would fall when reading the article files needs the lock too."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pandera.pandas  # noqa: F401


def guarded(task: Callable[[Report], None], report: Report, libraries: Future | None = None) -> None:
    """Run one rule task; should it fail on an input nobody foresaw, say so as a problem (the data could
    not be fully checked, so it is not called valid) and let the other rules finish.

    ``libraries``: the import of the rule libraries under way in another thread, awaited first: a rule
    importing pandera while that thread did could fail with ``_DeadlockError`` (pandera's modules import
    one another in a cycle). The readers do not wait: they import only pandas, whose import never waits
    on a module they are importing, and a worker waiting there would stop parsing the other tables."""
    try:
        if libraries is not None:
            libraries.result()
        task(report)
    except Exception as exc:  # noqa: BLE001 - any failure of a rule is reported, never raised
        name = getattr(getattr(task, "func", task), "__name__", "a rule")
        report.add(
            "",
            "",
            "",
            "integrity.internal",
            f"{name} could not finish on this package ({type(exc).__name__}); the other rules ran. "
            "This is a fault of the validator: please report it with the package",
        )


def validate_folder(root: Path, report: Report, workers: int = WORKERS):
    """Read the package in ``root`` and run every rule on it, adding the problems to ``report`` in the
    documented order. Returns the package."""
    from concurrent.futures import ThreadPoolExecutor

    from .package import read_package

    reports: dict[tuple[int, int], Report] = {}
    running = []

    def submit(todo: list[Task]) -> None:
        for task in sorted(todo, key=lambda t: -t.cost):
            reports[task.place] = Report()
            running.append(pool.submit(guarded, task.run, reports[task.place], importing))

    with process_settings(), ThreadPoolExecutor(max_workers=workers) as pool:
        importing = pool.submit(import_rule_libraries)
        package = read_package(root, report, pool, ready=lambda package, table: submit(table_tasks(package, table)))
        submit(package_tasks(package))
        importing.result()
        for future in running:
            future.result()
    for at in sorted(reports):
        report.problems.extend(reports[at].problems)
    return package
