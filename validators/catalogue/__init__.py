"""A catalogue of corruptions: the ways a data package goes wrong, and the rule that must catch each.

Every entry applies one realistic corruption to a data package folder on disk (``datapackage.json``,
``data/*.csv``, ``data/parquet/*.parquet``, ``data/sources/*.txt``) and returns ``(table, row, column)``:
where the validation report must name the problem (``row`` is the record's ID, ``column`` the column the
rule names; either is ``""`` for a problem about a whole file). ``libya-conflict scoreboard`` runs every entry on a copy of the bundled data; the property
tests run every entry on generated packages.

How an entry works, and why:

- The target is chosen with the ``random.Random`` it is given, so one seed gives one corruption.
- After editing a CSV the entry refreshes what the build derives from it (the Parquet copy, the sizes and
  hashes in ``datapackage.json``), unless a stale copy or hash *is* the corruption: the corruption is then
  the only thing wrong, and the report shows whether its own rule caught it.
- When the package holds nothing to corrupt (no casualty with a count range, no ``follows`` link...), the
  entry first adds a minimal valid record, with a claim quoting an article, and corrupts that. Only what
  cannot be made up raises :class:`NotApplicable` (an article text is never invented).

Each rule names the corruptions that prove it in its record (``registry.py``); a rule no corruption can
trip says why instead (gathered in :data:`UNCATALOGUED`). ``libya-conflict build`` writes the rule
reference, ``docs/validation.md``, from both (``validators/reference.py``).

The package is laid out like the validator: the corruptions of the rules of each module in the module of
that name (``columns.py`` proves ``validators/columns.py``, ``contradictions.py`` proves
``validators/contradictions.py``...), plus those of hostile and damaged input (``untrusted.py``, whichever
rule catches them); ``entry.py`` holds the catalogue itself,
``folder.py`` the on-disk editor and ``scaffold.py`` the minimal records added when there is nothing to
corrupt. A corruption is registered by its decorator, so the catalogue lists them in the order of the
imports below, family by family.
"""

from .entry import CATALOGUE, UNCATALOGUED, Corruption, Expected, NotApplicable, by_id, corruption, coverage
from .folder import Folder, key_of, reseal
from .scaffold import (
    add_actor,
    add_casualty,
    add_claim,
    add_distance,
    add_event,
    add_event_actor,
    add_loss_total,
    add_place,
    add_relation,
)

# Imported for their registrations, in report order of their rules.
from . import columns, rows, cross, contradictions, conventions, integrity, untrusted  # noqa: E402, I001  isort: skip

__all__ = [
    "CATALOGUE",
    "UNCATALOGUED",
    "Corruption",
    "Expected",
    "Folder",
    "NotApplicable",
    "add_actor",
    "add_casualty",
    "add_claim",
    "add_distance",
    "add_event",
    "add_event_actor",
    "add_loss_total",
    "add_place",
    "add_relation",
    "by_id",
    "corruption",
    "coverage",
    "key_of",
    "reseal",
]
