"""The command line: every command documented, errors as one line."""

import json
import subprocess
import sys
from pathlib import Path

import pytest


def parser_commands() -> list[str]:
    """The commands the CLI's parser knows, read from the parser itself (a new command is tested too)."""
    import argparse

    from libya_conflict.cli import parser

    subparsers = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(subparsers[0].choices)


COMMANDS = parser_commands()


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "libya_conflict.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_every_command_is_in_the_readme(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"libya-conflict {command}" in readme


def test_info_lists_tables_with_row_counts(root):
    import csv

    from libya_conflict import schema as sch

    out = run("info").stdout
    assert "CC-BY-4.0" in out
    listed = {
        line.split()[0]: line.split()[1] for line in out.split("tables (rows):\n")[1].split("\n\n")[0].splitlines()
    }
    assert sorted(listed) == sorted(sch.table_names())
    for table in sch.table_names():
        with open(root / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1  # the header
        assert listed[table] == str(rows), table


def test_the_command_list_is_the_parsers():
    assert {"info", "validate", "build", "export", "scoreboard", "synth"} <= set(COMMANDS)
    help_text = run("--help").stdout
    assert all(command in help_text for command in COMMANDS)


def test_build_check_is_clean_on_the_committed_tree(root):
    result = run("build", "--check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_build_check_names_stale_files(tmp_path, root):
    import shutil

    for name in ("pyproject.toml", "datapackage.json", "CITATION.cff"):
        shutil.copy(root / name, tmp_path)
    shutil.copytree(root / "schemas", tmp_path / "schemas")
    shutil.copytree(root / "data", tmp_path / "data")
    (tmp_path / "docs").mkdir()
    (tmp_path / "datapackage.json").write_text("{}", encoding="utf-8")
    result = run("build", "--check", cwd=tmp_path)
    assert result.returncode == 1
    assert "datapackage.json" in result.stdout and "docs/codebook.md" in result.stdout


def test_export_csv_is_a_package_both_validators_accept(tmp_path):
    result = run("export", "--format", "csv", "--out", str(tmp_path))
    assert result.returncode == 0
    assert (tmp_path / "data" / "events.csv").is_file() and (tmp_path / "datapackage.json").is_file()
    assert len(list((tmp_path / "data" / "sources").glob("*.txt"))) == 5  # the article texts travel along
    ours = run("validate", str(tmp_path), "--format", "json")
    assert ours.returncode == 0, ours.stdout
    theirs = subprocess.run(
        [str(Path(sys.executable).with_name("frictionless")), "validate", "--json", "datapackage.json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    report = json.loads(theirs.stdout)
    assert theirs.returncode == 0 and report["valid"], theirs.stdout[:2000]
    assert len(report["tasks"]) == 11 and all(task["valid"] for task in report["tasks"])


def test_curate_locate_prints_offsets_and_refuses_absent_quotes(root):
    ok = run("curate", "locate", "art-004", "بوابة أمنية", cwd=root)
    assert ok.returncode == 0 and "quote_start=" in ok.stdout
    absent = run("curate", "locate", "art-004", "بوابه امنيه", cwd=root)
    assert absent.returncode == 1 and "near matches" in absent.stderr


def test_curate_add_article_copies_bytes_and_registers(tmp_path, root):
    import shutil

    shutil.copytree(root / "data", tmp_path / "data")
    shutil.copytree(root / "schemas", tmp_path / "schemas")
    new = tmp_path / "new.txt"
    new.write_bytes("نص جديد\u00a0مع مسافة\r\n".encode())
    result = run(
        "curate", "add-article", str(new), "--published", "2020-06-05", "--outlet", "Test", "--root", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    copied = list((tmp_path / "data" / "sources").glob("005_*.txt"))
    assert len(copied) == 1 and copied[0].read_bytes() == new.read_bytes()
    again = run("curate", "add-article", str(new), "--published", "2020-06-05", "--root", str(tmp_path))
    assert again.returncode == 2 and "already" in again.stderr


@pytest.mark.parametrize("fmt", ["csv", "csv-bom", "parquet", "acled", "xlsx", "sqlite"])
def test_every_export_reads_a_users_copy_that_holds_no_schemas(tmp_path, package_copy, fmt):
    """A copy of the package (datapackage.json and data/, as users download it) has no schemas/ folder:
    its tables are the installed package's, and every export finds them."""
    out = tmp_path / "out"
    result = run("export", "--format", fmt, "--root", str(package_copy), "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "internal error" not in result.stderr
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert written, "nothing written"
    if fmt == "csv-bom":
        assert "actors.csv" in written and "events_flat.csv" in written
        assert (out / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")
