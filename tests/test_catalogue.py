"""The corruption catalogue against the validator: every rule has a corruption it must catch (or a stated
reason why none can be made), the scoreboard catches them all on the bundled data, and the rule
reference in docs/validation.md is the one generated from both."""

import subprocess
import sys

import pytest

from libya_conflict import schema as sch
from libya_conflict.scoreboard import run, score
from libya_conflict.validators import RULES, Report
from libya_conflict.validators import catalogue as cat
from libya_conflict.validators.reference import validation_markdown


def test_every_rule_is_catalogued_or_says_why_not():
    catalogued = set(cat.coverage())
    assert catalogued <= set(RULES), "a corruption names a rule the validator does not have"
    assert set(RULES) - catalogued == set(cat.UNCATALOGUED)
    assert all(reason.strip() for reason in cat.UNCATALOGUED.values())


def test_corruptions_have_unique_ids_and_one_line_descriptions():
    ids = [entry.id for entry in cat.CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(entry.description and "\n" not in entry.description for entry in cat.CATALOGUE)


@pytest.mark.slow  # every corruption on its own copy of the bundled data, each validated
def test_the_scoreboard_catches_every_corruption_of_the_bundled_data(capsys):
    code = run()
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{len(cat.CATALOGUE)} caught, 0 missed", "\n".join(lines)
    assert code == 0
    assert [line.split()[0] for line in lines[:-1]] == [entry.id for entry in cat.CATALOGUE]


def test_a_corruption_the_validator_does_not_see_is_a_miss(monkeypatch):
    monkeypatch.setattr("libya_conflict.validators.validate", lambda folder: Report())
    outcome = score(cat.by_id("dangling_fk"), sch.package_root())
    assert outcome.status == "missed" and "MISSED" in outcome.line


def test_scoreboard_is_a_command():
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "scoreboard", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "--seed" in result.stdout


def test_docs_validation_md_is_generated_from_the_rules_and_the_catalogue(root):
    written = (root / "docs" / "validation.md").read_text(encoding="utf-8")
    assert written == validation_markdown(), "docs/validation.md is stale: run `libya-conflict build`"
    assert all(f"`{rule}`" in written for rule in RULES)


def test_every_rule_has_a_description_a_proof_and_its_documentation(root):
    """Each record of the registry: a one-line description, corruptions that exist in the catalogue (or
    a stated reason why none can be made, never both), and a row of its own in docs/validation.md
    holding its description and each corruption."""
    from libya_conflict.validators.registry import RULES as REGISTRY

    written = (root / "docs" / "validation.md").read_text(encoding="utf-8").splitlines()
    catalogue = {entry.id for entry in cat.CATALOGUE}
    for rule in REGISTRY:
        assert rule.description.strip() and "\n" not in rule.description, rule.id
        assert bool(rule.corruptions) != bool(rule.uncatalogued.strip()), (
            f"{rule.id}: name the corruptions that prove it, or say why none can be made (not both)"
        )
        assert set(rule.corruptions) <= catalogue, f"{rule.id} names a corruption the catalogue lacks"
        rows = [line for line in written if line.startswith(f"| `{rule.id}` |")]
        assert len(rows) == 1, f"{rule.id} is not documented once in docs/validation.md"
        assert rule.description.replace("|", "&#124;") in rows[0], rule.id
        assert all(f"`{c}`:" in rows[0] for c in rule.corruptions), rule.id


def test_rule_ids_are_declared_not_derived_from_function_names():
    """Renaming a rule function must not change a public id: every id is written out in its record, and
    the records of the registry are exactly the public RULES, in report order."""
    from libya_conflict.validators.registry import RULES as REGISTRY

    assert [r.id for r in REGISTRY] == list(RULES)
    assert len({r.id for r in REGISTRY}) == len(REGISTRY)
    families = [r.family for r in REGISTRY]
    assert families == sorted(families, key=["column", "row", "cross", "integrity"].index)


def test_a_corruption_no_rule_names_cannot_be_registered():
    with pytest.raises(ValueError, match="no rule"):
        cat.corruption("a_corruption_nobody_names")(lambda root, rng: ("", "", ""))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("قوات حفتر", False),  # real Arabic
        ("فقط، لا", False),  # "ط،" alone pairs up in cp1256; a whole word never does
        ("Tarhuna", False),  # ASCII reads the same in every code page
        ("قوات حفتر".encode().decode("cp1256"), True),  # "ظ‚ظˆط§طھ ط­ظپطھط±"
        ("قوات حفتر".encode().decode("latin-1"), True),  # "Ù\x82Ù\x88Ø§Øª ..."
    ],
)
def test_mojibake_is_arabic_utf8_read_with_a_single_byte_code_page(text, expected):
    from libya_conflict.validators.columns import is_mojibake

    assert is_mojibake(text) is expected


def test_every_corruption_is_in_the_catalogue_module_named_like_its_rules_module():
    """The catalogue is laid out like the validator (CONTRIBUTING.md, "Add a rule"): a corruption is in
    ``validators/catalogue/<module>.py`` when its rule's function is in ``validators/<module>.py``; a rule
    with no function of its own is its family's (column rules run in pandera, from ``columns.py``). Hostile
    and damaged input has a module of its own, ``untrusted.py``, whichever rule catches it."""
    from libya_conflict.validators.catalogue import CATALOGUE
    from libya_conflict.validators.registry import by_id

    family_module = {"column": "columns", "row": "rows", "cross": "cross", "integrity": "integrity"}
    misplaced = []
    for entry in CATALOGUE:
        rule = by_id(entry.rule)
        expected = rule.check.__module__.rsplit(".", 1)[-1] if rule.check is not None else family_module[rule.family]
        if entry.apply.__module__.rsplit(".", 1)[-1] not in {expected, "untrusted"}:
            misplaced.append((entry.id, entry.apply.__module__, entry.rule))
    assert not misplaced


def test_every_rule_has_its_clauses_in_the_mutation_list(root):
    """scripts/mutate_clauses.py breaks each clause of every rule (scripts/clause_mutations.py): a rule is
    there, or it says where its clauses are. Cheap: no mutant is run here."""
    import importlib.util

    from libya_conflict.validators.registry import RULES as REGISTRY

    spec = importlib.util.spec_from_file_location("clause_mutations", root / "scripts" / "clause_mutations.py")
    mutations = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutations)
    listed = {m.rule for m in mutations.MUTATIONS}
    assert listed <= {r.id for r in REGISTRY}, "a mutation names a rule the registry lacks"
    assert not listed & set(mutations.ELSEWHERE), "a rule is both mutated and said to be elsewhere"
    missing = [r.id for r in REGISTRY if r.id not in listed | set(mutations.ELSEWHERE)]
    assert not missing, f"rules with no clause in scripts/clause_mutations.py: {missing}"
    by_id = {r.id: r for r in REGISTRY}
    for m in mutations.MUTATIONS:
        assert (root / "validators" / m.file).read_text(encoding="utf-8").count(m.old) == 1, (m.rule, m.clause)
        # A rule's clauses are broken where its function is (a rule with no function is reported by another).
        check = by_id[m.rule].check
        if check is not None:
            assert m.file == check.__module__.rsplit(".", 1)[-1] + ".py", (m.rule, m.file)
