"""The benchmark keeps working: ``bench/run.py --quick`` prints its table and writes its JSON."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # synthesizes, validates and loads packages of 1,000 and 5,000 events


def test_quick_benchmark_prints_the_table_and_writes_json(root, tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, str(root / "bench" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "| events | rows (all tables) |" in run.stdout
    assert "Scaling: time(5,000) / time(1,000)" in run.stdout and "Loader (bundled data)" in run.stdout
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["mode"] == "quick"
    assert set(results["validation"]) == {"1000", "5000"}
    for entry in results["validation"].values():
        assert entry["valid"]
        assert entry["ours"]["median_s"] > 0 and entry["ours"]["peak_mib"] > 0
        assert entry["frictionless_s"] > 0 and entry["ratio"] > 0
    assert results["scaling"]["ratio"] > 0 and results["loader"]["ratio"] > 0
    assert set(results["build"]) == {"1000", "5000"}
    assert results["targets"]["loader_ratio"]["met"] in (True, False)
