"""schemas/ is the one source of truth: everything derived from it must agree with it."""

import json

import pytest

from libya_conflict import schema as sch
from libya_conflict.build import plan, stale_files
from libya_conflict.validators.columns import pandera_schema

TABLES = sch.table_names()
CONTRACT = {
    "articles": [
        "article_id",
        "path",
        "sha256",
        "language",
        "outlet",
        "published_earliest",
        "published_latest",
        "published_precision",
    ],
    "actors": ["actor_id", "name_en", "name_ar", "actor_type", "side", "parent_actor_id"],
    "places": [
        "place_id",
        "name_en",
        "name_ar",
        "place_type",
        "latitude",
        "longitude",
        "geo_precision",
        "parent_place_id",
    ],
    "events": [
        "event_id",
        "event_type",
        "sub_event_type",
        "date_earliest",
        "date_latest",
        "date_precision",
        "place_id",
        "status",
        "description_en",
    ],
    "event_actors": ["event_id", "actor_id", "role"],
    "event_relations": ["event_relation_id", "event_id", "related_event_id", "relation"],
    "equipment_losses": [
        "loss_id",
        "event_id",
        "system_en",
        "category",
        "quantity",
        "status",
        "lost_by_actor_id",
        "verification",
    ],
    "casualties": [
        "casualty_id",
        "event_id",
        "actor_id",
        "category",
        "population",
        "count_low",
        "count_best",
        "count_high",
    ],
    "claims": [
        "claim_id",
        "article_id",
        "record_table",
        "record_id",
        "quote",
        "quote_start",
        "quote_end",
        "claimant_actor_id",
        "stance",
        "translation_en",
    ],
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_the_public_contract_columns_exist(table):
    assert set(CONTRACT[table]) <= set(sch.field_names(table))


def test_contract_vocabularies_hold_the_required_values():
    def enum(table, column):
        return next(f for f in sch.table_schema(table)["fields"] if f["name"] == column)["constraints"]["enum"]

    assert {"withdrawal_from", "response_to", "part_of", "follows", "same_report_as"} <= set(
        enum("event_relations", "relation")
    )
    assert {"destroyed", "damaged", "captured", "abandoned", "shot_down"} <= set(enum("equipment_losses", "status"))
    assert {"claimed", "video_reported", "visually_confirmed", "disputed"} <= set(
        enum("equipment_losses", "verification")
    )
    assert {"killed", "wounded", "captured", "missing"} <= set(enum("casualties", "category"))
    assert {"asserts", "denies", "reports", "alleges"} <= set(enum("claims", "stance"))
    assert {"day", "week", "month", "year", "range"} == set(enum("events", "date_precision"))


@pytest.mark.parametrize("table", TABLES)
def test_every_field_is_documented(table):
    for field in sch.table_schema(table)["fields"]:
        assert field.get("title") and field.get("description"), f"{table}.{field['name']}"


@pytest.mark.parametrize("table", TABLES)
def test_primary_key_is_a_single_unique_required_id(table):
    pk = sch.primary_key(table)
    field = next(f for f in sch.table_schema(table)["fields"] if f["name"] == pk)
    assert pk.endswith("_id") and field["constraints"]["required"] and field["constraints"]["unique"]


@pytest.mark.parametrize("table", TABLES)
def test_patterns_never_use_backslash_d(table):
    # \d matches Arabic-Indic digits too; patterns must say [0-9].
    for field in sch.table_schema(table)["fields"]:
        assert "\\d" not in field.get("constraints", {}).get("pattern", "")


def test_datapackage_declares_exactly_the_schemas(root):
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    declared = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert list(declared) == TABLES
    for table in TABLES:
        schema = sch.table_schema(table)
        expected = {k: v for k, v in schema.items() if k not in ("name", "title", "description", "fields")}
        assert {k: v for k, v in declared[table].items() if k != "fields"} == expected, table
        assert len(declared[table]["fields"]) == len(schema["fields"])
        for field, said in zip(schema["fields"], declared[table]["fields"]):
            # Data Package v2 says what the schema file says, plus categories and list fields.
            plain = {k: v for k, v in said.items() if k not in ("categories", "itemType", "delimiter")}
            if "x-list-delimiter" in field:
                assert (said["type"], said["itemType"], said["delimiter"]) == (
                    "list",
                    field["type"],
                    field["x-list-delimiter"],
                )
                plain["type"] = field["type"]
            assert plain == {k: v for k, v in field.items() if k != "x-list-delimiter"}, (table, field["name"])
            assert said.get("categories") == field.get("constraints", {}).get("enum"), (table, field["name"])


@pytest.mark.parametrize("table", TABLES)
def test_pandera_model_follows_the_schema(table):
    model = pandera_schema(table)
    fields = sch.table_schema(table)["fields"]
    assert list(model.columns) == [f["name"] for f in fields]
    for f in fields:
        column, c = model.columns[f["name"]], f.get("constraints", {})
        assert column.nullable == (not c.get("required", False)), f["name"]
        names = {check.name for check in column.checks}
        # Uniqueness may be pandera's own flag or the model's named check; either way it must be enforced.
        assert (column.unique or "column.unique" in names) == bool(c.get("unique", False)), f["name"]
        if "enum" in c:
            enum_check = next(ch for ch in column.checks if ch.name == "column.enum")
            assert set(enum_check.statistics["allowed_values"]) == set(c["enum"])
        assert ("column.pattern" in names) == ("pattern" in c)


@pytest.mark.parametrize("table", TABLES)
def test_csv_header_is_the_schema(root, table):
    header = (root / "data" / f"{table}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == sch.field_names(table)


def test_committed_files_are_up_to_date(root):
    assert stale_files(root, plan(root)) == []


def test_building_twice_gives_the_same_bytes(root):
    from libya_conflict.build import parquet_file

    first, second = plan(root), plan(root)
    assert first.files == second.files
    assert {k: parquet_file(first, k) for k in first.parquet} == {k: parquet_file(second, k) for k in second.parquet}


def test_the_domain_vocabularies_name_values_of_the_tables_they_describe():
    """schemas/vocabularies.json speaks of the tables' own vocabularies: a value renamed in a table schema
    must be renamed there too, or a rule would silently check for a value no record can hold."""
    events = set(sch.vocabulary("events", "event_kind"))
    for kind, pairs in sch.event_kind_acled_types().items():
        assert kind in events, kind
        assert all(sub in sch.acled_sub_event_types()[t] for t, sub in pairs), kind
    assert sch.withdrawing_kinds() <= events and sch.withdrawn_from_kinds() <= events
    assert sch.future_statuses() | sch.fact_statuses() <= set(sch.vocabulary("events", "status"))
    relations = set(sch.vocabulary("event_relations", "relation"))
    for names in (sch.ordered_relations(), sch.acyclic_relations(), sch.happening_relations()):
        assert set(names) <= relations, names
    assert {r for pair in sch.opposed_roles() for r in pair} <= set(sch.vocabulary("event_actors", "role"))
    assert sch.airborne_categories() <= set(sch.vocabulary("equipment_losses", "category"))
    assert sch.strike_methods() <= set(sch.vocabulary("equipment_losses", "method"))
    assert sch.capture_statuses() <= set(sch.vocabulary("equipment_losses", "status"))
    assert set(sch.claimed_tables()) <= set(sch.vocabulary("claims", "record_table"))
    for table, columns in sch.date_ranges().items():
        assert set(columns) <= set(sch.field_names(table)), table


def test_the_event_records_are_the_tables_that_name_an_event():
    """Every table with a foreign key to events.event_id is listed among the event records, and only those:
    a new such table left out would escape cross.claim_article."""
    naming = {
        table
        for table in sch.table_names()
        if table != "events"
        and any(fk["reference"]["resource"] == "events" for fk in sch.table_schema(table).get("foreignKeys", []))
    }
    assert set(sch.event_records()) == naming
    assert len(sch.event_records()) == len(set(sch.event_records()))
    assert sch.event_columns("event_relations") == ("event_id", "related_event_id")
    assert sch.event_columns("casualties") == ("event_id",) and sch.event_columns("actors") == ()
    assert sch.claimant_source_kinds() <= set(sch.vocabulary("claims", "source_kind"))
    assert set(sch.event_records()) <= set(sch.vocabulary("claims", "record_table"))
