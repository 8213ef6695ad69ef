"""The light core and its extras: pyproject.toml, the extras' module lists and the messages agree."""

import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from libya_conflict import extras

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# The import name of each distribution an extra lists (only where the two differ in more than case).
IMPORT_NAME = {"xlsxwriter": "xlsxwriter", "pandera[pandas]": "pandera", "pyyaml": "yaml"}
HEAVY = ["frictionless", "pandera", "duckdb", "xlsxwriter", "hypothesis", "polars", "matplotlib", "datasette"]


def names(requirements):
    """Distribution names (lower case, extras kept) of requirement strings."""
    import re

    return [re.split(r"[<>=!~;\s]", r, maxsplit=1)[0].lower() for r in requirements]


def test_the_core_brings_nothing_heavy():
    core = names(PROJECT["dependencies"])
    assert set(core) == {"pandas", "pyarrow", "tomli"}
    assert not set(core) & set(HEAVY)


@pytest.mark.parametrize("extra", ["validate", "polars", "duckdb", "xlsx", "plot", "site", "build", "datasette"])
def test_each_extra_brings_the_modules_its_message_is_about(extra):
    listed = [IMPORT_NAME.get(n, n) for n in names(PROJECT["optional-dependencies"][extra])]
    assert sorted(listed) == sorted(extras.EXTRAS[extra])


def test_all_holds_every_extra_and_test_holds_all():
    optional = PROJECT["optional-dependencies"]
    [everything] = optional["all"]
    held = set(everything.split("[", 1)[1].rstrip("]").split(","))
    assert held == set(optional) - {"all", "test"}
    assert "libya-conflict[all]" in optional["test"] and "hypothesis" in names(optional["test"])


def test_a_missing_extra_is_named_with_its_pip_install_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "frictionless", None)  # as if it were not installed
    with pytest.raises(extras.MissingExtra) as excinfo:
        extras.require("validate", "validation")
    assert str(excinfo.value) == (
        "validation needs the validate extra (frictionless is not installed): pip install 'libya-conflict[validate]'"
    )


def test_the_cli_exits_2_with_the_pip_install_line():
    code = "import sys; sys.modules['duckdb'] = None\nfrom libya_conflict.cli import main; sys.exit(main(['validate']))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "libya-conflict validate: error: validate needs the validate extra (duckdb is not "
        "installed): pip install 'libya-conflict[validate]'"
    )


def test_loading_imports_no_extra():
    code = (
        "import sys, libya_conflict as lc; lc.load_events(); lc.load('claims', backend='arrow'); "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
