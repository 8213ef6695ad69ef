"""Running the rules on both cores, with the report in a fixed order.

Once the package is read, the rules only read it: the column rules of each table, the record rules,
each cross-table rule and each integrity rule (the Parquet copy of each table apart) are independent
tasks. They run on two threads, the largest first, each into a report of its own. Most of their time is
spent in pyarrow, numpy and DuckDB, which release Python's lock, so the two threads truly run together.
The reports are then joined in the documented order (columns, records, cross-table, integrity; tables in
their fixed order), so the report is the same whatever finished first.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

# Threads: the machines this runs on in CI have two cores.
WORKERS = 2


def tasks(package) -> list[tuple[tuple, float, object]]:
    """Every task as (place in the report, estimated cost, function taking a report)."""
    from libya_conflict.schema import field_names

    from . import columns, cross, integrity, rows

    # A table whose header lacks a schema column is reported by the column rules
    # (integrity.schema_mismatch). The record and cross-table rules need every column: they skip that
    # table as they skip a missing file.
    complete = replace(package, frames={t: f for t, f in package.frames.items()
                                        if set(field_names(t)) <= set(f.columns)})
    size = {t: package.files[t].bytes if t in package.files else 0 for t in package.frames}
    claims = size.get("claims", 0)
    out = []
    for i, table in enumerate(package.frames):
        out.append(((0, i), size[table], partial(columns.check_table_columns, package, table)))
    out.append(((1, 0), sum(size.values()) / 20, partial(rows.check_rows, complete)))
    for i, rule in enumerate(cross.RULES):
        cost = claims / 2 if rule is cross.cross_claim_quote else claims / 10
        out.append(((2, i), cost, partial(rule, complete)))
    for i, rule in enumerate(integrity.RULES):
        if rule is integrity.integrity_parquet:
            for j, table in enumerate(package.typed):
                out.append(((3, i, j), size.get(table, 0) * 0.8, partial(integrity.parquet_table, package, table)))
        else:
            out.append(((3, i), 0, partial(rule, package)))
    return out


def run(package, report, workers: int = WORKERS) -> None:
    """Run every rule on ``package``, adding the problems to ``report`` in the documented order."""
    from concurrent.futures import ThreadPoolExecutor

    from .report import Report

    todo = tasks(package)
    reports = {place: Report() for place, _, _ in todo}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = [pool.submit(task, reports[place]) for place, _, task in sorted(todo, key=lambda t: -t[1])]
        for future in running:
            future.result()  # a rule that crashes stops the validation, as it did before
    for place in sorted(reports):
        report.problems.extend(reports[place].problems)
