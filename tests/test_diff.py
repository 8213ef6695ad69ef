"""libya-conflict diff OLD NEW: rows added, retired and changed between two versions, in text and JSON,
exit 0 when identical, 1 when different, 2 when a side cannot be read."""

import json
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from libya_conflict.validators.catalogue import Folder


def diff(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "diff", *map(str, args)], capture_output=True, text=True, cwd=cwd
    )


def test_a_package_is_identical_to_its_copy(package_copy):
    run = diff(ROOT, package_copy)
    assert run.returncode == 0, run.stderr
    assert "identical" in run.stdout
    result = json.loads(diff(ROOT, package_copy, "--format", "json").stdout)
    assert result["identical"] is True and result["tables"] == {} and result["summary"] == {}


@pytest.fixture
def edited(package_copy):
    """A copy with one event added, one claim retired, one claim deleted and two cells changed."""
    folder = Folder(package_copy)
    event = next(e for e in folder.rows("events") if e["event_id"] == "ev-004-016")
    folder.add("events", {**event, "event_id": "ev-004-017", "description_en": "A copy."})
    folder.add(
        "claims",
        {
            **next(c for c in folder.rows("claims") if c["claim_id"] == "cl-004-077"),
            "claim_id": "cl-004-079",
            "record_id": "ev-004-017",
        },
    )
    folder.remove("claims", lambda c: c["claim_id"] not in ("cl-004-078", "cl-000-001"))
    folder.add(
        "retired_ids",
        {
            "retired_id": "cl-004-078",
            "record_table": "claims",
            "reason_en": "Withdrawn.",
            "retired_in_version": "1.0.0",
        },
    )
    actor = next(a for a in folder.rows("actors") if a["actor_id"] == "act-wagner-group")
    actor["side"] = "foreign"
    event = next(e for e in folder.rows("events") if e["event_id"] == "ev-001-014")
    event["status"], event["date_note"] = "occurred", "Bell\x07 and a right-to-left override \u202e here"
    folder.touch("actors")
    folder.touch("events")
    folder.save()
    return package_copy


def test_every_row_added_retired_removed_and_changed_is_reported(edited):
    run = diff(ROOT, edited, "--format", "json")
    assert run.returncode == 1, run.stderr
    result = json.loads(run.stdout)
    assert result["identical"] is False
    assert result["summary"] == {
        "actors": {"added": 0, "retired": 0, "removed": 0, "changed": 1},
        "claims": {"added": 1, "retired": 1, "removed": 1, "changed": 0},
        "events": {"added": 1, "retired": 0, "removed": 0, "changed": 1},
        "retired_ids": {"added": 1, "retired": 0, "removed": 0, "changed": 0},
    }
    claims = result["tables"]["claims"]
    assert (claims["added"], claims["retired"], claims["removed"]) == (["cl-004-079"], ["cl-004-078"], ["cl-000-001"])
    assert result["tables"]["actors"]["changed"] == [
        {"id": "act-wagner-group", "cells": {"side": {"old": "lna_aligned", "new": "foreign"}}}
    ]
    changed = result["tables"]["events"]["changed"][0]
    assert changed["id"] == "ev-001-014" and changed["cells"]["status"] == {"old": "reported", "new": "occurred"}


def test_the_text_report_shows_old_and_new_and_escapes_control_characters(edited):
    run = diff(ROOT, edited)
    assert run.returncode == 1
    assert "events: 1 added, 0 retired, 0 removed, 1 changed" in run.stdout
    assert "+ 'ev-004-017'" in run.stdout and "- 'cl-004-078' (retired)" in run.stdout
    assert "- 'cl-000-001' (removed, not retired)" in run.stdout
    assert "~ 'act-wagner-group' side: 'lna_aligned' -> 'foreign'" in run.stdout
    assert "\x07" not in run.stdout and "\u202e" not in run.stdout and "\\x07" in run.stdout


def test_a_release_bundle_compares_like_its_package(root, tmp_path):
    from libya_conflict.release import build_release

    build_release(root, tmp_path / "bundle")
    run = diff(tmp_path / "bundle", root)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_table_missing_on_one_side_is_a_difference(package_copy):
    (package_copy / "data" / "place_distances.csv").unlink()
    run = diff(ROOT, package_copy, "--format", "json")
    assert run.returncode == 1
    assert json.loads(run.stdout)["summary"]["place_distances"]["removed"] == 4


@pytest.mark.parametrize(
    "damage, words",
    [
        ("missing", "does not exist"),
        ("empty", "neither datapackage.json nor"),
        ("duplicate", "line 3: event_id 'ev-000-001' is there twice"),
        ("no_key", "has no column event_id"),
        ("not_utf8", "data/events.csv"),
        ("link_out", "leads out"),
        ("bad_zip", "not a readable zip"),
    ],
)
def test_a_side_that_cannot_be_read_is_one_clear_error(package_copy, tmp_path, damage, words):
    side = package_copy
    events = package_copy / "data" / "events.csv"
    if damage == "missing":
        side = tmp_path / "nowhere"
    elif damage == "empty":
        side = tmp_path / "empty"
        side.mkdir()
    elif damage == "duplicate":
        lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
        events.write_text(lines[0] + lines[1] + lines[1] + "".join(lines[2:]), encoding="utf-8")
    elif damage == "no_key":
        text = events.read_text(encoding="utf-8")
        events.write_text(text.replace("event_id,", "event_no,", 1), encoding="utf-8")
    elif damage == "not_utf8":
        events.write_bytes("ev-000-001,حفتر\n".encode("cp1256"))
    elif damage == "link_out":
        secret = tmp_path / "secret.csv"
        secret.write_text("event_id\nSECRET-VALUE\n")
        events.unlink()
        events.symlink_to(secret)
    elif damage == "bad_zip":
        side = tmp_path / "bundle"
        side.mkdir()
        (side / "libya-conflict-1.0.0-csv.zip").write_bytes(b"PK\x03\x04 not a zip")
    run = diff(ROOT, side)
    assert run.returncode == 2
    assert run.stdout == "" and len(run.stderr.strip().splitlines()) == 1 and words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "SECRET-VALUE" not in run.stderr
    as_json = diff(ROOT, side, "--format", "json")
    assert as_json.returncode == 2 and json.loads(as_json.stdout)["identical"] is None


def test_a_zip_member_too_large_to_be_data_is_refused(tmp_path, monkeypatch):
    import libya_conflict.diff as d

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    with zipfile.ZipFile(bundle / "libya-conflict-1.0.0-csv.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", "{}")
        archive.writestr("data/events.csv", "event_id\n" + "x" * 5000 + "\n")
    monkeypatch.setattr(d, "MEMBER_LIMIT", 1000)
    with pytest.raises(d.DiffError, match="more than"):
        d.read_side(bundle)


def test_the_changelog_data_section_is_the_diff_from_the_previous_version(tmp_path):
    """The CHANGELOG's generated section for 1.0.0 is what `diff` says between 0.1.0 (the tree before
    commit a1a0375) and the data of this checkout."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the project's git history for version 0.1.0")
    old = tmp_path / "v0.1.0"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "a1a0375^", "datapackage.json", "data"], capture_output=True
    )
    if archive.returncode != 0:
        pytest.skip("the clone does not hold version 0.1.0 (shallow history)")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    run = diff(old, ROOT, "--format", "changelog")
    assert run.returncode == 1, run.stderr
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    start = changelog.index("<!-- data diff 0.1.0 -> 1.0.0 -->\n") + len("<!-- data diff 0.1.0 -> 1.0.0 -->\n")
    end = changelog.index("<!-- end of data diff -->")
    assert changelog[start:end] == run.stdout
