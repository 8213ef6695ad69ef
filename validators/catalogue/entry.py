"""A catalogue entry: a corruption, the rule it must trip, and the list of them all, in declaration order."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..registry import RULES, rule_of_corruption

# Where the report must name the problem: (table, row, column). row is the record's ID and column the
# column the rule names; either is "" for a problem about a whole file or table.
Expected = tuple[str, str, str]


@dataclass(frozen=True)
class Corruption:
    """One catalogued corruption: ``apply(package_dir, rng)`` corrupts the folder and returns (table, row,
    column): where the report must name the problem."""

    id: str
    rule: str
    description: str
    apply: Callable[[Path, random.Random], Expected]


class NotApplicable(Exception):
    """The package holds nothing this corruption can act on, and it cannot be made up."""


CATALOGUE: list[Corruption] = []

# Rule id -> why no corruption can trip it: declared with each rule (Rule.uncatalogued), gathered here.
UNCATALOGUED = {r.id: r.uncatalogued for r in RULES if r.uncatalogued}


def corruption(id: str):
    """Register the decorated ``apply`` function under ``id``; its one-line docstring is the description.
    The rule it must trip is the one whose record names ``id`` among its corruptions (registry.py)."""

    def register(function):
        rule = rule_of_corruption().get(id)
        if rule is None:
            raise ValueError(f"corruption {id!r}: no rule in the registry names it among its corruptions")
        CATALOGUE.append(Corruption(id, rule, " ".join(function.__doc__.split()), function))
        return function

    return register


def by_id(id: str) -> Corruption:
    """The catalogue entry called ``id``."""
    for entry in CATALOGUE:
        if entry.id == id:
            return entry
    raise KeyError(f"no corruption {id!r} in the catalogue")


def coverage() -> dict[str, list[str]]:
    """Rule id -> ids of the corruptions it must catch (the rules that have any), from the registry."""
    return {r.id: list(r.corruptions) for r in RULES if r.corruptions}
