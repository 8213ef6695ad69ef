"""The explorer's files without a browser: the same bytes every time, nothing from other hosts, every
page there, the article text exactly as stored; and the outlines and the search key it rests on."""

import csv
import doctest
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("jinja2", reason="jinja2 is not installed (it is in the site and test extras)")

from libya_conflict import geo  # noqa: E402
from libya_conflict.site import SiteError, pages, search, site_files, svg  # noqa: E402  # noqa: E402
from libya_conflict.site.search import fold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def rows(table):
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def files():
    return site_files(ROOT)


def test_building_twice_gives_the_same_bytes(files, tmp_path):
    assert site_files(ROOT) == files
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        result = subprocess.run(
            [sys.executable, "-m", "libya_conflict.cli", "site", "--out", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        assert "pages" in result.stdout
    listing = lambda folder: {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
    assert listing(a) == listing(b) == files


def test_a_page_for_every_event_article_actor_and_place(files):
    for table, key in (
        ("events", "event_id"),
        ("articles", "article_id"),
        ("actors", "actor_id"),
        ("places", "place_id"),
    ):
        assert {n for n in files if n.startswith(table + "/")} == {f"{table}/{r[key]}.html" for r in rows(table)}
    assert "index.html" in files and "static/style.css" in files and "static/explorer.js" in files


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "cite", "poster", "data") and value is not None:
                self.urls.append(value)


def test_nothing_points_to_another_host_and_every_link_inside_resolves(files):
    for name, data in files.items():
        text = data.decode("utf-8")
        if name.endswith(".html"):
            parser = Links()
            parser.feed(text)
            for url in parser.urls:
                assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url) or url == "data:,", f"{name}: {url}"
                target = url.split("#")[0]
                if target and not target.startswith("data:"):
                    resolved = (Path("/site") / name).parent.joinpath(target).resolve().relative_to("/site").as_posix()
                    assert resolved in files, f"{name} links to missing {url}"
        else:
            assert not re.search(r"url\(|@import|https?://|fetch\(|XMLHttpRequest", text), name


def test_the_article_page_holds_the_text_exactly(files):
    """The text inside .article-text, tags removed and entities decoded, is the stored file's text."""
    import html

    for a in rows("articles"):
        text = (ROOT / a["path"]).read_bytes().decode("utf-8")
        page = files[f"articles/{a['article_id']}.html"].decode("utf-8")
        body = page.split('<div class="article-text" lang="ar" dir="rtl">', 1)[1].split("</div>", 1)[0]
        assert html.unescape(re.sub(r"<[^>]+>", "", body)) == text
    assert "\u00a0" in files["articles/art-004.html"].decode("utf-8")  # the no-break spaces are kept


def test_the_search_key_folds_arabic_variants_and_diacritics():
    assert fold("إِنَّ") == "ان"
    assert fold("مُسْتَشْفَى") == "مستشفي"
    assert fold("مسؤول") == "مسوول" and fold("رئيس") == "رييس"
    assert fold("ترهونة") == fold("ترهونه") == fold("تـرهـونة")
    assert fold("ٱلقرآن") == "القران"
    assert fold("Al-Watiya\u00a0 BASE") == "al-watiya base"


def test_the_table_row_of_a_happening_is_found_by_its_quotes(files):
    """A happening's search key holds its claims' Arabic, folded: a quote typed without hamza finds it."""
    home = files["index.html"].decode("utf-8")
    claim = next(c for c in rows("claims") if c["record_table"] == "events" and "أ" in c["quote"])
    keys = re.findall(r'data-search="([^"]*)"', home)
    assert any(fold(claim["quote"]) in k for k in keys)


def test_context_is_the_sentence_around_the_quote():
    text = "الجملة الأولى. قال المتحدث إن القوات تقدمت نحو المدينة؟ وتوقفت"
    start = text.index("القوات")
    assert pages.context_of(text, start, start + len("القوات تقدمت")) == (
        "قال المتحدث إن ",
        "القوات تقدمت",
        " نحو المدينة؟",
    )


def test_overlapping_claims_cut_the_text_into_pieces_covered_by_the_shortest_first():
    claims = [{"claim_id": "a", "quote_start": 0, "quote_end": 10}, {"claim_id": "b", "quote_start": 4, "quote_end": 6}]
    pieces = pages.segments("0123456789xyz", claims)
    assert [p["text"] for p in pieces] == ["0123", "45", "6789", "xyz"]
    assert [[c["claim_id"] for c in p["claims"]] for p in pieces] == [["a"], ["b", "a"], ["a"], []]


def test_labels_never_overlap_in_a_crowd():
    import random

    rng = random.Random(7)
    points = [
        {
            "key": f"p{i}",
            "x": rng.uniform(0, 300),
            "y": rng.uniform(0, 200),
            "r": 4,
            "text": "Place " * rng.randint(1, 3),
            "rank": i,
        }
        for i in range(40)
    ]
    placed = svg.place_labels(points, 300, 200)
    boxes = []
    for key, (x, y, anchor) in placed.items():
        w = len(next(p["text"] for p in points if p["key"] == key)) * svg.FONT * 0.7
        left = {"start": x, "end": x - w, "middle": x - w / 2}[anchor]
        # The glyph box Chromium measures for 11 px DejaVu Sans: 10 px above the baseline, 3 below.
        boxes.append((left, y - 10, left + w, y + 3))
    assert 0 < len(placed) < 40
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] - 0.01 and b[0] < a[2] - 0.01 and a[1] < b[3] - 0.01 and b[1] < a[3] - 0.01)


def test_outlines_put_known_places_where_they_are():
    assert geo.distance_outside_km("Libya", 32.8872, 13.1913) == 0  # Tripoli
    assert geo.distance_outside_km("Tunisia", 36.8065, 10.1815) == 0  # Tunis
    assert geo.distance_outside_km("Egypt", 30.0444, 31.2357) == 0  # Cairo
    assert geo.distance_outside_km("Libya", 36.8065, 10.1815) > 300  # Tunis is not in Libya
    swapped = geo.distance_outside_km("Libya", 13.1913, 32.8872)  # Tripoli's coordinates swapped: in Sudan
    assert swapped > 800
    # Within 10 % of the great-circle distance from Cairo to Egypt's border with Libya (about 25 E at 30 N).
    assert 560 < geo.distance_outside_km("Libya", 30.0444, 31.2357) < 680
    assert not geo.has_outline("Narnia")
    assert set(geo.outlines()["countries"]) >= {
        "Libya",
        "Tunisia",
        "Algeria",
        "Niger",
        "Chad",
        "Sudan",
        "Egypt",
        "Turkey",
        "Russia",
        "Italy",
    }


def test_outlines_are_small_and_say_where_they_come_from():
    folder = ROOT / "src/libya_conflict/geodata"
    assert (folder / "outlines.json").stat().st_size < 200_000
    provenance = (folder / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "Natural Earth" in provenance and "public domain" in provenance and "ISC" in provenance
    assert "scripts/extract_outlines.py" in provenance and (ROOT / "scripts/extract_outlines.py").is_file()


def test_the_coordinates_rule_reports_a_place_outside_its_country_and_spares_uncertainty(package_copy):
    from libya_conflict.validators import validate

    path = package_copy / "data" / "places.csv"
    text = path.read_text(encoding="utf-8")
    # Misrata, 8 km uncertain, moved 40 km out to sea; Sirte given a 300 km uncertainty and moved 150 km out.
    text = text.replace(
        "pl-misrata,Misrata,مصراتة,city,32.3754,15.0925,centroid_town,8,",
        "pl-misrata,Misrata,مصراتة,city,32.75,15.0925,centroid_town,8,",
    )
    text = text.replace(
        "pl-sirte,Sirte,سرت,city,31.2089,16.5887,centroid_town,8,",
        "pl-sirte,Sirte,سرت,city,32.55,16.5887,centroid_town,300,",
    )
    path.write_text(text, encoding="utf-8")
    report = validate(package_copy)
    found = {(p.row, p.rule) for p in report.problems}
    assert ("pl-misrata", "row.coordinates_country") in found
    assert ("pl-sirte", "row.coordinates_country") not in found


def test_the_site_says_which_pip_line_to_run_without_jinja2(monkeypatch):
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(SiteError, match=r"pip install 'libya-conflict\[site\]'"):
        site_files(ROOT)


def test_site_refuses_an_invalid_copy(package_copy, tmp_path):
    path = package_copy / "data" / "places.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("32.3754,15.0925", "20.5,20.5"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "libya_conflict.cli", "site", "--out", str(tmp_path / "s"), "--root", str(package_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "refused" in result.stderr
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("module", [geo, pages, search, svg])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def test_the_fast_inside_test_agrees_with_counting_every_edge():
    import numpy as np

    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(18, 35, 4000), rng.uniform(8, 27, 4000)
    for country in ("Libya", "Tunisia", "Egypt"):
        a, b = geo._edges(country)
        y, x = lat[:, None], lon[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            at = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        plain = np.count_nonzero(((a[:, 1] > y) != (b[:, 1] > y)) & (x < at), axis=1) % 2 == 1
        assert (geo.inside(country, lat, lon) == plain).all(), country
        assert plain.any() and not plain.all()


def test_the_release_bundle_holds_the_site(files):
    from libya_conflict.release import release_files

    bundle = release_files(ROOT)
    assert {name[len("site/") :]: data for name, data in bundle.items() if name.startswith("site/")} == files
    assert any(line.endswith("  site/index.html") for line in bundle["SHA256SUMS"].decode().splitlines())
