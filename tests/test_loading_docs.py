"""docs/loading.md: every Python snippet runs as written, from the folder holding data/; the SQL one runs
when sqlite3 is installed and the R ones when R's arrow package is. The snippets are read from the page,
so the page cannot drift from what works."""

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "docs" / "loading.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```$", PAGE, flags=re.S | re.M)


def blocks(language):
    return [code for lang, code in BLOCKS if lang == language]


def test_the_page_has_snippets_for_every_reader():
    assert {lang for lang, _ in BLOCKS} == {"python", "r", "julia", "sh"}
    python = "\n".join(blocks("python"))
    for reader in ("pd.read_parquet", "pl.read_parquet", "duckdb.sql", "ds.dataset", 'backend="duckdb"'):
        assert reader in python, reader
    assert any("arrow::read_parquet" in code for code in blocks("r"))
    assert any("read_package" in code for code in blocks("r"))


@pytest.mark.parametrize("code", blocks("python"), ids=lambda code: code.splitlines()[0][:40])
def test_each_python_snippet_runs(code):
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 shell is not installed")
def test_the_sql_snippet_runs(tmp_path):
    [code] = blocks("sh")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-euc", code], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    counts = dict(line.split("|") for line in result.stdout.splitlines() if "|" in line)
    assert "Battles" in counts and int(counts["Battles"]) > 0


def r_with_arrow() -> bool:
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(arrow)"], capture_output=True).returncode == 0


@pytest.mark.skipif(not r_with_arrow(), reason="R with the arrow package is not installed")
def test_the_r_arrow_snippet_runs():
    code = next(c for c in blocks("r") if "arrow::read_parquet" in c)
    result = subprocess.run(["Rscript", "-e", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Battles" in result.stdout, result.stderr[-2000:]


def test_engines_reading_the_files_directly_get_the_schema_types():
    duckdb = pytest.importorskip("duckdb")
    pl = pytest.importorskip("polars")
    from libya_conflict import schema as sch

    path = str(ROOT / "data" / "parquet" / "events.parquet")
    [(rows,)] = duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()
    with open(ROOT / "data" / "events.csv", encoding="utf-8", newline="") as handle:
        assert rows == len(pl.read_parquet(path)) == len(list(csv.DictReader(handle)))
    described = {name: kind for name, kind, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert described["date_earliest"] == "DATE" and described["event_id"] == "VARCHAR"
    frame = pl.read_parquet(path)
    assert frame.schema["date_latest"] == pl.Date
    casualties = pl.read_parquet(ROOT / "data" / "parquet" / "casualties.parquet")
    assert casualties.schema["count_best"] == pl.Int64
    assert set(frame["event_type"].cast(pl.String).drop_nulls()) <= set(sch.vocabulary("events", "event_type"))
