"""The release's wheel installs into a fresh environment with no package index, with only the core's
wheels at hand, and loads every table; what needs an extra says which ``pip install`` line brings it.

The core's wheels (pandas, pyarrow and theirs, at the versions installed here) are fetched before the
tests by ``scripts/core_wheelhouse.py`` (CI does it in ``.ci/run``); nothing here reaches the network.
"""

import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import libya_conflict as lc
from libya_conflict.distribution import distribution_files

CORE = {"libya-conflict", "pandas", "pyarrow", "numpy", "python-dateutil", "six", "tzdata"}
pytestmark = pytest.mark.slow  # builds the wheel and installs it into a new virtual environment

HEAVY = {"frictionless", "pandera", "duckdb", "xlsxwriter", "hypothesis", "polars", "matplotlib", "datasette"}


def wheelhouse() -> Path:
    given = os.environ.get("LIBYA_CONFLICT_WHEELHOUSE")
    folder = Path(given) if given else Path(sys.prefix) / "wheelhouse"
    if not any(folder.glob("pyarrow-*.whl")):
        pytest.skip(f"no core wheels in {folder}: run `python scripts/core_wheelhouse.py {folder}` first (CI does)")
    return folder


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    for name, data in distribution_files(Path(__file__).resolve().parents[1]).items():
        (out / name).write_bytes(data)
    return out


@pytest.fixture(scope="module")
def core_venv(dist, tmp_path_factory):
    """A fresh venv holding the wheel and the core's dependencies, installed with no index."""
    wheels = wheelhouse()
    venv = tmp_path_factory.mktemp("core") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    wheel = next(dist.glob("*.whl"))
    # No configuration file either: a machine's pip.conf may name indexes or extra find-links folders.
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index", "--find-links", str(wheels), str(wheel)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return venv


def run(venv, *args, code=None):
    command = [str(venv / "bin" / "python"), "-c", code] if code else [str(venv / "bin" / args[0]), *args[1:]]
    # From a neutral folder, so that nothing of this checkout is on the path.
    return subprocess.run(command, capture_output=True, text=True, cwd=venv.parent)


def test_the_core_install_holds_only_the_core(core_venv):
    listed = json.loads(run(core_venv, "pip", "list", "--format", "json").stdout)
    names = {p["name"].lower() for p in listed} - {"pip", "setuptools"}
    assert names <= CORE and {"libya-conflict", "pandas", "pyarrow"} <= names, names
    assert not names & HEAVY


def test_the_wheel_loads_every_table_with_pandas_and_arrow(core_venv):
    code = (
        "import json, sys, libya_conflict as lc\n"
        "out = {}\n"
        "for t in lc.list_tables():\n"
        "    frame, table = lc.load(t), lc.load(t, backend='arrow')\n"
        "    assert frame.shape[0] == table.num_rows\n"
        "    out[t] = [table.num_rows, {c: str(d) for c, d in frame.dtypes.items()}]\n"
        "heavy = sorted(m for m in ('pandera', 'frictionless', 'duckdb', 'polars', 'xlsxwriter') if m in sys.modules)\n"
        "print(json.dumps({'tables': out, 'path': str(lc.path('events')), 'heavy': heavy}))\n"
    )
    result = run(core_venv, code=code)
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout)
    assert str(core_venv) in got["path"]  # the wheel's bundled data, not this checkout's
    assert got["heavy"] == []
    for table in lc.list_tables():  # the same rows and dtypes as in this (full) environment
        frame = lc.load(table)
        assert got["tables"][table] == [len(frame), {c: str(d) for c, d in frame.dtypes.items()}], table


@pytest.mark.parametrize(
    "command, extra",
    [
        (["validate"], "validate"),
        (["scoreboard"], "validate"),
        (["export", "--format", "xlsx", "--out", "x"], "xlsx"),
        (["plot", "timeline", "--out", "t.png"], "plot"),
    ],
)
def test_a_command_without_its_extra_says_which_pip_install_to_run(core_venv, command, extra):
    result = run(core_venv, "libya-conflict", *command)
    assert result.returncode == 2, result.stderr
    assert f"pip install 'libya-conflict[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_info_runs_on_the_core(core_venv):
    result = run(core_venv, "libya-conflict", "info")
    assert result.returncode == 0 and "events" in result.stdout, result.stderr


def test_a_backend_without_its_extra_says_which_pip_install_to_run(core_venv):
    code = (
        "import libya_conflict as lc\n"
        "for backend in ('polars', 'duckdb'):\n"
        "    try:\n"
        "        lc.load('events', backend=backend)\n"
        "    except ImportError as exc:\n"
        "        print(exc)\n"
        "try:\n"
        "    lc.validate()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    lines = run(core_venv, code=code).stdout.splitlines()
    assert [line.rsplit(": ", 1)[1] for line in lines] == [
        "pip install 'libya-conflict[polars]'",
        "pip install 'libya-conflict[duckdb]'",
        "pip install 'libya-conflict[validate]'",
    ]


def test_the_sdist_builds_the_same_wheel(dist, tmp_path):
    with tarfile.open(next(dist.glob("*.tar.gz"))) as archive:
        archive.extractall(tmp_path, filter="data")
    source = next(tmp_path.glob("libya_conflict-*"))
    again = distribution_files(source)
    wheel = next(dist.glob("*.whl"))
    assert again[wheel.name] == wheel.read_bytes()


def test_the_wheel_holds_the_package_and_its_data(dist):
    names = zipfile.ZipFile(next(dist.glob("*.whl"))).namelist()
    assert "libya_conflict/validators/__init__.py" in names and not any(n.startswith("validators/") for n in names)
    assert "libya_conflict/bundle/datapackage.json" in names
    assert {f"libya_conflict/bundle/data/parquet/{t}.parquet" for t in lc.list_tables()} <= set(names)
    assert sum(n.startswith("libya_conflict/bundle/data/sources/") for n in names) == 5
