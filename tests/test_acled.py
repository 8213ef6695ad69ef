"""The ACLED-style export: ACLED's columns and vocabulary, one row per happening, conservative fatalities."""

import copy
import csv
import io
import subprocess
import sys

import pytest

from libya_conflict import flat
from libya_conflict import schema as sch
from libya_conflict.acled import COLUMNS, KEPT_STATUSES, acled_csv_bytes, acled_rows

# The columns of an ACLED export that this layout reproduces, in ACLED's order.
ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
                 "source", "source_scale", "notes", "fatalities"]
DISORDER_TYPES = {"Political violence", "Demonstrations", "Political violence; Demonstrations", "Strategic developments"}


@pytest.fixture(scope="module")
def tables():
    return flat.read_rows()


@pytest.fixture(scope="module")
def rows(tables):
    return acled_rows(tables)


@pytest.fixture(scope="module")
def events(tables):
    return {e["event_id"]: e for e in tables["events"]}


def test_columns_are_acleds_in_acleds_order():
    assert COLUMNS == ACLED_COLUMNS
    header = next(csv.reader(io.StringIO(acled_csv_bytes().decode("utf-8"))))
    assert header == ACLED_COLUMNS


def test_codes_use_acleds_vocabulary(rows):
    fields = {f["name"]: f for f in sch.table_schema("events")["fields"]}
    for r in rows:
        assert r["event_type"] in sch.enum_of(fields["event_type"])
        assert r["sub_event_type"] in sch.enum_of(fields["sub_event_type"])
        assert r["disorder_type"] in DISORDER_TYPES
        assert r["time_precision"] in (1, 2, 3)
        assert r["geo_precision"] in (1, 2, 3, None)
        assert r["year"] == r["event_date"].year


def test_interaction_is_the_two_inter_codes_lowest_first(rows):
    for r in rows:
        assert r["inter1"] in (None, *range(1, 9)) and r["inter2"] in (None, *range(1, 9))
        if r["inter2"] is not None:
            assert r["interaction"] == 10 * min(r["inter1"], r["inter2"]) + max(r["inter1"], r["inter2"])
        elif r["inter1"] is not None:
            assert r["interaction"] == 10 * r["inter1"]
        assert (r["actor1"] is None) == (r["inter1"] is None)


def test_the_recognised_government_and_haftars_forces_get_state_and_rebel_codes(rows):
    gna_vs_lna = [r for r in rows if r["actor1"] == "GNA forces (Libyan army)"
                  and r["actor2"] == "Haftar's forces (Libyan National Army)"]
    assert gna_vs_lna and all((r["inter1"], r["inter2"], r["interaction"]) == (1, 2, 12) for r in gna_vs_lna)


def test_event_date_lies_in_a_reported_range_and_precision_says_how_wide_it_is(rows, tables):
    _, reports = flat.events_flat(tables)
    for r in rows:
        spans = [(e["date_latest"] - e["date_earliest"]).days for e in reports
                 if e["happening_id"] == r["event_id_cnty"] and e["date_earliest"] <= r["event_date"] <= e["date_latest"]]
        assert spans, r["event_id_cnty"]
        # The narrowest report dates the row.
        assert (r["time_precision"] == 1) == (min(spans) == 0)
        assert (r["time_precision"] == 3) == (min(spans) >= 7)


def test_reports_of_one_happening_are_one_row(rows):
    ids = [r["event_id_cnty"] for r in rows]
    assert len(ids) == len(set(ids))
    # al-Watiya base taken on 18 May 2020: reported by art-000, art-001 and art-002.
    assert "ev-001-016" not in ids and "ev-002-023" not in ids
    watiya = next(r for r in rows if r["event_id_cnty"] == "ev-000-015")
    assert "Al Jazeera" in watiya["source"] and "art-001" in watiya["source"]
    assert all(e in watiya["notes"] for e in ("ev-000-015", "ev-001-016", "ev-002-023"))


def test_only_what_happened_is_exported(rows, events):
    exported = {r["event_id_cnty"] for r in rows}
    assert all(events[e]["status"] in KEPT_STATUSES for e in exported)
    announced = [e for e, row in events.items() if row["status"] in ("announced", "planned", "denied")]
    assert announced and not exported & set(announced)


def add_killed(tables, event_id, figures, group=None, text=None):
    for i, figure in enumerate(figures):
        tables["casualties"].append({
            "casualty_id": f"cas-999-{len(tables['casualties']):03d}", "event_id": event_id,
            "actor_id": "act-lna", "category": "killed", "population": "combatant",
            "count_low": figure, "count_best": figure, "count_high": figure,
            "quantity_text_en": text, "alternative_group": group,
        })


def fatalities(tables, event_id):
    return next(r for r in acled_rows(tables) if r["event_id_cnty"] == event_id)


def test_fatalities_take_the_lowest_of_conflicting_reports(tables):
    doctored = copy.deepcopy(tables)
    add_killed(doctored, "ev-000-012", [8])           # art-000 says 8 killed in the Tarhuna raids
    add_killed(doctored, "ev-001-006", [5])           # art-001, the same raids, says 5
    row = fatalities(doctored, "ev-000-012")
    assert row["fatalities"] == 5 and "lowest figure" in row["notes"]


def test_fatalities_take_the_lowest_alternative_within_a_report(tables):
    doctored = copy.deepcopy(tables)
    add_killed(doctored, "ev-000-004", [12, 7], group="alt-999-001")
    assert fatalities(doctored, "ev-000-004")["fatalities"] == 7


def test_deaths_without_a_number_count_zero_and_are_noted(rows):
    # ev-001-010: "qatla" among Haftar's gunmen, no number given.
    row = next(r for r in rows if r["event_id_cnty"] == "ev-001-010")
    assert row["fatalities"] == 0 and "without a number" in row["notes"]


def test_the_mapping_is_documented_and_says_no_acled_data_is_used(root):
    doc = (root / "docs" / "acled.md").read_text(encoding="utf-8")
    assert all(f"`{c}`" in doc for c in ACLED_COLUMNS)
    assert "no ACLED data" in doc


def test_cli_export_acled(tmp_path):
    result = subprocess.run([sys.executable, "-m", "libya_conflict.cli", "export", "--format", "acled",
                             "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "libya-conflict-acled.csv").read_bytes() == acled_csv_bytes()
