"""The benchmark keeps working: ``bench/run.py --quick`` prints its table and writes its JSON."""

import json
import subprocess
import sys
from pathlib import Path

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


def _bench_module(root):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", root / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_side_by_side_names_the_distributions_the_two_installs_differ_in(root, tmp_path):
    bench = _bench_module(root)
    # The same Python against itself: nothing differs.
    assert bench.installs_differ(Path(sys.executable), Path(sys.executable)) == {}
    # A "Python" whose install lacks hypothesis and has an older pyarrow and a package of its own.
    import importlib.metadata as metadata

    theirs = {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}
    del theirs["hypothesis"]
    theirs["pyarrow"] = "1.0"
    theirs["only-there"] = "2.0"
    other = tmp_path / "python"
    other.write_text(f"#!/bin/sh\ncat <<'END'\n{json.dumps(theirs)}\nEND\n", encoding="utf-8")
    other.chmod(0o755)
    differ = bench.installs_differ(Path(sys.executable), other)
    assert differ == {
        "hypothesis": [metadata.version("hypothesis"), None],
        "only-there": [None, "2.0"],
        "pyarrow": [metadata.version("pyarrow"), "1.0"],
    }
