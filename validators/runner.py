"""Running the rules on both cores, with the report in a fixed order.

The rules only read the package, so they are independent tasks: the column rules of each table and the
comparison of each table with its Parquet copy (which start as soon as that table is read, while larger
ones are still being parsed), then the record rules, each cross-table rule and the other integrity rules.
They run on two threads, the largest first, each into a report of its own. Most of their time is spent
in pyarrow, numpy and DuckDB, which release Python's lock, so the two threads truly run together. The
reports are then joined in the documented order (reading, columns, records, cross-table, integrity;
tables in their fixed order), so the report is the same whatever finished first.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

# Threads: the machines this runs on in CI have two cores.
WORKERS = 2


def table_tasks(package, table: str) -> list[tuple[tuple, float, object]]:
    """The tasks of one table, as (place in the report, estimated cost, function taking a report)."""
    from libya_conflict.schema import table_names

    from . import columns, integrity, registry

    i, size = table_names().index(table), package.files[table].bytes
    parquet = registry.checks("integrity").index(integrity.integrity_parquet)
    return [
        ((0, i), size, partial(columns.check_table_columns, package, table)),
        ((3, parquet, i), size * 0.8, partial(integrity.parquet_table, package, table)),
    ]


# What each task that needs every table took, in seconds of one core, on the benchmark's package of a
# million events (bench/run.py): only the order they give matters. The two threads take these tasks
# largest first, so that the last ones to start, which decide when both are done, are small. A task not
# listed is small. (A table's own tasks are ordered by the table's size, as each table is read.)
COST = {
    "cross_claim_quote": 2.3,
    "cross_foreign_key": 0.9,
    "cross_relation_date_order": 0.7,
    "check_rows": 0.6,
    "cross_dated_after_publication": 0.5,
    "cross_hierarchy_cycle": 0.5,
    "cross_record_has_claim": 0.5,
    "cross_claim_article": 0.45,
    "cross_claim_record": 0.3,
    "cross_named_official": 0.2,
    "integrity_descriptor": 0.2,
    "cross_duplicate_relation": 0.17,
    "cross_event_actor_roles": 0.16,
    "cross_loss_actor_in_event": 0.15,
    "cross_same_report_article": 0.11,
    "cross_relation_cycle": 0.1,
}
SMALL = 0.05


def package_tasks(package) -> list[tuple[tuple, float, object]]:
    """The tasks that need every table: record, cross-table and (but Parquet) integrity rules."""
    from libya_conflict.schema import field_names

    from . import integrity, registry, rows

    # A table whose header lacks a schema column is reported by the column rules
    # (integrity.schema_mismatch). The record and cross-table rules need every column: they skip that
    # table as they skip a missing file.
    complete = replace(
        package, frames={t: f for t, f in package.frames.items() if set(field_names(t)) <= set(f.columns)}
    )
    cost = lambda rule: COST.get(rule.__name__, SMALL)
    out = [((1, 0), cost(rows.check_rows), partial(rows.check_rows, complete))]
    # The places in the report follow the registry's order of each family.
    for i, rule in enumerate(registry.checks("cross")):
        out.append(((2, i), cost(rule), partial(rule, complete)))
    for i, rule in enumerate(registry.checks("integrity")):
        if rule is not integrity.integrity_parquet:
            out.append(((3, i), cost(rule), partial(rule, package)))
    return out


def import_rule_libraries() -> None:
    """Import what the rules run on, first thing, beside the parsing of the first tables.

    Importing pandas and pandera is Python work (about half a second) that holds the interpreter lock;
    Arrow parses CSV without it, so the two share the cores well. Left to the first column rule, the
    import would fall when reading the article files needs the lock too."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pandera.pandas  # noqa: F401


def use_retaining_allocator():
    """Make Arrow allocate from jemalloc (or the C library's malloc) until the returned function is called.

    Validation allocates and frees gigabytes of column buffers, table after table. pyarrow's default
    allocator, mimalloc, gives freed pages back to the kernel at once, so every table is read into fresh
    pages that the kernel must map and zero again: at a million events, 3 to 4 CPU seconds in the kernel.
    jemalloc keeps freed pages for reuse. Buffers remember their allocator, so switching back is safe.
    """
    import pyarrow as pa

    previous = pa.default_memory_pool()
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc
        pa.set_memory_pool(pa.system_memory_pool())
    return lambda: pa.set_memory_pool(previous)


def guarded(task, report) -> None:
    """Run one rule task; should it fail on an input nobody foresaw, say so as a problem (the data could
    not be fully checked, so it is not called valid) and let the other rules finish."""
    try:
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


def validate_folder(root: Path, report, workers: int = WORKERS):
    """Read the package in ``root`` and run every rule on it, adding the problems to ``report`` in the
    documented order. Returns the package."""
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from .package import read_package
    from .report import Report

    reports, running = {}, []
    # The rules make few reference cycles but many objects: the cycle collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    allocator = use_retaining_allocator()

    def submit(todo):
        for place, _, task in sorted(todo, key=lambda t: -t[1]):
            reports[place] = Report()
            running.append(pool.submit(guarded, task, reports[place]))

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            importing = pool.submit(import_rule_libraries)
            package = read_package(root, report, pool, ready=lambda package, table: submit(table_tasks(package, table)))
            submit(package_tasks(package))
            importing.result()
            for future in running:
                future.result()
    finally:
        if collecting:
            gc.enable()
        allocator()
    for place in sorted(reports):
        report.problems.extend(reports[place].problems)
    return package
