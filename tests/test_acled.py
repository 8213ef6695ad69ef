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

# The columns of an ACLED export, in ACLED's order (its codebook and API), all 31 of them.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
DISORDER_TYPES = {
    "Political violence",
    "Demonstrations",
    "Political violence; Demonstrations",
    "Strategic developments",
}


@pytest.fixture(scope="module")
def tables():
    return flat.read_rows()


@pytest.fixture(scope="module")
def rows(tables):
    """Every happening, with the numeric inter codes: what most rules below are about."""
    return acled_rows(tables, all_countries=True, inter_codes=True)


def by_happening(rows, happening_id):
    return next(r for r in rows if r["happening_id"] == happening_id)


@pytest.fixture(scope="module")
def events(tables):
    return {e["event_id"]: e for e in tables["events"]}


def test_columns_are_acleds_in_acleds_order():
    assert COLUMNS == ACLED_COLUMNS and len(COLUMNS) == 31
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
    gna_vs_lna = [
        r
        for r in rows
        if r["actor1"] == "GNA forces (Libyan army)" and r["actor2"] == "Haftar's forces (Libyan National Army)"
    ]
    assert gna_vs_lna and all((r["inter1"], r["inter2"], r["interaction"]) == (1, 2, 12) for r in gna_vs_lna)


def test_event_date_lies_in_a_reported_range_and_precision_says_how_wide_it_is(rows, tables):
    _, reports = flat.events_flat(tables)
    for r in rows:
        spans = [
            (e["date_latest"] - e["date_earliest"]).days
            for e in reports
            if e["happening_id"] == r["happening_id"] and e["date_earliest"] <= r["event_date"] <= e["date_latest"]
        ]
        assert spans, r["event_id_cnty"]
        # The narrowest report dates the row.
        assert (r["time_precision"] == 1) == (min(spans) == 0)
        assert (r["time_precision"] == 3) == (min(spans) >= 7)


def test_reports_of_one_happening_are_one_row(rows):
    ids = [r["happening_id"] for r in rows]
    assert len(ids) == len(set(ids)) and len({r["event_id_cnty"] for r in rows}) == len(rows)
    # al-Watiya base taken on 18 May 2020: reported by art-000, art-001 and art-002.
    assert "ev-001-016" not in ids and "ev-002-023" not in ids
    watiya = by_happening(rows, "ev-000-015")
    assert "Al Jazeera" in watiya["source"] and "art-001" in watiya["source"]
    assert all(e in watiya["notes"] for e in ("ev-000-015", "ev-001-016", "ev-002-023"))


def test_only_what_happened_is_exported(rows, events):
    exported = {r["happening_id"] for r in rows}
    assert all(events[e]["status"] in KEPT_STATUSES for e in exported)
    announced = [e for e, row in events.items() if row["status"] in ("announced", "planned", "denied")]
    assert announced and not exported & set(announced)


def add_killed(tables, event_id, figures, group=None, text=None):
    for figure in figures:
        tables["casualties"].append(
            {
                "casualty_id": f"cas-999-{len(tables['casualties']):03d}",
                "event_id": event_id,
                "actor_id": "act-lna",
                "category": "killed",
                "population": "combatant",
                "count_low": figure,
                "count_best": figure,
                "count_high": figure,
                "quantity_text_en": text,
                "alternative_group": group,
            }
        )


def fatalities(tables, event_id):
    return by_happening(acled_rows(tables, all_countries=True), event_id)


def test_fatalities_take_the_lowest_of_conflicting_reports(tables):
    doctored = copy.deepcopy(tables)
    add_killed(doctored, "ev-000-012", [8])  # art-000 says 8 killed in the Tarhuna raids
    add_killed(doctored, "ev-001-006", [5])  # art-001, the same raids, says 5
    row = fatalities(doctored, "ev-000-012")
    assert row["fatalities"] == 5 and "lowest figure" in row["notes"]


def test_fatalities_take_the_lowest_alternative_within_a_report(tables):
    doctored = copy.deepcopy(tables)
    add_killed(doctored, "ev-000-004", [12, 7], group="alt-999-001")
    assert fatalities(doctored, "ev-000-004")["fatalities"] == 7


def test_deaths_without_a_number_count_zero_and_are_noted(rows):
    # ev-001-010: "qatla" among Haftar's gunmen, no number given.
    row = by_happening(rows, "ev-001-010")
    assert row["fatalities"] == 0 and "without a number" in row["notes"]


def test_the_mapping_is_documented_and_says_no_acled_data_is_used(root):
    doc = (root / "docs" / "acled.md").read_text(encoding="utf-8")
    assert all(f"`{c}`" in doc for c in ACLED_COLUMNS)
    assert "no ACLED data" in doc


def test_cli_export_acled(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "export", "--format", "acled", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "libya-conflict-acled.csv").read_bytes() == acled_csv_bytes()


# ---------------------------------------------------------------------------- stacking under an ACLED file

# Rows in the layout of an ACLED download of Libya (its 31 columns, its labels, its ID shape), with made-up
# values: no ACLED data. One protest carries a tag and one attack civilian targeting, as ACLED files do.
ACLED_FIXTURE = """\
event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
LBY9001,2020-05-18,2020,1,Political violence,Battles,Armed clash,Government forces A,Militia L,State forces,Opposition forces B,Foreign group C,Rebel group,State forces-Rebel group,,434,Northern Africa,Libya,Nalut,Town D,,Base E,32.4833,11.8922,1,Outlet F,National,"On 18 May 2020, forces A and B clashed near base E.",3,,1591731234
LBY9002,2020-05-20,2020,2,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Opposition forces B,,Rebel group,Civilians (Libya),,Civilians,Rebel group-Civilians,Civilian targeting,434,Northern Africa,Libya,Tripoli,Town G,,District H,32.79,13.26,1,Outlet F; Outlet I,National-International,Shelling hit a residential area.,0,,1591731300
LBY9003,2020-06-04,2020,1,Demonstrations,Protests,Peaceful protest,Protesters (Libya),,Protesters,,,,Protesters only,,434,Northern Africa,Libya,Misrata,Town J,,Town J,32.3754,15.0925,1,Outlet K,Subnational,Residents demonstrated.,0,crowd size=no report,1591800000
"""
# The types ACLED's codebook gives its columns, as pandas reads them.
INTEGER = {"year", "time_precision", "iso", "geo_precision", "fatalities", "timestamp"}
DECIMAL = {"latitude", "longitude"}
ACLED_TYPES = {
    c: "int64" if c in INTEGER else "float64" if c in DECIMAL else "str" for c in ACLED_COLUMNS if c != "event_date"
}


def read_acled(data: bytes, typed: bool):
    import pandas as pd

    if typed:
        return pd.read_csv(io.BytesIO(data), dtype=ACLED_TYPES, parse_dates=["event_date"])
    return pd.read_csv(io.BytesIO(data))


def test_the_export_stacks_under_an_acled_file_with_acleds_types(tables):
    import pandas as pd

    ours = read_acled(acled_csv_bytes(tables), typed=True)  # raises if a cell is not of ACLED's type
    theirs = read_acled(ACLED_FIXTURE.encode(), typed=True)
    stacked = pd.concat([theirs, ours], ignore_index=True)
    assert list(stacked.columns) == ACLED_COLUMNS and len(stacked) == len(ours) + 3
    assert not [c for c in stacked.columns if stacked[c].dtype == object]
    assert {c: str(stacked[c].dtype) for c in INTEGER} == {c: "int64" for c in INTEGER}
    assert str(stacked["event_date"].dtype).startswith("datetime64")


def test_read_plainly_integers_stay_integers_and_filled_columns_stack(tables):
    import pandas as pd

    ours = read_acled(acled_csv_bytes(tables), typed=False)
    assert {c: str(ours[c].dtype) for c in INTEGER} == {c: "int64" for c in INTEGER}
    assert {c: str(ours[c].dtype) for c in DECIMAL} == {c: "float64" for c in DECIMAL}
    stacked = pd.concat([read_acled(ACLED_FIXTURE.encode(), typed=False), ours], ignore_index=True)
    # Only the columns this dataset never fills (no municipality, no tags) are typed by pandas as empty
    # numbers, and so mix with ACLED's text: docs/acled.md says to read with ACLED's types.
    assert {c for c in stacked.columns if stacked[c].dtype == object} == {"admin2", "tags"}
    assert ours["admin2"].isna().all() and ours["tags"].isna().all()


def test_only_events_located_in_libya_by_default(tables):
    libya = acled_rows(tables)
    everywhere = acled_rows(tables, all_countries=True)
    assert libya and {r["country"] for r in libya} == {"Libya"}
    assert {r["iso"] for r in libya} == {434} and {r["region"] for r in libya} == {"Northern Africa"}
    elsewhere = {r["country"] for r in everywhere} - {"Libya"}
    assert {"Turkey", "Russia"} <= elsewhere  # the articles report events abroad, kept on request
    places = {p["place_id"]: p for p in tables["places"]}
    # Every row in Libya has coordinates and a precision; admin1 comes from the place or one enclosing it.
    assert all(r["latitude"] is not None and r["geo_precision"] in (1, 2, 3) for r in libya)
    assert sum(r["admin1"] is not None for r in libya) > len(libya) * 3 // 4
    assert all(r["admin1"] in {p["admin1"] for p in places.values()} for r in libya if r["admin1"])


def test_ids_look_like_acleds_but_cannot_be_acleds(tables):
    import re

    rows = acled_rows(tables, all_countries=True)
    for r in rows:
        assert re.fullmatch(r"[A-Z]{3}LC[0-9]+", r["event_id_cnty"]), r["event_id_cnty"]
        # ACLED's are three letters and digits only: never the same text.
        assert not re.fullmatch(r"[A-Z]{3}[0-9]+", r["event_id_cnty"])
    assert by_happening(rows, "ev-002-020")["event_id_cnty"] == "LBYLC3002020"


def test_inter_columns_are_acleds_labels_unless_codes_are_asked_for(tables):
    labels = {r["happening_id"]: r for r in acled_rows(tables)}
    codes = {r["happening_id"]: r for r in acled_rows(tables, inter_codes=True)}
    names = {
        1: "State forces",
        2: "Rebel group",
        3: "Political militia",
        4: "Identity militia",
        5: "Rioters",
        6: "Protesters",
        7: "Civilians",
        8: "External/Other forces",
    }
    for key, row in labels.items():
        assert row["inter1"] == names.get(codes[key]["inter1"])
        if codes[key]["inter2"] is not None:
            pair = sorted([codes[key]["inter1"], codes[key]["inter2"]])
            assert row["interaction"] == f"{names[pair[0]]}-{names[pair[1]]}"
        elif codes[key]["inter1"] is not None:
            assert row["interaction"] == f"{names[codes[key]['inter1']]} only"


def test_timestamp_is_the_release_date(tables, root):
    import datetime as dt
    import json

    released = json.loads((root / "schemas" / "package.json").read_text(encoding="utf-8"))["released"]
    expected = int(dt.datetime.fromisoformat(released + "T00:00:00+00:00").timestamp())
    assert {r["timestamp"] for r in acled_rows(tables)} == {expected}


def test_cli_export_acled_flags(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "libya_conflict.cli",
            "export",
            "--format",
            "acled",
            "--all-countries",
            "--inter-codes",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "libya-conflict-acled.csv").read_text(encoding="utf-8"))))
    assert {r["country"] for r in rows} > {"Libya"} and {r["inter1"] for r in rows} <= {"", *map(str, range(1, 9))}
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "libya_conflict.cli",
            "export",
            "--format",
            "csv",
            "--inter-codes",
            "--out",
            str(tmp_path / "x"),
        ],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 2 and "acled only" in wrong.stderr
