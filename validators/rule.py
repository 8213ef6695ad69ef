"""A rule of the validator as a record: its public id, what it checks, how it runs and what proves it.

Rules are declared beside their functions, in the module of their family (``columns.py``, ``rows.py``,
``cross.py``, ``integrity.py``), as a module-level list ``RULES`` of records; ``registry.py`` collects
those lists in the documented report order.

>>> from libya_conflict.validators.rule import rule
>>> def row_example(package, report):
...     '''An example of a row rule.'''
>>> rule("row.example", row_example, "some_corruption").description
'An example of a row rule.'

The id is written out, never derived from the function's name: renaming a function changes no public id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FAMILIES = ("column", "row", "cross", "integrity")


@dataclass(frozen=True)
class Rule:
    """One rule. ``check(package, report)`` runs it (None when its problems are reported by the readers,
    by pandera or by another rule's function); ``corruptions`` are the ids of the catalogue's corruptions
    it must catch (``validators/catalogue/``, in the module named like the rule's); a rule no corruption can trip says why in
    ``uncatalogued``."""

    id: str
    description: str
    family: str
    check: Callable | None = None
    corruptions: tuple[str, ...] = ()
    uncatalogued: str = ""

    def __post_init__(self):
        if self.family not in FAMILIES or not self.id.startswith(self.family + "."):
            raise ValueError(f"rule {self.id!r}: its id must start with its family, one of {FAMILIES}")


def rule(
    id: str, check: Callable | None, *corruptions: str, description: str | None = None, uncatalogued: str = ""
) -> Rule:
    """A :class:`Rule` whose family is its id's prefix and whose description is, unless given, the
    docstring of ``check`` on one line."""
    if description is None:
        description = " ".join((check.__doc__ or "").split())
    return Rule(id, description, id.split(".")[0], check, tuple(corruptions), uncatalogued)
