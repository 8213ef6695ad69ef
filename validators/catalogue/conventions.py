"""Corruptions the curation conventions' rules must catch (``validators/conventions.py``): retired IDs
reused, superseded by nothing or retired in a later version, published IDs deleted or back, and claims
that do not say who makes them as their source kind requires."""

from __future__ import annotations

import json
import random
from pathlib import Path

from libya_conflict import schema as sch

from .entry import Expected, corruption
from .folder import Folder, key_of
from .scaffold import (
    add_actor,
    add_event,
    add_place,
    existing_or_new,
    fresh_id,
    happened_event,
    some_claim,
)

FACT_STATUSES = sch.fact_statuses()


@corruption("retired_id_reused")
def retired_id_reused(root: Path, rng: random.Random) -> Expected:
    """A retired ID given to a new record (an ID is never reused)."""
    folder = Folder(root)
    table = rng.choice(["actors", "places", "events"])
    row = existing_or_new(folder, rng, table, {"actors": add_actor, "places": add_place, "events": add_event}[table])
    retired = folder.add(
        "retired_ids",
        {
            "retired_id": key_of(table, row),
            "record_table": table,
            "reason_en": "Merged into another record.",
            "retired_in_version": "0.1.0",
        },
    )
    folder.save()
    return "retired_ids", retired["retired_id"], "retired_id"


def _superseded(root: Path, rng: random.Random, by_itself: bool) -> Expected:
    """A retired ID superseded by itself (``by_itself``) or by an ID that names no record of its table."""
    folder = Folder(root)
    gone = fresh_id(folder, "actors")
    retired = folder.add(
        "retired_ids",
        {
            "retired_id": gone,
            "record_table": "actors",
            "superseded_by": gone if by_itself else gone + "-new",
            "reason_en": "Merged into another record.",
            "retired_in_version": "0.1.0",
        },
    )
    folder.save()
    return "retired_ids", retired["retired_id"], "superseded_by"


@corruption("superseded_by_itself")
def superseded_by_itself(root: Path, rng: random.Random) -> Expected:
    """A retired ID said to be superseded by itself."""
    return _superseded(root, rng, True)


@corruption("superseded_by_nothing")
def superseded_by_nothing(root: Path, rng: random.Random) -> Expected:
    """A retired ID said to be superseded by an ID that names no record of its table."""
    return _superseded(root, rng, False)


@corruption("retired_in_a_later_version")
def retired_in_a_later_version(root: Path, rng: random.Random) -> Expected:
    """An ID listed as retired in a version after the package's own."""
    folder = Folder(root)
    version = json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["version"]
    major, minor, patch = (int(x) for x in version.split("."))
    later = rng.choice([f"{major + 1}.0.0", f"{major}.{minor + 1}.0", f"{major}.{minor}.{patch + 1}"])
    rows = folder.rows("retired_ids")
    if rows:
        retired = rng.choice(rows)
    else:
        retired = folder.add(
            "retired_ids",
            {
                "retired_id": fresh_id(folder, "actors"),
                "record_table": "actors",
                "reason_en": "Withdrawn.",
                "retired_in_version": version,
            },
        )
    retired["retired_in_version"] = later
    folder.touch("retired_ids")
    folder.save()
    return "retired_ids", retired["retired_id"], "retired_in_version"


def _package_version(root: Path) -> str:
    return json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))["version"]


def write_register(folder: Folder, retire: dict[str, str] | None = None) -> None:
    """Bring the folder's register of published IDs up to date, as ``build --release`` would (every live ID
    registered), then mark the IDs of ``retire`` (ID -> table) as retired in the package's version."""
    from libya_conflict.register import PATH, Entry, register_bytes, registered, updated

    version = _package_version(folder.root)
    live = {t: [key_of(t, r) for r in folder.rows(t)] for t in sch.table_names() if t != "retired_ids"}
    retired = {r["retired_id"]: r["retired_in_version"] for r in folder.rows("retired_ids")}
    entries = updated(registered(folder.root), live, retired, version)
    for key, table in (retire or {}).items():
        entries[key] = Entry(key, table, entries[key].first_published if key in entries else version, version)
    (folder.root / PATH).write_bytes(register_bytes(entries))


@corruption("published_id_deleted")
def published_id_deleted(root: Path, rng: random.Random) -> Expected:
    """A published ID deleted from its table with no retired_ids row (users who cite it lose it silently)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    write_register(folder)
    folder.remove("claims", lambda r: r["claim_id"] != claim["claim_id"])
    folder.save()
    return "claims", claim["claim_id"], "claim_id"


@corruption("retired_id_back")
def retired_id_back(root: Path, rng: random.Random) -> Expected:
    """An ID the register marks retired given to a live record again, its retired_ids row dropped (reused)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    folder.save()  # the claim some_claim may have added
    write_register(folder, {claim["claim_id"]: "claims"})
    return "claims", claim["claim_id"], "claim_id"


@corruption("retired_row_dropped")
def retired_row_dropped(root: Path, rng: random.Random) -> Expected:
    """An ID the register marks retired whose retired_ids row was deleted (the record gone as well)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    folder.save()  # the claim some_claim may have added
    write_register(folder, {claim["claim_id"]: "claims"})
    folder.remove("claims", lambda r: r["claim_id"] != claim["claim_id"])
    folder.save()
    return "retired_ids", claim["claim_id"], "retired_id"


@corruption("register_malformed")
def register_malformed(root: Path, rng: random.Random) -> Expected:
    """The register of published IDs edited by hand into a row that is not one (a cell missing)."""
    from libya_conflict.register import PATH

    folder = Folder(root)
    write_register(folder)
    path = folder.root / PATH
    path.write_bytes(path.read_bytes() + rng.choice([b"cl-999-999,claims\n", b"act-x,actors,0.1.0,0.2.0,extra\n"]))
    return "", "", ""


def _claimed_by(root: Path, rng: random.Random, kind: str, claimant: str, column: str) -> Expected:
    """A claim given source_kind ``kind`` and a claimant: "" none, "body" an actor that is no person,
    "person" a person (a new one when there is none)."""
    folder = Folder(root)
    claim = some_claim(folder, rng)
    actor_id = ""
    if claimant == "body":
        bodies = [a for a in folder.rows("actors") if a["actor_type"] != "person"]
        actor_id = (rng.choice(bodies) if bodies else add_actor(folder, rng))["actor_id"]
    elif claimant == "person":
        people = [a for a in folder.rows("actors") if a["actor_type"] == "person"]
        if people:
            actor_id = rng.choice(people)["actor_id"]
        else:
            person = add_actor(folder, rng)
            person.update(actor_type="person", side="neutral_unknown", name_en="Catalogue test spokesman")
            actor_id = person["actor_id"]
    claim.update(source_kind=kind, claimant_actor_id=actor_id)
    folder.touch("claims")
    folder.touch("actors")
    folder.save()
    return "claims", claim["claim_id"], column


@corruption("claimant_against_source_kind")
def claimant_against_source_kind(root: Path, rng: random.Random) -> Expected:
    """A correspondent's claim whose claimant is a body (a force, a government), not a person."""
    return _claimed_by(root, rng, "correspondent", "body", "claimant_actor_id")


@corruption("correspondent_without_claimant")
def correspondent_without_claimant(root: Path, rng: random.Random) -> Expected:
    """A correspondent's claim with no claimant."""
    return _claimed_by(root, rng, "correspondent", "", "claimant_actor_id")


@corruption("statement_without_claimant")
def statement_without_claimant(root: Path, rng: random.Random) -> Expected:
    """An official statement's claim with no claimant (whose statement it is)."""
    return _claimed_by(root, rng, "official_statement", "", "claimant_actor_id")


@corruption("person_as_official_statement")
def person_as_official_statement(root: Path, rng: random.Random) -> Expected:
    """A person's statement coded as an official statement (a named person's is named_official)."""
    return _claimed_by(root, rng, "official_statement", "person", "source_kind")


@corruption("rumour_coded_as_fact")
def rumour_coded_as_fact(root: Path, rng: random.Random) -> Expected:
    """An event supported only by unattributed reports ('amid reports of') coded as having occurred."""
    folder = Folder(root)
    event = happened_event(folder, rng)
    for claim in folder.rows("claims"):
        if claim["record_table"] == "events" and claim["record_id"] == event["event_id"]:
            claim.update(source_kind="other_media", claimant_actor_id="", stance="reports")
    event["status"] = rng.choice(sorted(FACT_STATUSES))
    folder.touch("claims")
    folder.touch("events")
    folder.save()
    return "events", event["event_id"], "status"
