"""What CI proves about the published package: spec validity, provenance (the wheel: test_wheel_install.py)."""

import subprocess
import sys
from pathlib import Path

import pytest


def test_frictionless_validates_the_package(root):
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_independent_provenance_check(root):
    checker = root.parent / "shared" / "tools" / "check_provenance.py"
    if not checker.is_file():
        pytest.skip("the independent provenance checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(checker)], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
