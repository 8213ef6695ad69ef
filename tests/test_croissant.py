"""croissant.json is read by mlcroissant (offline) as the tables lc.load gives; dataset.jsonld is schema.org."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import libya_conflict as lc

mlc = pytest.importorskip("mlcroissant")

# Any attempt to go to the network fails at once: the metadata names only the package's own files.
OFFLINE = {
    **os.environ,
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
}


@pytest.fixture
def croissant_copy(package_copy, root):
    import shutil

    shutil.copy(root / "croissant.json", package_copy)
    return package_copy


def test_mlcroissant_validates_it(croissant_copy):
    result = subprocess.run(
        [str(Path(sys.executable).with_name("mlcroissant")), "validate", "--jsonld", "croissant.json"],
        capture_output=True,
        text=True,
        cwd=croissant_copy,
        env=OFFLINE,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done" in result.stderr and "error" not in result.stderr.lower()
    assert "not standard" not in result.stderr  # the @context is Croissant's own


def _plain(value):
    """A value as mlcroissant gives it, in the loader's terms: text for bytes, a date for a timestamp."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, pd.Timestamp):
        return value.date()
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _loaded(value):
    if value is pd.NA or value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


@pytest.mark.parametrize("table", ["events", "places", "casualties"])
def test_a_table_read_through_mlcroissant_is_the_loaders(croissant_copy, table):
    dataset = mlc.Dataset(jsonld=str(croissant_copy / "croissant.json"))
    records = list(dataset.records(record_set=table))
    frame = lc.load(table)
    assert len(records) == len(frame)
    key = lc.describe(table)[0]["name"]
    by_key = {_plain(r[f"{table}/{key}"]): r for r in records}
    for row in frame.to_dict("records"):
        record = by_key[row[key]]
        for column, value in row.items():
            assert _plain(record[f"{table}/{column}"]) == _loaded(value), (table, row[key], column)


def test_its_files_are_the_package_files(root):
    doc = json.loads((root / "croissant.json").read_text(encoding="utf-8"))
    import hashlib

    for item in doc["distribution"]:
        data = (root / item["contentUrl"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest(), item["contentUrl"]
    assert {r["name"] for r in doc["recordSet"]} == set(lc.list_tables())
    released = json.loads((root / "schemas" / "package.json").read_text(encoding="utf-8"))["released"]
    assert doc["datePublished"] == released and doc["version"] == lc.__version__


def test_dataset_jsonld_is_a_schema_org_dataset(root):
    import rdflib

    doc = json.loads((root / "dataset.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "https://schema.org/"
    doc["@context"] = {"@vocab": "https://schema.org/"}  # the same vocabulary, without fetching it
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    sdo = rdflib.Namespace("https://schema.org/")
    datasets = list(graph.subjects(rdflib.RDF.type, sdo.Dataset))
    assert len(datasets) == 1
    dataset = datasets[0]
    assert str(graph.value(dataset, sdo.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(graph.value(dataset, sdo.temporalCoverage)) == "2019-04-01/2020-06-30"
    articles = list(graph.objects(dataset, sdo.isBasedOn))
    assert len(articles) == 5 and all((a, rdflib.RDF.type, sdo.NewsArticle) in graph for a in articles)
    publishers = {
        str(graph.value(graph.value(a, sdo.publisher), sdo.name))
        for a in articles
        if graph.value(a, sdo.publisher) is not None
    }
    assert publishers == {"Al Jazeera", "Al-Khaleej Al-Jadeed"}
    box = graph.value(graph.value(graph.value(dataset, sdo.spatialCoverage), sdo.geo), sdo.box)
    assert str(box) == "19.5 9.3 33.3 25.2"  # south west north east, from the bbox [W, S, E, N]
