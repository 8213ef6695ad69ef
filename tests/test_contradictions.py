"""Data that parses and whose keys resolve, yet contradicts itself: each rule on a small edit of the bundled
data, named at its table, row and column; and each clause of a rule shown to matter (an edit that only
that clause catches, or one it must let pass)."""

import csv
import json

import pytest

import libya_conflict as lc
from libya_conflict import schema as sch


def rows_of(folder, table):
    with open(folder / "data" / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(folder, table, rows):
    with open(folder / "data" / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sch.field_names(table), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r[sch.primary_key(table)]))


def edit(folder, table, key, **changes):
    """Change cells of the row whose primary key is ``key``."""
    rows = rows_of(folder, table)
    row = next(r for r in rows if r[sch.primary_key(table)] == key)
    row.update(changes)
    write_rows(folder, table, rows)
    return row


def add(folder, table, **cells):
    rows = rows_of(folder, table)
    row = {name: "" for name in sch.field_names(table)}
    row.update(cells)
    write_rows(folder, table, rows + [row])
    return row


def copy_row(folder, table, key, **changes):
    """A copy of a row under a new key (``changes`` must give it)."""
    row = dict(next(r for r in rows_of(folder, table) if r[sch.primary_key(table)] == key), **changes)
    return add(folder, table, **row)


def found(folder, rule):
    return {(p.table, p.row, p.column) for p in lc.validate(folder).problems if p.rule == rule}


def messages(folder, rule):
    return [p.message for p in lc.validate(folder).problems if p.rule == rule]


def test_the_bundled_data_has_no_contradiction():
    report = lc.validate()
    assert not [p for p in report.problems if p.rule.startswith(("row.", "cross."))], report.to_text()


# ------------------------------------------------------------------------------------------- Rows


def test_backs_side_only_for_foreign_actors(package_copy):
    edit(package_copy, "actors", "act-gna-forces", backs_side="gna_aligned")
    assert found(package_copy, "row.backs_side") == {("actors", "act-gna-forces", "backs_side")}


def test_a_foreign_actor_may_back_a_side(package_copy):
    edit(package_copy, "actors", "act-usa", backs_side="gna_aligned")
    assert found(package_copy, "row.backs_side") == set()


def test_only_a_person_has_a_title(package_copy):
    edit(package_copy, "actors", "act-lna", title_en="spokesman")
    edit(package_copy, "actors", "act-khalifa-haftar", title_en="field marshal")
    assert found(package_copy, "row.person_title") == {("actors", "act-lna", "title_en")}


def test_no_uncertainty_without_coordinates(package_copy):
    edit(package_copy, "places", "pl-tarhuna", latitude="", longitude="", geo_precision="none")
    assert found(package_copy, "row.coordinate_uncertainty") == {("places", "pl-tarhuna", "coord_uncertainty_km")}


def test_a_place_in_the_coverage_is_in_libya(package_copy):
    edit(package_copy, "places", "pl-zawiya", country="Tunisia")
    edit(package_copy, "places", "pl-cairo", country="Egypt")  # outside, as it should be
    assert found(package_copy, "row.coverage_country") == {("places", "pl-zawiya", "in_coverage")}


def test_no_distance_from_a_place_to_itself(package_copy):
    edit(package_copy, "place_distances", "dist-000-002", from_place_id="pl-tarhuna")
    assert found(package_copy, "row.distance_self") == {("place_distances", "dist-000-002", "from_place_id")}


def test_a_withdrawal_is_a_change_to_group_activity(package_copy):
    withdrawal = next(r for r in rows_of(package_copy, "events") if r["event_kind"] == "withdrawal")
    edit(package_copy, "events", withdrawal["event_id"], event_type="Battles", sub_event_type="Armed clash")
    assert found(package_copy, "row.event_kind") == {("events", withdrawal["event_id"], "sub_event_type")}


def test_a_visit_may_be_an_agreement(package_copy):
    visit = next(r for r in rows_of(package_copy, "events") if r["event_kind"] == "visit")
    edit(package_copy, "events", visit["event_id"], event_type="Strategic developments", sub_event_type="Agreement")
    assert found(package_copy, "row.event_kind") == set()


@pytest.mark.parametrize(
    "changes, column",
    [
        ({"category": "tank", "status": "shot_down"}, "status"),
        ({"status": "captured", "method": "drone_strike"}, "method"),
        ({"status": "destroyed", "method": "ground_capture"}, "method"),
    ],
)
def test_what_happened_to_equipment_fits_what_it_is_and_how_it_was_lost(package_copy, changes, column):
    edit(package_copy, "equipment_losses", "loss-000-001", **changes)
    assert found(package_copy, "row.loss_status") == {("equipment_losses", "loss-000-001", column)}


def test_equipment_abandoned_to_a_ground_capture_or_a_drone_shot_down_is_fine(package_copy):
    edit(package_copy, "equipment_losses", "loss-002-001", status="abandoned")
    edit(package_copy, "equipment_losses", "loss-000-001", category="drone", status="shot_down")
    assert found(package_copy, "row.loss_status") == set()


def test_words_for_a_quantity_only_without_a_number(package_copy):
    edit(package_copy, "casualties", "cas-000-001", quantity_text_en="a few")
    edit(package_copy, "casualties", "cas-004-002", count_best="", count_low="", quantity_text_en="about twenty")
    assert found(package_copy, "row.quantity_text") == {
        ("casualties", "cas-000-001", "quantity_text_en"),
        ("casualties", "cas-004-002", "quantity_text_en"),
    }


def test_equipment_is_not_supplied_by_its_loser(package_copy):
    edit(package_copy, "equipment_losses", "loss-000-001", supplied_by_actor_id="act-lna")
    assert found(package_copy, "row.self_supplied") == {("equipment_losses", "loss-000-001", "supplied_by_actor_id")}


def test_the_outlet_has_no_claimant_and_a_named_official_has_one(package_copy):
    edit(package_copy, "claims", "cl-000-001", claimant_actor_id="act-lna")
    edit(package_copy, "claims", "cl-000-004", claimant_actor_id="")
    assert found(package_copy, "row.claim_source") == {
        ("claims", "cl-000-001", "claimant_actor_id"),
        ("claims", "cl-000-004", "claimant_actor_id"),
    }


# ------------------------------------------------------------------------------ Conflicting figures


def test_two_figures_of_one_event_outside_a_group_conflict(package_copy):
    copy_row(
        package_copy,
        "casualties",
        "cas-000-001",
        casualty_id="cas-000-009",
        count_low="3",
        count_best="3",
        count_high="3",
    )
    assert found(package_copy, "cross.conflicting_figures") == {
        ("casualties", "cas-000-001", "alternative_group"),
        ("casualties", "cas-000-009", "alternative_group"),
    }
    assert any("cas-000-009" in m for m in messages(package_copy, "cross.conflicting_figures"))


def test_figures_sharing_a_group_do_not_conflict(package_copy):
    edit(package_copy, "casualties", "cas-000-001", alternative_group="alt-000-001")
    copy_row(package_copy, "casualties", "cas-000-001", casualty_id="cas-000-009", count_best="3")
    assert found(package_copy, "cross.conflicting_figures") == set()


def test_a_figure_outside_the_group_conflicts_with_the_group(package_copy):
    copy_row(package_copy, "casualties", "cas-004-001", casualty_id="cas-004-009", alternative_group="")
    assert ("casualties", "cas-004-009", "alternative_group") in found(package_copy, "cross.conflicting_figures")


def test_figures_of_two_reports_of_one_happening_conflict(package_copy):
    # ev-001-006 and ev-000-012 are linked by same_report_as (rel-001-911).
    add(
        package_copy,
        "casualties",
        casualty_id="cas-001-009",
        event_id="ev-001-006",
        actor_id="act-lna",
        category="killed",
        population="combatant",
        count_best="4",
    )
    add(
        package_copy,
        "casualties",
        casualty_id="cas-000-009",
        event_id="ev-000-012",
        actor_id="act-lna",
        category="killed",
        population="combatant",
        count_best="7",
    )
    assert found(package_copy, "cross.conflicting_figures") == {
        ("casualties", "cas-001-009", "alternative_group"),
        ("casualties", "cas-000-009", "alternative_group"),
    }


def test_a_vague_figure_or_other_people_do_not_conflict(package_copy):
    copy_row(
        package_copy,
        "casualties",
        "cas-000-001",
        casualty_id="cas-000-008",
        count_low="",
        count_best="",
        count_high="",
        quantity_text_en="several",
    )
    copy_row(package_copy, "casualties", "cas-000-001", casualty_id="cas-000-009", population="civilian")
    assert found(package_copy, "cross.conflicting_figures") == set()


# -------------------------------------------------------------------------------- Hierarchies, totals


def test_an_actor_is_not_its_own_ancestor(package_copy):
    edit(package_copy, "actors", "act-gna", parent_actor_id="act-gna-forces")
    assert found(package_copy, "cross.hierarchy_cycle") == {
        ("actors", "act-gna", "parent_actor_id"),
        ("actors", "act-gna-forces", "parent_actor_id"),
    }


def test_a_place_does_not_contain_itself(package_copy):
    edit(package_copy, "places", "pl-tripoli", parent_place_id="pl-tripoli")
    assert found(package_copy, "cross.hierarchy_cycle") == {("places", "pl-tripoli", "parent_place_id")}


def test_a_place_abroad_is_not_inside_libya(package_copy):
    edit(package_copy, "places", "pl-cairo", parent_place_id="pl-libya")
    assert found(package_copy, "cross.parent_place_coverage") == {("places", "pl-cairo", "parent_place_id")}


def test_running_totals_do_not_loop(package_copy):
    edit(package_copy, "equipment_losses", "loss-001-005", total_loss_id="loss-001-004")
    assert found(package_copy, "cross.total_cycle") == {
        ("equipment_losses", "loss-001-004", "total_loss_id"),
        ("equipment_losses", "loss-001-005", "total_loss_id"),
    }


def test_a_total_counts_one_actors_losses(package_copy):
    edit(package_copy, "equipment_losses", "loss-001-001", lost_by_actor_id="act-gna-forces")
    assert found(package_copy, "cross.total_actor") == {("equipment_losses", "loss-001-001", "lost_by_actor_id")}


def test_a_total_counts_the_losses_of_the_actors_units(package_copy):
    edit(package_copy, "equipment_losses", "loss-001-001", lost_by_actor_id="act-lna-106th-brigade")
    assert found(package_copy, "cross.total_actor") == set()


def test_a_total_does_not_count_what_came_after_it(package_copy):
    # ev-001-004 (the total loss-001-004 of 20 May 2020); ev-001-016 is dated 18 May, ev-002-002 in June.
    edit(package_copy, "equipment_losses", "loss-001-001", event_id="ev-002-002")
    edit(package_copy, "equipment_losses", "loss-001-002", event_id="ev-001-016")
    assert found(package_copy, "cross.total_date_order") == {("equipment_losses", "loss-001-001", "total_loss_id")}


# --------------------------------------------------------------------------- Articles and their reports


def test_an_event_is_one_articles_report(package_copy):
    claim = next(r for r in rows_of(package_copy, "claims") if r["article_id"] == "art-000")
    copy_row(
        package_copy, "claims", claim["claim_id"], claim_id="cl-001-999", record_table="events", record_id="ev-001-006"
    )
    assert found(package_copy, "cross.event_article") == {("events", "ev-001-006", "event_id")}


def test_same_report_as_never_joins_two_reports_of_one_article(package_copy):
    # The link once coded between two events of art-004.
    add(
        package_copy,
        "event_relations",
        event_relation_id="rel-004-999",
        event_id="ev-004-006",
        related_event_id="ev-004-005",
        relation="same_report_as",
    )
    assert found(package_copy, "cross.same_report_article") == {("event_relations", "rel-004-999", "related_event_id")}


def test_nor_do_links_through_a_report_of_another_article(package_copy):
    # ev-001-016 (art-001) is linked to ev-000-015 (art-000); linking it to ev-000-014 too makes both
    # art-000 rows reports of one happening.
    add(
        package_copy,
        "event_relations",
        event_relation_id="rel-001-999",
        event_id="ev-001-016",
        related_event_id="ev-000-014",
        relation="same_report_as",
    )
    assert found(package_copy, "cross.same_report_article") == {("events", "ev-000-015", "event_id")}


def test_a_casualty_is_quoted_from_its_events_article(package_copy):
    claim = next(r for r in rows_of(package_copy, "claims") if r["record_id"] == "cas-000-001")
    edit(package_copy, "claims", claim["claim_id"], article_id="art-001")
    assert found(package_copy, "cross.claim_article") == {("claims", claim["claim_id"], "article_id")}


def test_a_relation_is_quoted_from_the_article_of_one_of_its_events(package_copy):
    claim = next(r for r in rows_of(package_copy, "claims") if r["record_table"] == "event_relations")
    edit(
        package_copy,
        "claims",
        claim["claim_id"],
        article_id="art-003" if claim["article_id"] != "art-003" else "art-002",
    )
    assert found(package_copy, "cross.claim_article") == {("claims", claim["claim_id"], "article_id")}


def test_an_event_whose_every_claim_denies_it_is_denied(package_copy):
    claims = [
        r for r in rows_of(package_copy, "claims") if r["record_table"] == "events" and r["record_id"] == "ev-000-006"
    ]
    for claim in claims:
        edit(package_copy, "claims", claim["claim_id"], stance="denies")
    assert found(package_copy, "cross.denied_event") == {("events", "ev-000-006", "status")}
    edit(package_copy, "events", "ev-000-006", status="denied")
    assert found(package_copy, "cross.denied_event") == set()


def test_one_denial_among_assertions_is_fine(package_copy):
    claim = next(r for r in rows_of(package_copy, "claims") if r["record_id"] == "ev-000-001")
    edit(package_copy, "claims", claim["claim_id"], stance="denies")
    assert found(package_copy, "cross.denied_event") == set()


def test_a_named_official_is_a_person(package_copy):
    edit(package_copy, "claims", "cl-000-004", claimant_actor_id="act-lna")
    assert found(package_copy, "cross.named_official") == {("claims", "cl-000-004", "claimant_actor_id")}


# ------------------------------------------------------------------------------------------ Relations


def test_two_reports_of_one_happening_do_not_follow_each_other(package_copy):
    add(
        package_copy,
        "event_relations",
        event_relation_id="rel-001-999",
        event_id="ev-001-016",
        related_event_id="ev-000-015",
        relation="follows",
    )
    assert found(package_copy, "cross.relation_within_happening") == {("event_relations", "rel-001-999", "relation")}


def test_nor_through_a_third_report(package_copy):
    # ev-003-005 and ev-002-024 are both linked to ev-000-017: three reports of the 2019 offensive.
    add(
        package_copy,
        "event_relations",
        event_relation_id="rel-003-999",
        event_id="ev-003-005",
        related_event_id="ev-002-024",
        relation="part_of",
    )
    assert found(package_copy, "cross.relation_within_happening") == {("event_relations", "rel-003-999", "relation")}


def test_a_response_against_a_follow_up_is_a_cycle(package_copy):
    # rel-000-001: ev-000-002 follows ev-000-015.
    add(
        package_copy,
        "event_relations",
        event_relation_id="rel-000-999",
        event_id="ev-000-015",
        related_event_id="ev-000-002",
        relation="response_to",
    )
    assert found(package_copy, "cross.causal_cycle") == {("event_relations", "rel-000-999", "related_event_id")}
    assert found(package_copy, "cross.relation_cycle") == set()  # no cycle of follows alone


def test_a_link_given_twice_or_same_report_as_both_ways(package_copy):
    copy_row(package_copy, "event_relations", "rel-000-002", event_relation_id="rel-000-998")
    copy_row(
        package_copy,
        "event_relations",
        "rel-001-901",
        event_relation_id="rel-001-998",
        event_id="ev-000-015",
        related_event_id="ev-001-016",
    )
    assert found(package_copy, "cross.duplicate_relation") == {
        ("event_relations", "rel-000-998", "related_event_id"),
        ("event_relations", "rel-001-998", "related_event_id"),
    }


def test_a_follows_link_both_ways_is_a_cycle_not_a_duplicate(package_copy):
    copy_row(
        package_copy,
        "event_relations",
        "rel-000-001",
        event_relation_id="rel-000-998",
        event_id="ev-000-015",
        related_event_id="ev-000-002",
    )
    assert found(package_copy, "cross.duplicate_relation") == set()


def test_a_withdrawal_leaves_an_offensive_or_position(package_copy):
    # rel-000-002: ev-000-002 (a withdrawal) withdraws from ev-000-017 (the offensive).
    edit(
        package_copy,
        "events",
        "ev-000-017",
        event_kind="statement",
        event_type="Strategic developments",
        sub_event_type="Other",
    )
    assert found(package_copy, "cross.withdrawal_kind") == {("event_relations", "rel-000-002", "related_event_id")}


def test_what_withdraws_is_a_move_back(package_copy):
    edit(package_copy, "events", "ev-000-002", event_kind="advance", event_type="Battles", sub_event_type="Armed clash")
    assert found(package_copy, "cross.withdrawal_kind") == {("event_relations", "rel-000-002", "event_id")}


# ------------------------------------------------------------------------------- Losses and their actors


def test_a_casualtys_actor_takes_part_in_its_event(package_copy):
    edit(package_copy, "casualties", "cas-000-001", actor_id="act-lna")
    edit(package_copy, "equipment_losses", "loss-000-001", lost_by_actor_id="act-turkey")
    assert found(package_copy, "cross.loss_actor_in_event") == {
        ("casualties", "cas-000-001", "actor_id"),
        ("equipment_losses", "loss-000-001", "lost_by_actor_id"),
    }


def test_civilians_are_not_combatants(package_copy):
    edit(package_copy, "casualties", "cas-000-002", population="combatant")
    assert found(package_copy, "cross.casualty_population") == {("casualties", "cas-000-002", "population")}


def test_an_alternative_group_does_not_mix_combatants_and_civilians(package_copy):
    edit(package_copy, "casualties", "cas-004-002", population="civilian")
    edit(package_copy, "casualties", "cas-004-003", population="unknown")
    assert found(package_copy, "cross.alternative_population") == {("casualties", "cas-004-002", "population")}


def test_a_planned_event_has_no_losses(package_copy):
    edit(package_copy, "events", "ev-000-006", status="planned")
    assert found(package_copy, "cross.planned_losses") == {("casualties", "cas-000-001", "event_id")}


def test_an_actor_takes_part_once_per_role_and_on_one_side(package_copy):
    ea = next(r for r in rows_of(package_copy, "event_actors") if r["role"] == "attacker")
    copy_row(package_copy, "event_actors", ea["event_actor_id"], event_actor_id="ea-999-001")
    copy_row(package_copy, "event_actors", ea["event_actor_id"], event_actor_id="ea-999-002", role="target")
    copy_row(package_copy, "event_actors", ea["event_actor_id"], event_actor_id="ea-999-003", role="announcer")
    assert found(package_copy, "cross.event_actor_roles") == {
        ("event_actors", "ea-999-001", "role"),
        ("event_actors", "ea-999-002", "role"),
    }


# ----------------------------------------------------------------------------------------- Retired IDs


def test_a_retired_id_names_no_live_record(package_copy):
    add(
        package_copy,
        "retired_ids",
        retired_id="act-lna",
        record_table="actors",
        reason_en="Merged.",
        retired_in_version="0.1.0",
    )
    assert found(package_copy, "cross.retired_id_live") == {("retired_ids", "act-lna", "retired_id")}


@pytest.mark.parametrize("superseded_by", ["act-old-brigade", "act-nobody", "act-older-brigade"])
def test_a_retired_id_is_superseded_by_a_record_of_its_table(package_copy, superseded_by):
    add(
        package_copy,
        "retired_ids",
        retired_id="act-old-brigade",
        record_table="actors",
        superseded_by=superseded_by,
        reason_en="Merged.",
        retired_in_version="0.1.0",
    )
    add(
        package_copy,
        "retired_ids",
        retired_id="act-older-brigade",
        record_table="actors",
        superseded_by="act-old-brigade",
        reason_en="Merged.",
        retired_in_version="0.1.0",
    )
    expected = {("retired_ids", "act-old-brigade", "superseded_by")}
    if superseded_by == "act-older-brigade":  # a loop of two
        expected.add(("retired_ids", "act-older-brigade", "superseded_by"))
    assert found(package_copy, "cross.retired_superseded") == expected


def test_a_retired_id_may_be_superseded_by_a_live_or_retired_record(package_copy):
    add(
        package_copy,
        "retired_ids",
        retired_id="act-old-brigade",
        record_table="actors",
        superseded_by="act-lna",
        reason_en="Merged.",
        retired_in_version="0.1.0",
    )
    add(
        package_copy,
        "retired_ids",
        retired_id="act-older-brigade",
        record_table="actors",
        superseded_by="act-old-brigade",
        reason_en="Merged.",
        retired_in_version="0.1.0",
    )
    assert found(package_copy, "cross.retired_superseded") == set()


def test_an_id_is_retired_no_later_than_the_package_version(package_copy):
    version = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))["version"]
    major, minor, patch = (int(x) for x in version.split("."))
    edit(package_copy, "retired_ids", "rel-004-006", retired_in_version=f"{major}.{minor}.{patch + 1}")
    assert found(package_copy, "cross.retired_version") == {("retired_ids", "rel-004-006", "retired_in_version")}
    edit(package_copy, "retired_ids", "rel-004-006", retired_in_version=version)
    assert found(package_copy, "cross.retired_version") == set()


# ------------------------------------------------------------------------------------- Hostile shapes


@pytest.mark.parametrize("damage", ["blank", "duplicate", "empty"])
def test_missing_values_duplicated_keys_and_empty_tables_break_no_rule(package_copy, damage):
    """Every rule copes with missing cells, duplicated keys and empty tables: it reports, never fails."""
    for table in sch.table_names():
        rows = rows_of(package_copy, table)
        if damage == "blank":  # every other row loses every cell but its key
            key = sch.primary_key(table)
            rows = [r if i % 2 else {n: (v if n == key else "") for n, v in r.items()} for i, r in enumerate(rows)]
        elif damage == "duplicate":
            rows = rows + [dict(r) for r in rows]
        else:
            rows = []
        write_rows(package_copy, table, rows)
    report = lc.validate(package_copy)
    assert not [p for p in report.problems if p.rule == "integrity.internal"], report.to_text()


@pytest.mark.parametrize("table", sch.table_names())
def test_one_table_emptied_breaks_no_rule(package_copy, table):
    """The records of the other tables then point to nothing: every rule looking them up copes."""
    write_rows(package_copy, table, [])
    report = lc.validate(package_copy)
    assert not [p for p in report.problems if p.rule == "integrity.internal"], report.to_text()
