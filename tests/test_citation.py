"""CITATION.cff passes the CFF 1.2.0 schema, whatever the metadata says; .zenodo.json agrees with it."""

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from libya_conflict.build import plan

SCHEMA = json.loads((Path(__file__).parent / "vendor" / "cff-1.2.0.schema.json").read_text(encoding="utf-8"))


def check_cff(text: str) -> dict:
    """The CITATION.cff as YAML reads it, checked against the CFF 1.2.0 schema (raises if invalid)."""
    cff = yaml.safe_load(text)
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(cff)
    return cff


def test_the_committed_citation_is_valid_cff(root):
    cff = check_cff((root / "CITATION.cff").read_text(encoding="utf-8"))
    meta = json.loads((root / "schemas" / "package.json").read_text(encoding="utf-8"))
    assert cff["version"] == "1.0.0" and cff["date-released"] == meta["released"]
    assert cff["license"] == meta["licenses"][0]["name"] and cff["type"] == "dataset"


def test_the_schema_check_can_fail():
    with pytest.raises(jsonschema.ValidationError):
        check_cff("cff-version: 1.2.0\nmessage: x\ntitle: t\nauthors: []\nlicense: not-a-licence\n")


@pytest.fixture
def project(tmp_path, root):
    """A project copy whose package metadata a test may edit."""
    target = tmp_path / "p"
    target.mkdir()
    shutil.copy(root / "pyproject.toml", target)
    shutil.copytree(root / "schemas", target / "schemas")
    shutil.copytree(root / "data", target / "data")
    return target


def test_a_description_with_quotes_and_colons_stays_valid(project):
    meta_path = project / "schemas" / "package.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["description"] = "The so-called \"Libyan army\": a #1 'test' of quoting, with a colon: and\na newline."
    meta["title"] = "- a title: that looks like YAML"
    meta["licenses"][0]["name"] = "CC0-1.0"
    meta["released"] = "2027-01-31"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    outputs = plan(project)
    cff = check_cff(outputs.files["CITATION.cff"].decode("utf-8"))
    assert cff["abstract"] == meta["description"] and cff["title"] == meta["title"]
    assert cff["license"] == "CC0-1.0" and cff["date-released"] == "2027-01-31"  # not hard-coded
    zenodo = json.loads(outputs.files[".zenodo.json"])
    assert zenodo["license"] == "cc0-1.0" and zenodo["publication_date"] == "2027-01-31"
    assert zenodo["description"] == meta["description"]


def test_zenodo_metadata_agrees_with_the_citation(root):
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["upload_type"] == "dataset"
    assert (zenodo["title"], zenodo["version"], zenodo["publication_date"]) == (
        cff["title"],
        cff["version"],
        cff["date-released"],
    )
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in cff["authors"]]
