"""The package is built in three layers, each importing only those below it:

1. **core**: the schema, the typed tables, Parquet, the build and what the build writes (descriptor,
   metadata, the register of published IDs), the confined file access and the quote locator;
2. **validators**: the rules, their registry, the corruption catalogue and the rule reference
   (``libya_conflict.validators``, from the top-level ``validators/`` folder);
3. **top**: the public API (``libya_conflict/__init__.py`` and the loader), the command line and the exports
   (workbook, SQLite, ACLED, site, release...).

Two checks, since each misses what the other sees: every ``import`` statement of a module, module-level
or inside a function, is read from its source; and each lower layer is imported in a fresh interpreter in
which importing anything of the layers above it fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from importlib.util import find_spec
from pathlib import Path

import pytest

PACKAGE = "libya_conflict"
CORE = {
    "generate",
    "schema",
    "tables",
    "parquet",
    "build",
    "confine",
    "quotes",
    "descriptor",
    "metadata",
    "register",
    "geo",
    "extras",
}


def package_dirs() -> dict[str, Path]:
    """Where the package and its validators live, as installed (editable or not)."""
    spec = find_spec(PACKAGE)
    assert spec is not None and spec.submodule_search_locations
    validators = find_spec(f"{PACKAGE}.validators")
    assert validators is not None and validators.submodule_search_locations
    return {
        PACKAGE: Path(list(spec.submodule_search_locations)[0]),
        "validators": Path(list(validators.submodule_search_locations)[0]),
    }


def modules() -> dict[str, Path]:
    """Every module of the package (dotted name -> file)."""
    dirs, found = package_dirs(), {}
    for path in sorted(dirs[PACKAGE].rglob("*.py")):
        parts = path.relative_to(dirs[PACKAGE]).with_suffix("").parts
        found[".".join((PACKAGE, *parts)).removesuffix(".__init__")] = path
    for path in sorted(dirs["validators"].rglob("*.py")):
        parts = path.relative_to(dirs["validators"]).with_suffix("").parts
        found[".".join((PACKAGE, "validators", *parts)).removesuffix(".__init__")] = path
    return found


def layer(module: str) -> int:
    """0 for core, 1 for the validators, 2 for the top layer."""
    if module == f"{PACKAGE}.validators" or module.startswith(f"{PACKAGE}.validators."):
        return 1
    parts = module.split(".")
    return 0 if len(parts) == 2 and parts[1] in CORE else 2


def imported(module: str, path: Path) -> set[str]:
    """The modules of the package that ``module`` imports anywhere in its source."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    base = module.split(".") if is_package else module.split(".")[:-1]
    every, names = modules(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                target = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # `from . import schema` imports the module schema; `from .build import plan`, the module build
                submodule = f"{target}.{alias.name}"
                names.add(submodule if submodule in every else target)
    return {n for n in names if n in every}


def test_the_layers_are_known():
    names = set(modules())
    assert {f"{PACKAGE}.{m}" for m in CORE} <= names, "a core module was renamed: update CORE"
    assert f"{PACKAGE}.validators.registry" in names and f"{PACKAGE}.cli" in names


@pytest.mark.parametrize("module", sorted(m for m in modules() if layer(m) < 2))
def test_imports_go_down(module):
    path = modules()[module]
    upward = sorted(n for n in imported(module, path) if layer(n) > layer(module))
    assert not upward, f"{module} ({['core', 'validators'][layer(module)]}) imports a layer above it: {upward}"


def test_the_import_reader_sees_lazy_imports(tmp_path):
    """The static check must see an import inside a function, as the build once imported the catalogue."""
    source = tmp_path / "example.py"
    source.write_text("def f():\n    from .validators.catalogue import CATALOGUE\n", encoding="utf-8")
    assert f"{PACKAGE}.validators.catalogue" in imported(f"{PACKAGE}.example", source)


BLOCKER = """
import importlib, importlib.abc, sys, types
from importlib.util import find_spec

ALLOWED = set({allowed!r})
MODULES = {modules!r}

class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in MODULES and name not in ALLOWED:
            raise ImportError(f"layer violation: {{name}} may not be imported here")
        return None

sys.meta_path.insert(0, Blocker())
# The package's __init__ is the public API (top layer): stand in for it, so only the submodules run.
stub = types.ModuleType("libya_conflict")
stub.__path__ = list(find_spec("libya_conflict").submodule_search_locations)
sys.modules["libya_conflict"] = stub
for name in sorted(ALLOWED - {{"libya_conflict"}}):
    importlib.import_module(name)
print(len(ALLOWED) - 1, "imported")
"""


@pytest.mark.parametrize("top", [0, 1], ids=["core", "validators"])
def test_a_layer_imports_with_the_layers_above_blocked(top):
    every = modules()
    allowed = {m for m in every if layer(m) <= top} | {PACKAGE}
    script = textwrap.dedent(BLOCKER.format(allowed=sorted(allowed), modules=sorted(every)))
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[0] == str(len(allowed) - 1)
