"""The release bundle: every download in one folder, checksummed, the same bytes on every build."""

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import libya_conflict as lc
from libya_conflict.acled import acled_csv_bytes
from libya_conflict.build import project_version
from libya_conflict.csvfiles import spreadsheet_csv_files
from libya_conflict.release import ReleaseError, build_release
from libya_conflict.sqlite_export import sqlite_bytes
from libya_conflict.workbook import workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # builds the whole release (workbook, site, wheel, sdist) twice


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "libya_conflict.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("release") / "bundle"
    result = cli("build", "--release", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_building_twice_gives_identical_bytes(root, bundle, tmp_path):
    again = tmp_path / "again"
    build_release(root, again)
    assert files_of(again) == files_of(bundle)


def test_sha256sums_lists_every_file_with_its_hash(bundle):
    files = files_of(bundle)
    listed = {}
    for line in files.pop("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert listed == {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_bundle_holds_every_download_for_this_version(root, bundle):
    stem = f"libya-conflict-{project_version(root)}"
    names = set(files_of(bundle))
    for name in (
        f"{stem}-csv.zip",
        f"{stem}-csv-bom.zip",
        f"{stem}-parquet.zip",
        f"{stem}.xlsx",
        f"{stem}.sqlite",
        f"{stem}-acled.csv",
        "datapackage.json",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "LICENSE-DATA",
        "CITATION.cff",
        "docs/codebook.md",
        "docs/datasheet.md",
        "docs/acled.md",
        "docs/spreadsheets.md",
        f"{stem}.datasette.json",
    ):
        assert name in names, name
    version = project_version(root)
    assert {f"libya_conflict-{version}-py3-none-any.whl", f"libya_conflict-{version}.tar.gz"} <= names
    assert (bundle / f"{stem}.xlsx").read_bytes() == workbook_bytes(root)
    assert (bundle / f"{stem}.sqlite").read_bytes() == sqlite_bytes(root)
    assert (bundle / f"{stem}-acled.csv").read_bytes() == acled_csv_bytes()
    with zipfile.ZipFile(bundle / f"{stem}-csv-bom.zip") as archive:
        assert {n: archive.read(n) for n in archive.namelist()} == spreadsheet_csv_files(root)
    with zipfile.ZipFile(bundle / f"{stem}-parquet.zip") as archive:
        assert sorted(n for n in archive.namelist() if n.endswith(".parquet")) == sorted(
            f"data/parquet/{t}.parquet" for t in lc.list_tables()
        )


def test_csv_zip_is_a_valid_data_package_on_its_own(root, bundle, tmp_path):
    stem = f"libya-conflict-{project_version(root)}"
    with zipfile.ZipFile(bundle / f"{stem}-csv.zip") as archive:
        archive.extractall(tmp_path / "package")
    report = lc.validate(tmp_path / "package")
    assert report.valid, report.to_text()
    # The catalogue descriptions travel with the files they describe.
    for name in ("croissant.json", "dataset.jsonld"):
        assert (tmp_path / "package" / name).read_bytes() == (root / name).read_bytes()
    for table in lc.list_tables():
        assert (tmp_path / "package" / "data" / f"{table}.csv").read_bytes() == (
            root / "data" / f"{table}.csv"
        ).read_bytes()


def test_release_refuses_a_folder_that_is_not_empty(root, tmp_path):
    (tmp_path / "old.txt").write_text("something else")
    with pytest.raises(ReleaseError, match="not empty"):
        build_release(root, tmp_path)
    result = cli("build", "--release", str(tmp_path), cwd=root)
    assert result.returncode == 2 and "not empty" in result.stderr


def test_release_and_check_do_not_combine(root, tmp_path):
    result = cli("build", "--check", "--release", str(tmp_path / "out"), cwd=root)
    assert result.returncode == 2 and not (tmp_path / "out").exists()
