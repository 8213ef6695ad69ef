"""The CSV downloads: the plain package as datapackage.json describes it, and BOM copies for spreadsheets."""

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile

from libya_conflict import flat
from libya_conflict import schema as sch
from libya_conflict.csvfiles import BOM, package_csv_files, spreadsheet_csv_files, zip_bytes
from libya_conflict.tables import parse_cell


def test_spreadsheet_copies_are_the_package_csv_behind_a_byte_order_mark(root):
    files = spreadsheet_csv_files()
    assert sorted(files) == sorted([f"{t}.csv" for t in sch.table_names()] + ["events_flat.csv"])
    for table in sch.table_names():
        data = files[f"{table}.csv"]
        assert data.startswith(BOM) and not data[3:].startswith(BOM)
        assert data[len(BOM) :] == (root / "data" / f"{table}.csv").read_bytes()


def test_events_flat_csv_parses_back_to_events_flat():
    columns, rows = flat.events_flat()
    text = spreadsheet_csv_files()["events_flat.csv"].decode("utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(records[0]) == [c["name"] for c in columns]
    parsed = [{c["name"]: parse_cell(c, r[c["name"]]) for c in columns} for r in records]
    assert parsed == rows


def test_plain_files_match_the_hashes_in_datapackage_json():
    files = package_csv_files()
    descriptor = json.loads(files["datapackage.json"])
    for resource in descriptor["resources"]:
        data = files[resource["path"]]
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert not data.startswith(BOM)
    # The article texts travel too, so every quote can be checked against its source.
    assert sum(name.startswith("data/sources/") for name in files) == 5


def test_zip_has_fixed_dates_so_its_bytes_are_reproducible():
    files = {"b.csv": BOM + "ب\n".encode(), "a.csv": b"a\n"}
    data = zip_bytes(files)
    assert data == zip_bytes(dict(reversed(list(files.items()))))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["a.csv", "b.csv"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("b.csv") == files["b.csv"]


def test_cli_export_csv_bom(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "export", "--format", "csv-bom", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "events.csv").read_bytes().startswith(BOM)
    assert (tmp_path / "events_flat.csv").is_file()
