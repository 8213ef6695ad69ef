"""datapackage.json speaks Data Package v2, frictionless reads it so, and older (v1) copies stay valid."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

from libya_conflict.validators import validate

FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


def descriptor(root):
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def test_the_descriptor_is_v2(root):
    d = descriptor(root)
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert "profile" not in d and all(r["type"] == "table" and "profile" not in r for r in d["resources"])
    assert all("roles" in c and "role" not in c for c in d["contributors"])
    # created is the release date written in schemas/package.json, not the day of the build.
    released = json.loads((root / "schemas" / "package.json").read_text(encoding="utf-8"))["released"]
    assert d["created"] == f"{released}T00:00:00Z"
    assert len(d["id"]) == 36 and d["id"].count("-") == 4  # a UUID
    # Every article is a source, with its outlet and date as articles.csv gives them.
    titles = [s["title"] for s in d["sources"]]
    assert len(titles) == 5
    assert titles[2].startswith("art-002: Al Jazeera, published 2020-06-04")
    assert "Al-Khaleej Al-Jadeed, drawing on Anadolu Agency, published 2019-04-05" in titles[4]
    assert "outlet not named" in titles[0] and "between 2020-05-20 and 2020-05-23" in titles[0]
    assert all((root / s["path"]).is_file() for s in d["sources"])


def test_vocabularies_are_categories_and_variants_are_lists(root):
    fields = {r["name"]: {f["name"]: f for f in r["schema"]["fields"]} for r in descriptor(root)["resources"]}
    side = fields["actors"]["side"]
    assert (
        side["categories"]
        == side["constraints"]["enum"]
        == json.loads((root / "schemas" / "actors.schema.json").read_text(encoding="utf-8"))["fields"][5][
            "constraints"
        ]["enum"]
    )
    variants = fields["actors"]["name_ar_variants"]
    assert (variants["type"], variants["itemType"], variants["delimiter"]) == ("list", "string", " | ")
    assert fields["articles"]["wire_sources"]["type"] == "list"


def test_frictionless_validates_and_reads_it_as_v2(root, package_copy):
    result = subprocess.run(
        [FRICTIONLESS, "validate", "--json", "datapackage.json"], capture_output=True, text=True, cwd=package_copy
    )
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[:2000]
    from frictionless import Package

    package = Package(str(package_copy / "datapackage.json"))
    rows = package.get_resource("actors").read_rows()
    # The CSV cell "السراج | فائز السراج" is read as the list of its spellings.
    sarraj = next(r for r in rows if r["actor_id"] == "act-fayez-al-sarraj")
    assert sarraj["name_ar_variants"] == ["السراج", "فائز السراج"]
    assert "السراج | فائز السراج" in (package_copy / "data" / "actors.csv").read_text(encoding="utf-8")


def as_v1(d: dict) -> dict:
    """What releases before the v2 descriptor wrote (the shape of 1.0.0's first builds), written out here
    by hand from the v2 one: profiles instead of $schema and types, no categories, lists as strings."""
    v1 = {
        "profile": "tabular-data-package",
        **{k: v for k, v in d.items() if k not in ("$schema", "id", "created", "sources", "resources")},
    }
    v1["contributors"] = [{"title": c["title"], "role": "author"} for c in d["contributors"]]
    v1["resources"] = []
    for r in d["resources"]:
        r = {k: v for k, v in r.items() if k != "type"}
        r["profile"] = "tabular-data-resource"
        schema = r["schema"]
        for f in schema["fields"]:
            f.pop("categories", None)
            if f["type"] == "list":
                f["type"] = f.pop("itemType")
                del f["delimiter"]
        v1["resources"].append(r)
    return v1


def test_a_v1_descriptor_from_an_older_release_still_validates(package_copy):
    v1 = as_v1(descriptor(package_copy))
    (package_copy / "datapackage.json").write_text(json.dumps(v1, ensure_ascii=False), encoding="utf-8")
    report = validate(package_copy)
    assert report.valid, report.to_text()
    result = subprocess.run(
        [FRICTIONLESS, "validate", "--json", "datapackage.json"], capture_output=True, text=True, cwd=package_copy
    )
    assert json.loads(result.stdout)["valid"], result.stdout[:2000]
    # ... but not one whose schema says something else than schemas/ in either dialect.
    v1["resources"][0]["schema"]["fields"][0]["type"] = "integer"
    (package_copy / "datapackage.json").write_text(json.dumps(v1), encoding="utf-8")
    assert "integrity.schema_mismatch" in validate(package_copy).rules()


def test_a_v2_descriptor_naming_a_remote_schema_is_refused_offline(package_copy):
    d = descriptor(package_copy)
    d["$schema"] = "http://127.0.0.1:9/datapackage.json"
    (package_copy / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert "integrity.url" in validate(package_copy).rules()


def test_the_sources_of_a_copy_are_its_own_articles(tmp_path, root):
    """The build derives sources from articles.csv: a new article is a new source."""
    from libya_conflict.build import plan

    project = tmp_path / "p"
    project.mkdir()
    shutil.copy(root / "pyproject.toml", project)
    shutil.copytree(root / "schemas", project / "schemas")
    shutil.copytree(root / "data", project / "data")
    articles = (project / "data" / "articles.csv").read_text(encoding="utf-8")
    (project / "data" / "articles.csv").write_text(
        articles.replace(",Al Jazeera,", ",Al Jazeera Mubasher,", 1), encoding="utf-8"
    )
    sources = json.loads(plan(project).files["datapackage.json"])["sources"]
    assert sources[2]["title"].startswith("art-002: Al Jazeera Mubasher,")
