"""The explorer in a real browser: headless Chromium driven through Selenium and chromedriver.

Every page is opened from ``file://`` and must log no console error and ask for nothing outside the site's
folder; the filters and the search must change the table as the data say; every highlighted quote must be
the article's text at the claim's offsets; the map's labels must not overlap as drawn; axe-core must find
no serious accessibility violation. Screenshots of the home, one event and one article page, at desktop
and phone widths, are written to ``build/screenshots/`` (or ``$LIBYA_CONFLICT_SCREENSHOTS``) for review.

Needs Debian's ``chromium`` and ``chromium-driver`` and, for the accessibility check, axe-core from npm in
``.ci/node`` (``.ci/run`` installs all three); the tests are skipped where they are absent.
"""

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".ci/node/node_modules/axe-core/axe.min.js"))
SHOTS = Path(os.environ.get("LIBYA_CONFLICT_SCREENSHOTS", ROOT / "build/screenshots"))
selenium = pytest.importorskip("selenium", reason="selenium is not installed (it is in the test extra)")
pytest.importorskip("jinja2", reason="jinja2 is not installed (it is in the site and test extras)")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None or CHROMEDRIVER is None,
        reason="chromium and chromium-driver are not installed (.ci/run installs them)",
    ),
]

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from libya_conflict.flat import happenings  # noqa: E402
from libya_conflict.site import build_site  # noqa: E402


def rows(table):
    with open(ROOT / "data" / f"{table}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def article_texts():
    return {a["article_id"]: (ROOT / a["path"]).read_bytes().decode("utf-8") for a in rows("articles")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build_site(out, ROOT)
    return out.resolve()


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    # Without the background-networking flags Chromium calls home at start, which a closed network refuses.
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_window_size(1280, 900)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, site, page):
    driver.get((site / page).as_uri())
    return driver


def requests_made(driver):
    """The URLs the page asked for since the last call (the DevTools network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visible_rows(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#table tbody tr')).filter(r => !r.hidden).map(r => r.id)"
    )


def expected_happenings():
    """Happening id -> its reports' types, places, articles and dates, straight from the CSV files."""
    events = rows("events")
    article_of = {}
    for c in rows("claims"):
        if c["record_table"] == "events":
            article_of.setdefault(c["record_id"], c["article_id"])
    happening = happenings([e["event_id"] for e in events], rows("event_relations"))
    out = {}
    for e in events:
        h = out.setdefault(
            happening[e["event_id"]],
            {"types": set(), "places": set(), "articles": set(), "first": e["date_earliest"], "last": e["date_latest"]},
        )
        h["types"].add(e["event_type"])
        h["places"].add(e["place_id"])
        h["articles"].add(article_of.get(e["event_id"]))
        h["first"], h["last"] = min(h["first"], e["date_earliest"]), max(h["last"], e["date_latest"])
    return out


def test_every_page_loads_from_file_with_no_console_error_and_no_request_outside_the_folder(browser, site):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) == 1 + sum(len(rows(t)) for t in ("events", "articles", "actors", "places"))
    browser.get_log("browser"), requests_made(browser)  # forget what came before
    inside = site.as_uri() + "/"
    for page in pages:
        open_page(browser, site, page)
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert not errors, f"{page}: {errors}"
        outside = [u for u in requests_made(browser) if not u.startswith(inside) and not u.startswith("data:")]
        assert not outside, f"{page} asked for {outside}"
        # One h1, and headings never skip a level going down.
        levels = browser.execute_script(
            "return Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1])"
        )
        assert levels.count(1) == 1 and levels[0] == 1, page
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{page}: headings {levels}"
        # Arabic is marked as Arabic, right to left: every text with an Arabic letter sits in lang="ar".
        wrong = browser.execute_script("""
            const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const node = walker.currentNode, el = node.parentElement;
              if (!/[\\u0600-\\u06ff]/.test(node.data) || el.closest('svg')) continue;
              const holder = el.closest('[lang]');
              if (!holder || holder.lang !== 'ar' || getComputedStyle(el).direction !== 'rtl') out.push(node.data.slice(0, 40));
            }
            return out;""")
        assert not wrong, f"{page}: Arabic outside lang=ar dir=rtl: {wrong[:3]}"


def test_each_highlight_on_an_event_page_is_the_article_text_at_its_offsets(browser, site):
    texts = article_texts()
    claims = {c["claim_id"]: c for c in rows("claims")}
    checked = 0
    for event in rows("events"):
        open_page(browser, site, f"events/{event['event_id']}.html")
        marks = browser.execute_script(
            "return Array.from(document.querySelectorAll('mark.quote')).map(m => [m.dataset.claim, m.dataset.article,"
            " +m.dataset.start, +m.dataset.end, m.textContent])"
        )
        supported = [
            c for c in claims.values() if c["record_table"] == "events" and c["record_id"] == event["event_id"]
        ]
        assert {m[0] for m in marks} >= {c["claim_id"] for c in supported}, event["event_id"]
        for claim_id, article, start, end, shown in marks:
            c = claims[claim_id]
            assert (article, start, end) == (c["article_id"], int(c["quote_start"]), int(c["quote_end"]))
            assert shown == texts[article][start:end], f"{event['event_id']} {claim_id}"
            checked += 1
    assert checked >= len([c for c in claims.values() if c["record_table"] == "events"])


def test_an_article_page_shows_the_text_exactly_with_every_claim_highlighted_where_it_stands(browser, site):
    texts = article_texts()
    for article_id, text in texts.items():
        open_page(browser, site, f"articles/{article_id}.html")
        shown = browser.execute_script("return document.querySelector('.article-text').textContent")
        assert shown == text  # no normalisation: the no-break spaces of art-004 included
        links = browser.execute_script(
            "return Array.from(document.querySelectorAll('.article-text a.claim-link')).map(a => [+a.dataset.start, a.textContent])"
        )
        for start, piece in links:
            assert text[start : start + len(piece)] == piece
        covered = set()
        for start, piece in links:
            covered.update(range(start, start + len(piece)))
        for c in rows("claims"):
            if c["article_id"] == article_id:
                assert set(range(int(c["quote_start"]), int(c["quote_end"]))) <= covered, c["claim_id"]


def test_filters_change_the_table_as_the_data_say_and_live_in_the_address(browser, site):
    expected = expected_happenings()
    open_page(browser, site, "index.html")
    assert len(visible_rows(browser)) == len(expected)
    Select(browser.find_element(By.ID, "f-type")).select_by_value("Battles")
    battles = {f"h-{h}" for h, v in expected.items() if "Battles" in v["types"]}
    assert set(visible_rows(browser)) == battles and 0 < len(battles) < len(expected)
    assert "type=Battles" in browser.execute_script("return location.hash")
    Select(browser.find_element(By.ID, "f-place")).select_by_value("pl-tarhuna")
    both = {f"h-{h}" for h, v in expected.items() if "Battles" in v["types"] and "pl-tarhuna" in v["places"]}
    assert set(visible_rows(browser)) == both
    shared = browser.execute_script("return location.href")
    browser.find_element(By.ID, "f-reset").click()
    assert len(visible_rows(browser)) == len(expected)
    # A shared address opens on the same view.
    browser.get(shared)
    browser.refresh()
    assert set(visible_rows(browser)) == both
    assert Select(browser.find_element(By.ID, "f-type")).first_selected_option.get_attribute("value") == "Battles"

    browser.get((site / "index.html").as_uri() + "#from=2020-05-01&to=2020-05-31&article=art-003")
    browser.refresh()
    may = {
        f"h-{h}"
        for h, v in expected.items()
        if v["last"] >= "2020-05-01" and v["first"] <= "2020-05-31" and "art-003" in v["articles"]
    }
    assert set(visible_rows(browser)) == may and 0 < len(may) < len(expected)


def search(browser, site, words):
    open_page(browser, site, "index.html")
    box = browser.find_element(By.ID, "f-q")
    box.clear()
    box.send_keys(words)
    return set(visible_rows(browser))


def test_search_finds_english_and_arabic_ignoring_diacritics_and_letter_variants(browser, site):
    total = len(expected_happenings())
    pantsir = search(browser, site, "Pantsir")
    assert 0 < len(pantsir) < total
    descriptions = {}
    for e in rows("events"):
        descriptions.setdefault(e["event_id"], e["description_en"])
    # Every happening whose description names the Pantsir is found (the search reads quotes too: at least these).
    open_page(browser, site, "index.html")
    named = browser.execute_script(
        "return Array.from(document.querySelectorAll('#table tbody tr'))"
        ".filter(r => /pantsir/i.test(r.cells[4].textContent)).map(r => r.id)"
    )
    assert named and set(named) <= pantsir
    plain = search(browser, site, "ترهونة")
    assert 0 < len(plain) < total
    assert search(browser, site, "تَرْهُونَة") == plain  # with harakat
    assert search(browser, site, "ترهونه") == plain  # ta marbuta written as ha
    assert search(browser, site, "ترهـونة") == plain  # with a tatweel
    hamza = search(browser, site, "الأمم المتحدة")
    assert hamza and search(browser, site, "الامم المتحده") == hamza
    assert search(browser, site, "zzzz-nothing") == set()
    assert browser.find_element(By.ID, "shown").text.startswith("0 of")


def test_the_javascript_folding_agrees_with_the_index(browser, site):
    from libya_conflict.site.search import LETTERS, fold

    open_page(browser, site, "index.html")
    samples = ["".join(LETTERS), "إِنَّ الْقُوَّاتِ", "Al-Watiya\u00a0Base", "مسؤول رئيس مستشفى", "ـــالـحـرب"]
    for s in samples:
        assert browser.execute_script("return window.libyaConflictFold(arguments[0])", s) == fold(s)


def test_map_labels_do_not_overlap_each_other_or_the_markers_as_drawn(browser, site):
    open_page(browser, site, "index.html")
    maps = browser.execute_script("""
        return Array.from(document.querySelectorAll('svg.map')).map(svg => ({
          labels: Array.from(svg.querySelectorAll('text.label')).map(t => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height, t.textContent]; }),
          marks: Array.from(svg.querySelectorAll('.mark')).map(c => { const b = c.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; }),
          width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height }));""")
    assert len(maps) == 3 and all(m["labels"] for m in maps)
    overlap = lambda a, b: a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
    for m in maps:
        for i, a in enumerate(m["labels"]):
            assert 0 <= a[0] and a[2] <= m["width"] and 0 <= a[1] and a[3] <= m["height"], a[4]
            assert not any(overlap(a, b) for b in m["labels"][i + 1 :]), a[4]
            assert not any(overlap(a, b) for b in m["marks"]), a[4]


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(browser, site):
    open_page(browser, site, "events/ev-000-013.html")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    assert focused.value_of_css_property("outline-style") != "none"
    assert focused.is_displayed()
    focused.send_keys(Keys.TAB)
    link = browser.switch_to.active_element
    assert link.tag_name == "a" and link.value_of_css_property("outline-style") == "solid"


def test_pages_read_without_javascript(site):
    """The table, the claims and the article text are in the HTML itself; the script only filters."""
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('<tr id="h-') == len(expected_happenings())
    assert '<form id="filters" class="filters" hidden>' in home  # shown by the script, useless without it


SCREENSHOTS = [("home", "index.html"), ("event", "events/ev-000-013.html"), ("article", "articles/art-001.html")]


@pytest.mark.parametrize("name,page", SCREENSHOTS)
@pytest.mark.parametrize("width,height,device", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_screenshots_for_review(browser, site, name, page, width, height, device):
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(width, height)
    try:
        open_page(browser, site, page)
        # Nothing sticks out sideways on a phone: wide tables and pictures scroll inside their own box.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        full = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, min(full, 5000) + 120)
        target = SHOTS / f"{name}-{device}.png"
        assert browser.save_screenshot(str(target))
        assert target.stat().st_size > 10_000
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.skipif(
    not AXE.is_file(), reason="axe-core is not installed (.ci/run: npm install --prefix .ci/node axe-core)"
)
@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "events/ev-000-013.html",
        "articles/art-004.html",
        "actors/act-gna-forces.html",
        "places/pl-tarhuna.html",
    ],
)
def test_axe_core_finds_no_serious_accessibility_violation(browser, site, page):
    open_page(browser, site, page)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(120)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => "
        "[v.id, v.impact, v.nodes.length, v.nodes.slice(0, 2).map(n => n.target.join(' '))])), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    serious = [v for v in result if v[1] in ("serious", "critical")]
    assert not serious, f"{page}: {serious}"
