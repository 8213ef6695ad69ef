"""The register of published IDs (data/published_ids.csv) and the rule that holds the data to it:
an ID once published is present in its table or retired, and a retired ID never comes back."""

import csv
import io
import shutil

import pytest

import libya_conflict as lc
from libya_conflict.register import PATH, Entry, RegisterError, parse_register, register_bytes, updated
from libya_conflict.validators.catalogue import Folder


def problems(folder, rule="cross.published_ids"):
    return {(p.table, p.row) for p in lc.validate(folder).problems if p.rule == rule}


def register_rows(folder):
    return {r["id"]: r for r in csv.DictReader(io.StringIO((folder / PATH).read_text(encoding="utf-8")))}


def test_the_ids_the_audit_found_missing_are_registered_and_retired(root):
    rows = register_rows(root)
    # Deleted after they were published (issue 12), and cl-004-064, reused for another record.
    gone = {
        "ev-002-045": "events",
        "cas-002-001": "casualties",
        "ea-002-072": "event_actors",
        "cl-002-103": "claims",
        "cl-002-116": "claims",
        "pl-point-27km-from-tripoli-western-gate": "places",
        "dist-004-001": "place_distances",
        "cl-004-031": "claims",
        "cl-004-064": "claims",
    }
    # All but cl-004-064 were deleted before 0.1.0 was released (none is in its tree): registered as in the
    # repository during its development, not as published by it.
    for key, table in gone.items():
        first = "0.1.0" if key == "cl-004-064" else "0.1.0-dev"
        assert rows[key]["table"] == table and rows[key]["first_published"] == first, key
        assert rows[key]["retired_in"] == "1.0.0", key
    retired = {
        r["retired_id"]
        for r in csv.DictReader(io.StringIO((root / "data" / "retired_ids.csv").read_text(encoding="utf-8")))
    }
    assert set(gone) <= retired


def test_the_bundled_data_passes_the_register(root):
    assert problems(root) == set()


def test_a_published_id_deleted_without_retiring_it_is_reported(package_copy):
    folder = Folder(package_copy)
    folder.remove("claims", lambda r: r["claim_id"] != "cl-004-077")
    folder.save()
    report = lc.validate(package_copy)
    found = [p for p in report.problems if p.rule == "cross.published_ids"]
    assert [(p.table, p.row, p.column) for p in found] == [("claims", "cl-004-077", "claim_id")]
    assert "published in 1.0.0" in found[0].message and "retire" in found[0].message


def test_an_id_deleted_before_a_release_is_not_said_to_be_published_by_it(package_copy):
    # A V-dev entry, not yet retired, whose record is gone: reported, without claiming a release carried it.
    register = package_copy / PATH
    register.write_bytes(register.read_bytes() + b"ev-004-099,events,1.1.0-dev,\n")
    found = [p for p in lc.validate(package_copy).problems if p.rule == "cross.published_ids" and p.row == "ev-004-099"]
    assert len(found) == 1 and "published in" not in found[0].message
    assert "in the repository before 1.1.0 was released" in found[0].message


def test_a_retired_id_given_to_a_record_again_is_reported(package_copy):
    folder = Folder(package_copy)
    claim = next(c for c in folder.rows("claims") if c["claim_id"] == "cl-004-006")
    folder.add("claims", {**claim, "claim_id": "cl-004-064"})
    folder.save()
    # With its retired_ids row the ID is caught twice; without it, only the register knows it was retired.
    assert ("claims", "cl-004-064") in problems(package_copy)
    assert ("retired_ids", "cl-004-064") in problems(package_copy, "cross.retired_id_live")
    folder.remove("retired_ids", lambda r: r["retired_id"] != "cl-004-064")
    folder.save()
    assert ("claims", "cl-004-064") in problems(package_copy)
    assert problems(package_copy, "cross.retired_id_live") == set()


def test_a_retired_id_dropped_from_retired_ids_is_reported(package_copy):
    folder = Folder(package_copy)
    folder.remove("retired_ids", lambda r: r["retired_id"] != "ev-002-045")
    folder.save()
    assert problems(package_copy) == {("retired_ids", "ev-002-045")}


def test_a_copy_without_a_register_is_checked_without_one_but_a_project_must_keep_it(package_copy, root, tmp_path):
    (package_copy / PATH).unlink()
    assert problems(package_copy) == set()
    project = tmp_path / "project"
    shutil.copytree(root, project, ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info"))
    (project / PATH).unlink()
    assert problems(project) == {("", "")}


@pytest.mark.parametrize(
    "text, words",
    [
        ("id,table\nev-000-001,events\n", "header"),
        ("id,table,first_published,retired_in\nev-000-001,nowhere,0.1.0,\n", "no table"),
        ("id,table,first_published,retired_in\nev-000-001,events,soon,\n", "not a version"),
        ("id,table,first_published,retired_in\nev-000-001,events,0.1.0,\nev-000-001,events,0.1.0,\n", "twice"),
        ("id,table,first_published,retired_in\nev-000-001,events\n", "cells"),
        ("\x00\x01binary", "UTF-8"),
    ],
)
def test_a_damaged_register_is_one_clear_problem(package_copy, text, words):
    (package_copy / PATH).write_bytes(text.encode("utf-8"))
    report = lc.validate(package_copy)
    found = [p for p in report.problems if p.rule == "cross.published_ids"]
    assert len(found) == 1 and PATH in found[0].message and words in found[0].message, found
    assert not any(p.rule == "integrity.internal" for p in report.problems)


def test_a_register_that_is_a_link_out_of_the_folder_is_never_read(package_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("id,table,first_published,retired_in\nsecret,events,0.1.0,\n")
    (package_copy / PATH).unlink()
    (package_copy / PATH).symlink_to(outside)
    found = [p for p in lc.validate(package_copy).problems if p.rule == "cross.published_ids"]
    assert len(found) == 1 and "leads out" in found[0].message and "secret" not in found[0].message


def test_a_release_registers_new_ids_and_retirements_and_forgets_nothing():
    before = {
        "a-1": Entry("a-1", "actors", "0.1.0", ""),
        "a-2": Entry("a-2", "actors", "0.1.0", ""),
        "e-1": Entry("e-1", "events", "0.1.0", "0.2.0"),
    }
    after = updated(before, {"actors": ["a-1", "a-3"], "events": []}, {"a-2": "1.0.0", "e-1": "0.2.0"}, "1.0.0")
    assert after == {
        "a-1": Entry("a-1", "actors", "0.1.0", ""),
        "a-2": Entry("a-2", "actors", "0.1.0", "1.0.0"),
        "e-1": Entry("e-1", "events", "0.1.0", "0.2.0"),
        "a-3": Entry("a-3", "actors", "1.0.0", ""),
    }
    assert parse_register(register_bytes(after)) == after
    with pytest.raises(RegisterError, match="line 3"):
        parse_register(b"id,table,first_published,retired_in\na-1,actors,0.1.0,\na-1,actors,0.1.0,\n")


def test_the_release_bundle_ships_the_register(root, tmp_path):
    import zipfile

    from libya_conflict.build import project_version
    from libya_conflict.release import build_release

    build_release(root, tmp_path / "bundle")
    stem = f"libya-conflict-{project_version(root)}"
    with zipfile.ZipFile(tmp_path / "bundle" / f"{stem}-csv.zip") as archive:
        assert archive.read(PATH) == (root / PATH).read_bytes()
    assert (tmp_path / "bundle" / PATH).read_bytes() == (root / PATH).read_bytes()


def test_an_id_of_a_version_in_development_is_registered_as_such_and_only_there():
    """``V-dev`` says an ID was in the repository before V was released; it is no release, so nothing can be
    retired in it, and no other suffix is a version."""
    from libya_conflict.register import version_key

    head = b"id,table,first_published,retired_in\n"
    entries = parse_register(head + b"ev-000-001,events,0.1.0-dev,1.0.0\n")
    assert entries["ev-000-001"].first_published == "0.1.0-dev"
    for bad in (b"ev-000-001,events,0.1.0-rc1,\n", b"ev-000-001,events,0.1.0,0.2.0-dev\n"):
        with pytest.raises(RegisterError, match="line 2"):
            parse_register(head + bad)
    assert version_key("0.1.0-dev") < version_key("0.1.0") < version_key("0.1.1-dev") < version_key("0.1.1")
