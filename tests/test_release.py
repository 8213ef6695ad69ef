"""What CI proves about the published package: spec validity, provenance, an installable wheel."""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest


def test_frictionless_validates_the_package(root):
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", "datapackage.json"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_independent_provenance_check(root):
    checker = root.parent / "shared" / "tools" / "check_provenance.py"
    if not checker.is_file():
        pytest.skip("the independent provenance checker is not beside this checkout")
    result = subprocess.run([sys.executable, str(checker)], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_wheel_installs_in_a_clean_venv_and_loads(tmp_path, root):
    """Build the wheel, install it alone into a fresh venv, and load from it (not from this tree).

    Tests run offline, so the venv borrows the already-installed dependencies through a .pth line
    placed after its own site-packages; libya_conflict itself comes only from the wheel.
    """
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "--no-build-isolation", "-w", str(wheels), "-q"],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("libya_conflict-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, capture_output=True)
    (site / "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = ("import libya_conflict as lc, pathlib; e = lc.load_events(); "
            "assert 'site-packages' in str(lc.path('events')), lc.path('events'); "
            "assert lc.validate().valid; print(len(e), lc.__version__)")
    result = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "libya_conflict/validators/__init__.py" in names and not any(n.startswith("validators/") for n in names)
    assert "libya_conflict/bundle/datapackage.json" in names
    assert sum(n.startswith("libya_conflict/bundle/data/sources/") for n in names) == 5
