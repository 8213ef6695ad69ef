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
