"""Validation as a user meets it: the bundled data passes; each known corruption is reported exactly."""

import csv
import json
import subprocess
import sys

import libya_conflict as lc
from libya_conflict import schema as sch


def rows_of(folder, table):
    with open(folder / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(folder, table, rows):
    with open(folder / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sch.field_names(table), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(folder, table, index, **changes):
    rows = rows_of(folder, table)
    rows[index].update(changes)
    write_rows(folder, table, rows)
    return rows[index][sch.primary_key(table)]


def found(report, rule):
    return {(p.table, p.row, p.column) for p in report.problems if p.rule == rule}


def test_the_bundled_data_is_valid():
    report = lc.validate()
    assert report.valid, report.to_text()


def test_a_copy_is_valid_until_touched(package_copy):
    assert lc.validate(package_copy).valid


def test_enum_typo_is_named_with_row_and_column(package_copy):
    key = edit(package_copy, "events", 0, status="occured")
    assert ("events", key, "status") in found(lc.validate(package_copy), "column.enum")


def test_duplicate_key(package_copy):
    rows = rows_of(package_copy, "actors")
    rows.append(dict(rows[0]))
    write_rows(package_copy, "actors", rows)
    assert ("actors", rows[0]["actor_id"], "actor_id") in found(lc.validate(package_copy), "column.unique")


def test_dangling_foreign_key(package_copy):
    key = edit(package_copy, "event_actors", 0, actor_id="act-nobody")
    assert ("event_actors", key, "actor_id") in found(lc.validate(package_copy), "cross.foreign_key")


def test_reversed_dates(package_copy):
    rows = rows_of(package_copy, "events")
    i = next(i for i, r in enumerate(rows) if r["date_earliest"] == r["date_latest"])
    key = edit(package_copy, "events", i, date_earliest="2020-12-31", date_latest="2019-01-01", date_precision="range")
    assert ("events", key, "date_earliest") in found(lc.validate(package_copy), "row.date_order")


def test_number_stored_as_text(package_copy):
    key = edit(package_copy, "claims", 0, quote_start="twelve")
    assert ("claims", key, "quote_start") in found(lc.validate(package_copy), "column.type")


def test_formula_cell(package_copy):
    key = edit(package_copy, "events", 0, description_en='=HYPERLINK("http://x")')
    assert ("events", key, "description_en") in found(lc.validate(package_copy), "column.formula")


def test_quote_offset_off_by_one(package_copy):
    row = rows_of(package_copy, "claims")[0]
    key = edit(
        package_copy,
        "claims",
        0,
        quote_start=str(int(row["quote_start"]) + 1),
        quote_end=str(int(row["quote_end"]) + 1),
    )
    assert ("claims", key, "quote") in found(lc.validate(package_copy), "cross.claim_quote")


def test_article_text_changed(package_copy):
    article = rows_of(package_copy, "articles")[0]
    path = package_copy / article["path"]
    path.write_bytes(path.read_bytes().replace("حفتر".encode(), "حفتار".encode(), 1))
    assert ("articles", article["article_id"], "sha256") in found(lc.validate(package_copy), "cross.article_hash")


def test_stale_hash_does_not_hide_semantic_problems(package_copy):
    key = edit(package_copy, "events", 0, status="occured")
    report = lc.validate(package_copy)
    assert "integrity.hash" in report.rules() and ("events", key, "status") in found(report, "column.enum")


def test_missing_file_is_named_and_the_rest_still_checked(package_copy):
    (package_copy / "data" / "places.csv").unlink()
    key = edit(package_copy, "events", 0, status="occured")
    report = lc.validate(package_copy)
    assert ("places", "", "") in found(report, "integrity.file_missing")
    assert ("events", key, "status") in found(report, "column.enum")


def test_cli_json_report_and_exit_codes(package_copy):
    edit(package_copy, "events", 0, status="occured")
    run = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "validate", str(package_copy), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    payload = json.loads(run.stdout)
    assert payload["valid"] is False
    assert set(payload["problems"][0]) == {"table", "row", "column", "rule", "message", "file", "line"}


def test_cli_exit_2_when_it_cannot_run(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "validate", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr and "nowhere" in run.stderr


def test_every_rule_is_described():
    from libya_conflict.validators import RULES

    assert all(rule.split(".")[0] in {"column", "row", "cross", "integrity"} and text for rule, text in RULES.items())


def test_rows_are_reported_alike_from_a_mask_or_their_numbers(root):
    import numpy as np
    import pandas as pd

    from libya_conflict.validators.package import read_package
    from libya_conflict.validators.report import Report, report_rows

    package = read_package(root, Report())
    n = len(package.frames["events"])
    picked = [1, 4, n - 1]
    mask = np.zeros(n, dtype=bool)
    mask[picked] = True
    with_missing = pd.Series(mask, dtype="boolean")
    with_missing[0] = pd.NA
    forms = (picked, np.array(picked), mask, pd.Series(mask), with_missing, pd.Series(mask, dtype="bool[pyarrow]"))
    reports = []
    for rows in forms:
        report = Report()
        report_rows(package, report, "events", rows, "status", "row.example", lambda i: f"row {i}")
        reports.append(report.problems)
    assert [p.row for p in reports[0]] == [package.row_key("events", i) for i in picked]
    assert all(problems == reports[0] for problems in reports)
    report = Report()
    report_rows(package, report, "events", [], "status", "row.example", str)
    assert report.valid


def test_process_settings_are_restored_even_when_validation_fails():
    import gc

    import pyarrow as pa
    import pytest

    from libya_conflict.validators.settings import process_settings

    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), process_settings():
        assert not gc.isenabled()
        raise RuntimeError("a rule failed")
    assert gc.isenabled()
    assert pa.default_memory_pool().backend_name == before


def test_each_task_is_placed_in_the_report_by_its_rule_in_the_registry(root):
    from libya_conflict.validators import registry, runner
    from libya_conflict.validators.package import read_package
    from libya_conflict.validators.report import Report

    package = read_package(root, Report())
    tasks = [t for table in package.frames for t in runner.table_tasks(package, table)]
    tasks += runner.package_tasks(package)
    places = [t.place for t in tasks]
    assert len(set(places)) == len(places)
    by_place = [getattr(t.run, "func", t.run).__name__ for t in sorted(tasks)]
    ordered = [r.check.__name__ for r in registry.RULES if r.check is not None and r.family in ("cross", "integrity")]
    ordered.remove("integrity_parquet")
    assert [name for name in by_place if name in ordered] == ordered
    assert by_place.index("check_rows") > max(i for i, name in enumerate(by_place) if name == "check_table_columns")
    assert set(runner.COST) <= {r.id for r in registry.RULES}


def test_rules_wait_for_the_import_of_the_rule_libraries(tmp_path, root):
    """Two threads importing pandera at once can fail with _DeadlockError: a rule task waits until the
    thread importing the rule libraries is done, and says so when that import failed."""
    import threading
    from concurrent.futures import Future

    from libya_conflict.validators.report import Report
    from libya_conflict.validators.runner import guarded

    order: list[str] = []
    libraries: Future = Future()

    def finish_import():
        order.append("imported")
        libraries.set_result(None)

    threading.Timer(0.2, finish_import).start()
    guarded(lambda report: order.append("rule"), Report(), libraries)
    assert order == ["imported", "rule"]

    failed: Future = Future()
    failed.set_exception(ImportError("no pandera"))
    report = Report()
    guarded(lambda report: order.append("never"), report, failed)
    assert "never" not in order and report.rules() == {"integrity.internal"}


def test_check_cross_runs_the_rules_of_all_three_cross_table_modules(package_copy):
    """``check_cross`` is the cross-table family whole: one corruption from each of its modules (cross.py,
    contradictions.py, conventions.py) is reported by it exactly as by a whole validation."""
    import random

    from libya_conflict.validators import check_cross, validate
    from libya_conflict.validators.catalogue import by_id
    from libya_conflict.validators.package import read_package
    from libya_conflict.validators.report import Report

    for corruption in ("dangling_fk", "hierarchy_loop", "retired_id_reused"):
        by_id(corruption).apply(package_copy, random.Random(0))
    report = Report()
    check_cross(read_package(package_copy, Report()), report)
    found = [(p.table, p.row, p.column, p.rule, p.message) for p in report.problems]
    whole = [(p.table, p.row, p.column, p.rule, p.message) for p in validate(package_copy).problems]
    assert found == [p for p in whole if p[3].startswith("cross.")]
    assert {"cross.foreign_key", "cross.hierarchy_cycle", "cross.retired_id_live"} <= {p[3] for p in found}
