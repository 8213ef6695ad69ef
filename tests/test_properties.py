"""Properties of the validator on generated packages (hypothesis).

- Every package built by the strategies in ``strategies.py`` (the generator of ``libya_conflict.generate``
  with hypothesis drawing its choices: whole, valid, mutually consistent) passes.
- Every corruption of the catalogue, applied to such a package, is reported under its rule at its row.
- CSV -> Parquet -> pandas -> CSV gives back the same bytes: Arabic, empty cells, dates, nullable ints.

Run more examples with ``HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import packages, write_package  # registers and loads the hypothesis profiles

from libya_conflict import schema as sch
from libya_conflict.loader import to_pandas
from libya_conflict.parquet import copy_table, write_parquet
from libya_conflict.tables import read_text_table, typed_table, write_csv
from libya_conflict.validators import RULES, validate
from libya_conflict.validators import catalogue as cat
from libya_conflict.validators.registry import RULES as REGISTRY

# One mutation test per corruption that a rule of the registry names as its proof (registry.py): a rule's
# record declares its corruptions, so a new one is tested here with nothing else to edit.
MUTATION_TESTS = tuple(c for rule in REGISTRY for c in rule.corruptions)
# Each mutation test validates once per example (~0.4 s). A corruption breaks one clause of its rule in every
# example (scripts/mutate_clauses.py breaks each clause and checks a test fails), so the default profile's
# 2 examples per corruption reach every clause twice; the thorough profile gives each one an eighth of its
# budget (25), on other packages.
MUTATION_EXAMPLES = max(2, settings.default.max_examples // 8)


def names(report, rule):
    """(table, row, column) of every problem the report files under ``rule``."""
    return {(p.table, p.row, p.column) for p in report.problems if p.rule == rule}


@pytest.mark.slow  # one validation per example: about 10 s in the default profile, minutes in the thorough one
@given(packages())
def test_every_generated_package_is_valid(package):
    with tempfile.TemporaryDirectory() as tmp:
        report = validate(write_package(package, Path(tmp)))
    assert report.valid, report.to_text(show=20)


@pytest.mark.parametrize("corruption_id", MUTATION_TESTS)
@settings(max_examples=MUTATION_EXAMPLES)
@given(package=packages(), rng=st.randoms(use_true_random=False))
def test_each_corruption_is_reported_under_its_rule_at_its_row(corruption_id, package, rng):
    entry = cat.by_id(corruption_id)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(package, Path(tmp))
        table, row, column = entry.apply(folder, rng)
        report = validate(folder)
    assert not report.valid
    assert report.rules() <= set(RULES), "the report names a rule the validator does not describe"
    assert (table, row, column) in names(report, entry.rule), (
        f"{entry.id}: expected {entry.rule} at {table} {row!r} column {column!r}; the report says:\n"
        f"{report.to_text(show=20)}"
    )


def test_every_catalogue_entry_has_a_mutation_test():
    # Both ways: a corruption of the catalogue no rule names would go untested, and a corruption a rule
    # names that the catalogue lacks would fail by_id above.
    assert sorted(MUTATION_TESTS) == sorted(entry.id for entry in cat.CATALOGUE)
    assert len(set(MUTATION_TESTS)) == len(MUTATION_TESTS)


@settings(max_examples=max(3, settings.default.max_examples // 5))
@given(package=packages(), seed=st.integers(0, 2**32))
def test_records_the_catalogue_adds_when_a_package_lacks_targets_are_valid(package, seed):
    """The catalogue's scaffolding must not itself break a rule, or a corruption could be 'caught' by
    the scaffolding's fault rather than its own."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = cat.Folder(write_package(package, Path(tmp)))
        for add in (
            cat.add_actor,
            cat.add_place,
            cat.add_event,
            cat.add_event_actor,
            cat.add_casualty,
            cat.add_loss_total,
            cat.add_distance,
        ):
            add(folder, rng)
        for relation in ("withdrawal_from", "follows", "part_of", "response_to", "same_report_as"):
            cat.add_relation(folder, rng, relation)
        folder.save()
        report = validate(folder.root)
    assert report.valid, report.to_text(show=20)


def cell_text(field: dict, value) -> str:
    """The CSV text of one pandas cell, as the loader types it (missing -> empty)."""
    if pd.isna(value):
        return ""
    convert = {"date": lambda v: v, "integer": int, "number": float, "boolean": bool}.get(field["type"], str)
    return sch.format_cell(field, convert(value))


@given(packages())
def test_csv_to_parquet_to_pandas_to_csv_loses_nothing(package):
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_package(package, Path(tmp))
        for table in sch.table_names():
            original = (folder / "data" / f"{table}.csv").read_bytes()
            typed, errors = typed_table(table, read_text_table(folder / "data" / f"{table}.csv"))
            assert errors == []
            parquet = folder / f"{table}.parquet"
            write_parquet(parquet, table, copy_table(table, typed), "0" * 64)
            frame = to_pandas(table, pq.read_table(parquet))
            assert dict(frame.dtypes) == sch.pandas_dtypes(table)
            fields = sch.table_schema(table)["fields"]
            rows = [
                [cell_text(f, value) for f, value in zip(fields, record)] for record in frame.itertuples(index=False)
            ]
            assert write_csv(None, [f["name"] for f in fields], rows) == original, table
