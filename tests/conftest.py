"""Shared fixtures: the project folder, and a scratch copy of the data package to corrupt."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def package_copy(tmp_path) -> Path:
    """A copy of the data package (no pyproject.toml, so it is validated as a user's copy)."""
    target = tmp_path / "pkg"
    target.mkdir()
    shutil.copy(ROOT / "datapackage.json", target)
    shutil.copytree(ROOT / "data", target / "data")
    return target
