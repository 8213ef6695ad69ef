"""The public API is typed: every exported function is annotated, ``py.typed`` ships, and the ``Table``
literal of :func:`libya_conflict.load` names exactly the tables of ``schemas/``."""

import inspect
from pathlib import Path
from typing import get_args

import tomllib

import libya_conflict as lc
from libya_conflict import loader
from libya_conflict import schema as sch

ROOT = Path(__file__).resolve().parents[1]


def test_the_table_literal_names_every_table_of_the_schemas():
    assert list(get_args(loader.Table)) == sch.table_names()
    assert inspect.signature(lc.load).parameters["table"].annotation in ("Table", loader.Table)


def test_every_public_function_is_annotated():
    unannotated = []
    for name in lc.__all__:
        if name == "__version__":
            continue
        signature = inspect.signature(getattr(lc, name))
        missing = [
            p for p, parameter in signature.parameters.items() if parameter.annotation is inspect.Parameter.empty
        ]
        if missing or signature.return_annotation is inspect.Signature.empty:
            unannotated.append(f"{name}({', '.join(missing)})")
    assert not unannotated


def test_py_typed_ships_in_the_package():
    assert (Path(lc.__file__).parent / "py.typed").is_file()
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "py.typed" in package_data["package-data"]["libya_conflict"]
