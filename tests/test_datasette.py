"""datasette, started on 127.0.0.1 on the exported database and its metadata, asked through its JSON API."""

import csv
import json
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request
from pathlib import Path

import datasette  # noqa: F401 - in the test extra: a missing datasette fails these tests, never skips them
import pytest

DATASETTE = str(Path(sys.executable).with_name("datasette"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = tmp_path_factory.mktemp("datasette")
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "export", "--format", "sqlite", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    port = free_port()
    process = subprocess.Popen(
        [
            DATASETTE,
            "serve",
            str(out / "libya-conflict.sqlite"),
            "--metadata",
            str(out / "libya-conflict.datasette.json"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.stderr.read().decode()[-2000:])
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(base: str, path: str, **params) -> dict:
    query = ("?" + urllib.parse.urlencode(params)) if params else ""
    with urllib.request.urlopen(base + path + query, timeout=30) as response:
        return json.loads(response.read())


def rows_of(base: str, path: str, **params) -> list[dict]:
    """Every row of a table or query, following datasette's pages."""
    found, params = [], {"_shape": "objects", "_size": "max", **params}
    page = get(base, path, **params)
    found += page["rows"]
    while page.get("next"):
        page = get(base, path, **{**params, "_next": page["next"]})
        found += page["rows"]
    return found


def test_metadata_has_title_licence_source_and_descriptions(server, root):
    meta = get(server, "/-/metadata.json")
    package = json.loads((root / "schemas" / "package.json").read_text(encoding="utf-8"))
    assert meta["title"] == package["title"] and meta["license"] == "CC-BY-4.0"
    assert meta["license_url"].startswith("https://creativecommons.org/") and "articles" in meta["source"]
    tables = meta["databases"]["libya-conflict"]["tables"]
    events = json.loads((root / "schemas" / "events.schema.json").read_text(encoding="utf-8"))
    assert tables["events"]["description"] == events["description"]
    assert tables["events"]["columns"]["event_type"] == events["fields"][1]["description"]
    assert tables["places"]["units"]["coord_uncertainty_km"] == "km"


def test_foreign_keys_are_labelled(server):
    page = get(server, "/libya-conflict/events.json", _shape="objects", _labels="on", event_id="ev-002-002")
    place = page["rows"][0]["place_id"]
    assert isinstance(place, dict) and place["label"] and place["label"] != place["value"]


def fold(text: str) -> str:
    """The test's own reading of the folding rule: no short vowels (Mn marks) or tatweel, one alef, one ya,
    ta marbuta as ha."""
    text = "".join(c for c in text if unicodedata.category(c) != "Mn" and c != "\u0640")
    for variants, plain in (("أإآٱ", "ا"), ("ىی", "ي"), ("ة", "ه")):
        for v in variants:
            text = text.replace(v, plain)
    return text


def claims_containing(root: Path, word: str) -> set[str]:
    with open(root / "data" / "claims.csv", encoding="utf-8", newline="") as f:
        return {r["claim_id"] for r in csv.DictReader(f) if fold(word) in fold(r["quote"])}


def test_search_finds_part_of_a_word(server, root):
    expected = claims_containing(root, "وفاق")
    assert len(expected) > 20  # "al-Wifaq" (the GNA) is on every page of the articles
    found = {r["claim_id"] for r in rows_of(server, "/libya-conflict/claims.json", _search="وفاق")}
    assert found == expected


def test_search_ignores_short_vowels(server, root):
    plain = {r["claim_id"] for r in rows_of(server, "/libya-conflict/claims.json", _search="الوفاق")}
    assert plain == claims_containing(root, "الوفاق")
    voweled = {r["claim_id"] for r in rows_of(server, "/libya-conflict/search_claims.json", q="الوِفَاق")}
    assert voweled == plain


def test_search_ignores_alef_ya_and_ta_marbuta_spellings(server, root):
    for written, other in (("إطلاق", "اطلاق"), ("الأربعاء", "الاربعاء"), ("ترهونة", "ترهونه"), ("مصطفى", "مصطفي")):
        expected = claims_containing(root, written)
        assert expected, written  # each spelling rule meets real quotes
        for query in (written, other):
            found = {r["claim_id"] for r in rows_of(server, "/libya-conflict/search_claims.json", q=query)}
            assert found == expected, (written, query)


def test_a_query_that_is_not_fts_syntax_is_still_a_search(server):
    rows = rows_of(server, "/libya-conflict/search_claims.json", q='"AND (')
    assert rows == []
