"""The registry of rules: every rule of the validator, as a :class:`~.rule.Rule` record, in report order.

Each family declares its rules beside their functions (``RULES`` in ``columns.py``, ``rows.py``,
``cross.py``, ``contradictions.py`` and ``conventions.py`` for the cross-table family, ``integrity.py``);
this module collects them in the order the report lists problems (columns, records, cross-table,
integrity; within a module, the order of its list). Everything that names
rules is derived from here: ``validators.RULES``, the order the runner joins the reports in (:func:`position`),
``docs/validation.md``, the scoreboard's and the mutation tests' expected rule for each corruption.

>>> from libya_conflict.validators.registry import by_id
>>> by_id("row.date_order").corruptions
('reversed_dates',)
"""

from __future__ import annotations

from collections.abc import Callable

from . import columns, contradictions, conventions, cross, integrity, rows
from .rule import FAMILIES, Rule

RULES: tuple[Rule, ...] = (
    *columns.RULES,
    *rows.RULES,
    *cross.RULES,
    *contradictions.RULES,
    *conventions.RULES,
    *integrity.RULES,
)


def by_id(id: str) -> Rule:
    """The rule called ``id``."""
    for record in RULES:
        if record.id == id:
            return record
    raise KeyError(f"no rule {id!r}")


def position(id: str) -> int:
    """Where the rule called ``id`` stands in report order: its problems come after those of every rule
    before it in :data:`RULES`."""
    for k, record in enumerate(RULES):
        if record.id == id:
            return k
    raise KeyError(f"no rule {id!r}")


def family(name: str) -> tuple[Rule, ...]:
    """The rules of one family (``column``, ``row``, ``cross`` or ``integrity``), in report order."""
    if name not in FAMILIES:
        raise ValueError(f"no rule family {name!r}: one of {FAMILIES}")
    return tuple(r for r in RULES if r.family == name)


def checks(name: str) -> list[Callable]:
    """The functions that run the rules of one family, in report order."""
    return [r.check for r in family(name) if r.check is not None]


def descriptions() -> dict[str, str]:
    """Rule id -> one-line description, in report order."""
    return {r.id: r.description for r in RULES}


def rule_of_corruption() -> dict[str, str]:
    """Corruption id -> the id of the rule that must catch it."""
    return {c: r.id for r in RULES for c in r.corruptions}


def _check_unique() -> None:
    ids = [r.id for r in RULES]
    doubled = sorted({i for i in ids if ids.count(i) > 1})
    corruptions = [c for r in RULES for c in r.corruptions]
    twice = sorted({c for c in corruptions if corruptions.count(c) > 1})
    if doubled or twice:
        raise ValueError(f"rules declared twice: {doubled}; corruptions proving two rules: {twice}")


_check_unique()
