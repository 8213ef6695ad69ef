"""Cross-table rules of the curation conventions (docs/curation.md): a retired ID is never live again and
says what replaced it, every published ID stays present or retired, and a claim says who makes it.

Last of the three modules of the cross-table family in report order (after ``cross.py`` and
``contradictions.py``).
"""

from __future__ import annotations

from libya_conflict import schema as sch

from .graphs import loop_text, loops
from .keys import is_in, positions, take
from .report import report_rows
from .rule import rule
from .strings import is_one_of

# Source kinds whose claim names who makes it.
CLAIMANT_KINDS = sch.claimant_source_kinds()
FACT_STATUSES = sch.fact_statuses()

_in = is_one_of


def cross_retired_id_live(package, report):
    """A retired ID names no live record: it is never the key of a row of its table (IDs are never reused)."""
    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_id", "record_table"))
    if retired is None or not len(retired):
        return
    live = np.zeros(len(retired), dtype=bool)
    for table in retired["record_table"].dropna().unique():
        f = package.frames.get(str(table))
        key = sch.primary_key(str(table)) if str(table) in sch.table_names() else None
        if f is None or key not in f.columns:
            continue
        mine = _in(retired["record_table"], {str(table)})
        ids = retired["retired_id"][mine]
        # The retired IDs are few: look the table's keys up among them, never the reverse.
        used = f[key][is_in(f[key], ids)]
        live[np.flatnonzero(mine)] = is_in(ids, used)
    report_rows(
        package,
        report,
        "retired_ids",
        live,
        "retired_id",
        "cross.retired_id_live",
        lambda i: (
            f"{retired['retired_id'].iloc[i]} is retired, yet a live record of "
            f"{retired['record_table'].iloc[i]} has it as its ID"
        ),
    )


def cross_retired_superseded(package, report):
    """A retired ID is superseded by a record of its own table, live or itself retired, never by itself
    nor through a loop of retired IDs back to itself."""
    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_id", "record_table", "superseded_by"))
    if retired is None or not len(retired):
        return
    by = retired["superseded_by"]
    named = by.notna().to_numpy(dtype=bool)
    # Within one table: the retired row of the same table that supersedes each row.
    same_table = retired["record_table"].astype(object).where(retired["record_table"].notna(), "")
    keyed = lambda ids: (same_table + "\x00" + ids.astype(object).where(ids.notna(), "")).astype("string")
    following = np.where(named, positions(keyed(by), keyed(retired["retired_id"])), -1)
    looping = loops(following)
    found = following >= 0
    for table in retired["record_table"].dropna().unique():
        f = package.frames.get(str(table))
        key = sch.primary_key(str(table)) if str(table) in sch.table_names() else None
        if f is None or key not in f.columns:
            found |= named & _in(retired["record_table"], {str(table)})  # nothing to look in: say nothing
            continue
        mine = named & _in(retired["record_table"], {str(table)})
        wanted = by[mine]
        found[np.flatnonzero(mine)] |= is_in(wanted, f[key][is_in(f[key], wanted)])
    keys = retired["retired_id"].astype(object).where(retired["retired_id"].notna(), "?").to_numpy()
    report_rows(
        package,
        report,
        "retired_ids",
        looping,
        "superseded_by",
        "cross.retired_superseded",
        lambda i: f"superseded in a loop: {loop_text(following, keys, i)}",
    )
    report_rows(
        package,
        report,
        "retired_ids",
        named & ~found & ~looping,
        "superseded_by",
        "cross.retired_superseded",
        lambda i: f"superseded by {by.iloc[i]}, which is no record of {retired['record_table'].iloc[i]}",
    )


def cross_retired_version(package, report):
    """An ID is retired in a version no later than the package's own (datapackage.json version)."""
    import re

    import numpy as np

    retired = package.frame_with("retired_ids", ("retired_in_version",))
    version = str((package.descriptor or {}).get("version", ""))
    if retired is None or not len(retired) or not re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", version):
        return
    parts = retired["retired_in_version"].str.extract(r"^([0-9]+)\.([0-9]+)\.([0-9]+)$")
    current = [int(x) for x in version.split(".")]
    later, tied = np.zeros(len(retired), dtype=bool), np.ones(len(retired), dtype=bool)
    for k in range(3):  # compared part by part, as numbers
        part = parts[k].astype("Int64")
        later |= tied & (part > current[k]).to_numpy(dtype=bool, na_value=False)
        tied &= (part == current[k]).to_numpy(dtype=bool, na_value=False)
    report_rows(
        package,
        report,
        "retired_ids",
        later,
        "retired_in_version",
        "cross.retired_version",
        lambda i: f"retired in {retired['retired_in_version'].iloc[i]}, after this package's version {version}",
    )


def cross_claimant_kind(package, report):
    """A correspondent's or an official statement's claim names its claimant; a correspondent is a person,
    and an official statement is a body's (a person's own statement is named_official)."""
    claims = package.frame_with("claims", ("source_kind", "claimant_actor_id"))
    actors = package.frame_with("actors", ("actor_id", "actor_type"))
    if claims is None:
        return
    kind, claimant = claims["source_kind"], claims["claimant_actor_id"]
    named = claimant.notna().to_numpy(dtype=bool)
    needs = _in(kind, CLAIMANT_KINDS)
    report_rows(
        package,
        report,
        "claims",
        needs & ~named,
        "claimant_actor_id",
        "cross.claimant_kind",
        lambda i: f"a {kind.iloc[i]} claim without its claimant (docs/curation.md: who says it)",
    )
    if actors is None:
        return
    at = positions(claimant, actors["actor_id"])
    person = take((actors["actor_type"] == "person").fillna(False).to_numpy(dtype=bool), at, False)
    known = at >= 0
    not_person = known & _in(kind, {"correspondent"}) & ~person
    is_person = known & _in(kind, {"official_statement"}) & person
    report_rows(
        package,
        report,
        "claims",
        not_person,
        "claimant_actor_id",
        "cross.claimant_kind",
        lambda i: f"a correspondent's claim by {claimant.iloc[i]}, which is not a person",
    )
    report_rows(
        package,
        report,
        "claims",
        is_person,
        "source_kind",
        "cross.claimant_kind",
        lambda i: (
            f"an official statement by {claimant.iloc[i]}, a person: a named person's statement is named_official"
        ),
    )


def cross_rumour_occurred(package, report):
    """An event whose only support is unattributed reports (every claim other_media with no claimant:
    'amid reports of') is a rumour: its status is reported, never occurred or ongoing."""
    import numpy as np

    claims = package.frame_with("claims", ("record_table", "record_id", "source_kind", "claimant_actor_id"))
    events = package.frame_with("events", ("event_id", "status"))
    if claims is None or events is None:
        return
    of_events = _in(claims["record_table"], {"events"})
    at = positions(claims["record_id"], events["event_id"])
    at = np.where(of_events, at, -1)
    hearsay = _in(claims["source_kind"], {"other_media"}) & claims["claimant_actor_id"].isna().to_numpy(dtype=bool)
    counted = at >= 0
    total = np.bincount(at[counted], minlength=len(events))
    rumours = np.bincount(at[counted & hearsay], minlength=len(events))
    bad = (total > 0) & (rumours == total) & _in(events["status"], FACT_STATUSES)
    report_rows(
        package,
        report,
        "events",
        bad,
        "status",
        "cross.rumour_occurred",
        lambda i: (
            f"coded {events['status'].iloc[i]}, but every claim of it is unattributed reports "
            "(other_media, no claimant): a rumour is 'reported'"
        ),
    )


def cross_published_ids(package, report):
    """Every ID of the register of published IDs (data/published_ids.csv) is present in its table or
    retired (listed in retired_ids), and an ID the register marks retired is neither a live record again nor
    dropped from retired_ids. A project checkout holds the register."""
    from libya_conflict.confine import Confined, UnsafePath
    from libya_conflict.register import PATH, RegisterError, parse_register

    rule = "cross.published_ids"
    folder = package.folder or Confined(package.root)
    try:
        data = folder.read_bytes(PATH)
    except FileNotFoundError:
        if (package.root / "pyproject.toml").is_file() and (package.root / "schemas").is_dir():
            report.add(
                "",
                "",
                "",
                rule,
                f"{PATH} is missing: the project keeps the register of every ID it "
                "has published (restore it from git or the last release)",
            )
        return
    except (UnsafePath, OSError) as exc:
        report.add("", "", "", rule, f"{PATH} cannot be read: {str(exc)[:300]}")
        return
    try:
        entries = parse_register(data, sch.table_names())
    except RegisterError as exc:
        report.add("", "", "", rule, str(exc))
        return
    retired_frame = package.frame_with("retired_ids", ("retired_id", "record_table"))
    if retired_frame is None:
        return
    retired = set(zip(retired_frame["record_table"].astype(object), retired_frame["retired_id"].astype(object)))
    live = {}
    for table in sch.table_names():
        f = package.frames.get(table)
        key = sch.primary_key(table)
        if table != "retired_ids" and f is not None and key in f.columns:
            live[table] = set(f[key].dropna().astype(object))
    for entry in entries.values():
        if entry.table not in live:
            continue  # a table not read is reported by its own rules
        key = sch.primary_key(entry.table)
        is_live, is_retired = entry.id in live[entry.table], (entry.table, entry.id) in retired
        if entry.retired_in and is_live:
            report.add(
                entry.table,
                entry.id,
                key,
                rule,
                f"{entry.id} was retired in {entry.retired_in} ({PATH}), yet a record of {entry.table} has "
                "it again: an ID is never reused, give the record a new ID",
            )
        elif entry.retired_in and not is_retired:
            report.add(
                "retired_ids",
                entry.id,
                "retired_id",
                rule,
                f"{entry.id} ({entry.table}) was retired in {entry.retired_in} ({PATH}) but retired_ids no "
                "longer lists it: restore its row",
            )
        elif not is_live and not is_retired:
            first = entry.first_published
            # A V-dev entry was never in a release: say what it was, not that V published it.
            was = (
                f"was in the repository before {first[: -len('-dev')]} was released"
                if first.endswith("-dev")
                else f"was published in {first}"
            )
            report.add(
                entry.table,
                entry.id,
                key,
                rule,
                f"{entry.id} {was} ({PATH}) and is neither in "
                f"{entry.table} nor in retired_ids: restore the record, or retire the ID (a retired_ids "
                "row saying what replaces it)",
            )


# The rules of this module in report order (registry.py collects them): id, function, corruptions.
RULES = [
    rule("cross.retired_id_live", cross_retired_id_live, "retired_id_reused"),
    rule("cross.retired_superseded", cross_retired_superseded, "superseded_by_itself", "superseded_by_nothing"),
    rule("cross.retired_version", cross_retired_version, "retired_in_a_later_version"),
    rule(
        "cross.claimant_kind",
        cross_claimant_kind,
        "claimant_against_source_kind",
        "correspondent_without_claimant",
        "statement_without_claimant",
        "person_as_official_statement",
    ),
    rule("cross.rumour_occurred", cross_rumour_occurred, "rumour_coded_as_fact"),
    rule(
        "cross.published_ids",
        cross_published_ids,
        "published_id_deleted",
        "retired_id_back",
        "retired_row_dropped",
        "register_malformed",
    ),
]
