"""The optional parts of the package, and the one clear message when one is missing.

``pip install libya-conflict`` brings what loading needs (pandas, pyarrow). Everything else is an extra,
imported only where it is used:

    pip install 'libya-conflict[validate]'    the validator (pandera, frictionless, DuckDB)
    pip install 'libya-conflict[polars]'      lc.load(..., backend="polars")
    pip install 'libya-conflict[duckdb]'      lc.load(..., backend="duckdb")
    pip install 'libya-conflict[xlsx]'        the workbook export (XlsxWriter)
    pip install 'libya-conflict[plot]'        the figures (matplotlib)
    pip install 'libya-conflict[site]'        the explorer site (Jinja2)
    pip install 'libya-conflict[build]'       libya-conflict build (PyYAML, for CITATION.cff)
    pip install 'libya-conflict[datasette]'   browsing the SQLite export with Datasette
    pip install 'libya-conflict[release]'     build --release (validate, xlsx, site and build, and setuptools for the wheel)
    pip install 'libya-conflict[all]'         all of them

>>> require("validate", "validation")   # doctest: +SKIP
>>> MissingExtra("validate", "validation", "duckdb").install
"pip install 'libya-conflict[validate]'"
"""

from __future__ import annotations

from importlib.util import find_spec

# The modules each extra brings (import names), as pyproject.toml's optional-dependencies list them.
EXTRAS: dict[str, tuple[str, ...]] = {
    "validate": ("pandera", "frictionless", "duckdb"),
    "polars": ("polars",),
    "duckdb": ("duckdb",),
    "xlsx": ("xlsxwriter",),
    "plot": ("matplotlib",),
    "site": ("jinja2",),
    "build": ("yaml",),
    "datasette": ("datasette",),
    "release": ("pandera", "frictionless", "duckdb", "xlsxwriter", "jinja2", "yaml", "setuptools"),
}


class MissingExtra(ImportError):
    """A feature whose optional dependencies are not installed; the message says what to install.

    The command line prints it as one line and exits 2."""

    def __init__(self, extra: str, what: str, module: str):
        self.extra, self.what, self.module = extra, what, module
        self.install = f"pip install 'libya-conflict[{extra}]'"
        super().__init__(f"{what} needs the {extra} extra ({module} is not installed): {self.install}", name=module)


def missing(extra: str) -> str | None:
    """The first module of ``extra`` that is not installed, or None. Imports nothing."""
    for module in EXTRAS[extra]:
        try:
            if find_spec(module) is None:
                return module
        except (ImportError, ValueError):
            return module
    return None


def require(extra: str, what: str) -> None:
    """Raise :class:`MissingExtra` naming the ``pip install`` line when ``extra`` is not installed."""
    module = missing(extra)
    if module is not None:
        raise MissingExtra(extra, what, module)
