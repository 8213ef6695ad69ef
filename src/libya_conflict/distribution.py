"""The Python distributions of the release: the wheel and the sdist, the same bytes on every build.

>>> files = distribution_files(Path("."))       # in the project folder  # doctest: +SKIP
>>> sorted(files)                                                          # doctest: +SKIP
['libya_conflict-1.0.0-py3-none-any.whl', 'libya_conflict-1.0.0.tar.gz']

The project's own files (those ``pyproject.toml`` packages, its package data, the README and licences)
are copied to a scratch folder and built there by setuptools, so nothing else in the project folder (a
virtual environment, a stray file under ``data/``) can find its way in, and the project folder is left
as it was. ``SOURCE_DATE_EPOCH`` fixes the dates setuptools writes; the archives are then rewritten with
their entries in a fixed order, fixed dates, owners and permissions, so that building twice gives the
same bytes (with the same setuptools: its version is written in the wheel's metadata).
"""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from .confine import Confined
from .csvfiles import ZIP_DATE

# 1980-01-01T00:00:00Z, the earliest date a zip archive can hold: the date of every archived file.
EPOCH = 315532800
# What the build needs besides the packages' modules and package data.
PROJECT_FILES = ["pyproject.toml", "README.md", "LICENSE", "LICENSE-DATA"]

_BUILD = """
import sys
from setuptools import build_meta
out = sys.argv[1]
print(build_meta.build_sdist(out))
print(build_meta.build_wheel(out))
"""


def source_files(root: Path) -> list[str]:
    """The project files a distribution is built from, relative to ``root``, in name order: the modules of
    every package ``pyproject.toml`` names, its package data, and the README, licences and pyproject."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    config = tomllib.loads(Confined(root).read_bytes("pyproject.toml").decode("utf-8"))["tool"]["setuptools"]
    folders = config.get("package-dir", {})
    names = set(PROJECT_FILES)
    for package in config["packages"]:
        folder = _package_folder(package, folders)
        # A package mapped to the project folder itself (the bundle) holds only its package data.
        patterns = ["*.py"] if folder != Path(".") else []
        patterns += config.get("package-data", {}).get(package, [])
        for pattern in patterns:
            names.update(p.relative_to(root).as_posix() for p in sorted((root / folder).glob(pattern)) if p.is_file())
    return sorted(names)


def _package_folder(package: str, folders: dict[str, str]) -> Path:
    """Where ``package`` lies, as setuptools finds it: its own ``package-dir`` entry, else its nearest
    mapped parent's folder with the rest of its name below it (``libya_conflict.site`` in
    ``src/libya_conflict/site``)."""
    parts = package.split(".")
    for k in range(len(parts), 0, -1):
        parent = ".".join(parts[:k])
        if parent in folders:
            return Path(folders[parent], *parts[k:])
    return Path(folders.get("", "."), *parts)


def distribution_files(root: Path) -> dict[str, bytes]:
    """The wheel and the sdist of the project in ``root``, keyed by file name (setuptools must be installed:
    the ``release`` extra)."""
    root = Path(root)
    folder = Confined(root)
    with tempfile.TemporaryDirectory() as scratch:
        tree, out = Path(scratch) / "src", Path(scratch) / "dist"
        for name in source_files(root):
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(folder.read_bytes(name))
        out.mkdir()
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONDONTWRITEBYTECODE": "1"}
        result = subprocess.run(
            [sys.executable, "-c", _BUILD, str(out)], cwd=tree, env=env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError("the wheel and sdist could not be built: " + result.stderr.strip()[-500:])
        files = {}
        for path in sorted(out.iterdir()):
            data = path.read_bytes()
            files[path.name] = normal_wheel(data) if path.suffix == ".whl" else normal_sdist(data)
    return files


def normal_wheel(data: bytes) -> bytes:
    """A wheel rewritten with fixed dates and permissions, its entries in their order (RECORD last)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as archive:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, source.read(entry), compresslevel=9)
    return buffer.getvalue()


def normal_sdist(data: bytes) -> bytes:
    """An sdist (gzipped tar) rewritten with its entries in name order, fixed dates, owners and modes."""
    raw = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as source,
        tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for member in sorted(source.getmembers(), key=lambda m: m.name):
            member.mtime, member.uid, member.gid, member.uname, member.gname = EPOCH, 0, 0, "", ""
            member.pax_headers = {}
            member.mode = 0o755 if member.isdir() else 0o644
            archive.addfile(member, source.extractfile(member) if member.isfile() else None)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as zipped:
        zipped.write(raw.getvalue())
    return buffer.getvalue()
