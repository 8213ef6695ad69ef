"""What each page of the explorer shows, gathered from the tables, and the writing of the pages.

>>> from libya_conflict.site.pages import context_of
>>> text = "قال المتحدث. إن القوات تقدمت نحو المدينة. ثم توقفت"
>>> context_of(text, 16, 28)         # the sentence around a quote, split before, in and after it
('إن ', 'القوات تقدمت', ' نحو المدينة.')
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

from .. import flat
from .. import schema as sch
from ..confine import Confined
from ..figures import event_sides
from . import svg
from .search import fold

# Where a sentence ends, for the context shown around a quote: full stops, question and exclamation marks
# (Latin and Arabic), the Arabic semicolon, and line breaks.
SENTENCE_END = re.compile("[.!?\u061f\u061b\n]")
CONTEXT_LIMIT = 320  # characters of context at most on each side of a quote
RECORD_KINDS = {  # record_table -> what a highlight of that kind is called
    "events": "event",
    "actors": "actor",
    "places": "place",
    "casualties": "casualty figure",
    "equipment_losses": "equipment loss",
    "event_actors": "actor's part in an event",
    "event_relations": "link between events",
    "place_distances": "distance",
}
MAP_FRAMES = (
    svg.Frame("Libya and its neighbours", 9.0, 19.2, 26.0, 34.0, 640),
    svg.Frame("The north-west: Tripoli to Misrata and the western mountain", 11.0, 31.75, 15.6, 33.15, 900),
    svg.Frame("Tripoli and its southern front", 12.75, 32.5, 13.5, 32.95, 900),
)


class SiteError(Exception):
    """The site could not be written (Jinja2 missing, or the output folder unusable)."""


def context_of(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The text before a quote back to the start of its sentence, the quote, and the text after it to the end
    of its sentence (each side at most CONTEXT_LIMIT characters, cut at a space)."""
    before = text[max(0, start - CONTEXT_LIMIT) : start]
    stops = [m.end() for m in SENTENCE_END.finditer(before)]
    before = before[stops[-1] :] if stops else before
    if not stops and start > CONTEXT_LIMIT and " " in before:
        before = "… " + before[before.index(" ") + 1 :]
    after = text[end : end + CONTEXT_LIMIT]
    stop = SENTENCE_END.search(after)
    if stop:
        after = after[: stop.end()].rstrip("\n")
    elif end + CONTEXT_LIMIT < len(text) and " " in after:
        after = after[: after.rindex(" ")] + " …"
    return before.lstrip("\n").lstrip(), text[start:end], after


def segments(text: str, claims: list[dict]) -> list[dict]:
    """The article cut where a claim starts or ends: ``{"text", "claims"}`` in order, ``claims`` the claims
    covering that piece (shortest first, so the link goes to the most specific record)."""
    cuts = sorted({0, len(text)} | {c["quote_start"] for c in claims} | {c["quote_end"] for c in claims})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted(
            (c for c in claims if c["quote_start"] <= a and b <= c["quote_end"]),
            key=lambda c: (c["quote_end"] - c["quote_start"], c["claim_id"]),
        )
        out.append({"text": text[a:b], "claims": covering, "start": a})
    return out


def _day(d) -> str:
    return d.isoformat() if d else ""


def date_range(earliest, latest) -> str:
    """'2020-05-20', or '2020-05-18 to 2020-05-20'."""
    return _day(earliest) if earliest == latest else f"{_day(earliest)} to {_day(latest)}"


class Site:
    """Every table joined the ways the pages need, from a package folder (default: the bundled data)."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else sch.package_root()
        self.tables = flat.read_rows(self.root)
        t = self.tables
        self.events = {e["event_id"]: e for e in t["events"]}
        self.actors = {a["actor_id"]: a for a in t["actors"]}
        self.places = {p["place_id"]: p for p in t["places"]}
        self.articles = {a["article_id"]: a for a in t["articles"]}
        folder = Confined(self.root)
        self.texts = {a["article_id"]: folder.read_bytes(a["path"]).decode("utf-8") for a in t["articles"]}
        _, flat_rows = flat.events_flat(t)
        self.flat = {r["event_id"]: r for r in flat_rows}
        self.sides = event_sides(t)
        self.claims_of: dict[tuple[str, str], list[dict]] = {}
        for c in t["claims"]:
            self.claims_of.setdefault((c["record_table"], c["record_id"]), []).append(c)
        self.by_event = {name: {} for name in ("event_actors", "casualties", "equipment_losses")}
        for name, grouped in self.by_event.items():
            for r in t[name]:
                grouped.setdefault(r["event_id"], []).append(r)
        # Records shown as a section of another page, by their key.
        self.index = {
            table: {r[sch.primary_key(table)]: r for r in t[table]}
            for table in ("casualties", "equipment_losses", "event_actors", "event_relations", "place_distances")
        }
        self.happening = {eid: r["happening_id"] for eid, r in self.flat.items()}
        self.reports: dict[str, list[str]] = {}
        for eid in sorted(self.events):
            self.reports.setdefault(self.happening[eid], []).append(eid)

    # --- links, relative to a page one folder down (events/, articles/, actors/, places/)
    def record_href(self, table: str, record_id: str) -> str:
        """Where a record is shown: its own page, or the section of its event's (or place's) page."""
        if table in ("events", "actors", "places"):
            return f"../{table}/{record_id}.html"
        row = self.index.get(table, {}).get(record_id)
        if row is None:
            return "#"
        if table == "place_distances":
            return f"../places/{row['place_id']}.html#{record_id}"
        return f"../events/{row['event_id']}.html#{record_id}"

    def claim_view(self, c: dict) -> dict:
        """A claim with its sentence around it, its claimant and the record it supports."""
        before, quote, after = context_of(self.texts[c["article_id"]], c["quote_start"], c["quote_end"])
        return {
            **c,
            "before": before,
            "quote_text": quote,
            "after": after,
            "claimant": self.actors.get(c["claimant_actor_id"]),
            "kind": RECORD_KINDS.get(c["record_table"], c["record_table"]),
            "href": self.record_href(c["record_table"], c["record_id"]),
        }

    def claims_for(self, table: str, record_id: str) -> list[dict]:
        return [
            self.claim_view(c)
            for c in sorted(
                self.claims_of.get((table, record_id), []),
                key=lambda c: (c["article_id"], c["quote_start"], c["claim_id"]),
            )
        ]

    def article_of(self, event_id: str) -> str | None:
        return self.flat[event_id]["article_id"]

    # --- the pages' data
    def happening_rows(self) -> list[dict]:
        """One row per happening for the home page's table, with what the filters and the search read."""
        rows = []
        for hid, reports in sorted(self.reports.items()):
            events = [self.events[e] for e in reports]
            first = min(e["date_earliest"] for e in events)
            last = max(e["date_latest"] for e in events)
            places = sorted({e["place_id"] for e in events if e["place_id"]})
            articles = sorted({a for a in (self.article_of(e) for e in reports) if a})
            sides = sorted({self.sides[e] or "none" for e in reports})
            words = []
            for e in reports:
                words += [self.events[e]["description_en"], self.events[e]["location_note_en"] or ""]
                words += [c["quote"] + " " + (c["translation_en"] or "") for c in self.claims_of.get(("events", e), [])]
                words += [
                    self.actors[p["actor_id"]]["name_en"] + " " + self.actors[p["actor_id"]]["name_ar"]
                    for p in self.by_event["event_actors"].get(e, [])
                ]
            words += [self.places[p]["name_en"] + " " + self.places[p]["name_ar"] for p in places]
            rows.append(
                {
                    "happening_id": hid,
                    "reports": [{"event_id": e, "article_id": self.article_of(e)} for e in reports],
                    "first": first,
                    "last": last,
                    "dates": date_range(first, last),
                    "types": sorted({e["event_type"] for e in events}),
                    "sides": sides,
                    "side_labels": [svg.SIDE_LABELS[None if s == "none" else s] for s in sides],
                    "places": [self.places[p] for p in places],
                    "articles": articles,
                    "description": events[0]["description_en"],
                    "search": fold(" ".join(words)),
                }
            )
        return rows

    def map_places(self) -> list[dict]:
        """Places with coordinates and happenings, with the count of happenings and their usual side."""
        counts: dict[str, set] = {}
        sides: dict[str, dict] = {}
        for eid, e in self.events.items():
            if e["place_id"] and self.places[e["place_id"]]["latitude"] is not None:
                counts.setdefault(e["place_id"], set()).add(self.happening[eid])
                tally = sides.setdefault(e["place_id"], {})
                tally[self.sides[eid]] = tally.get(self.sides[eid], 0) + 1
        out = []
        for pid in sorted(counts):
            p = self.places[pid]
            side = sorted(sides[pid].items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]
            out.append({**p, "count": len(counts[pid]), "side": side})
        return out

    def maps(self) -> list[dict]:
        places = self.map_places()
        out = []
        for i, frame in enumerate(MAP_FRAMES):
            drawn, unlabelled = svg.map_svg(
                frame, places, closer=MAP_FRAMES[i + 1 : i + 2], href=lambda pid: f"places/{pid}.html"
            )
            inside = [
                p
                for p in places
                if frame.contains(p["latitude"], p["longitude"])
                and not any(c.contains(p["latitude"], p["longitude"]) for c in MAP_FRAMES[i + 1 : i + 2])
            ]
            out.append(
                {
                    "frame": frame,
                    "svg": drawn,
                    "unlabelled": [self.places[p] for p in unlabelled],
                    "places": sorted(inside, key=lambda p: (-p["count"], p["name_en"])),
                }
            )
        return out

    def timeline(self) -> str:
        start, end = (dt.date.fromisoformat(sch.package_metadata()["x-temporal-coverage"][k]) for k in ("start", "end"))
        items = []
        for hid, reports in sorted(self.reports.items()):
            events = [self.events[e] for e in reports]
            first, last = min(e["date_earliest"] for e in events), max(e["date_latest"] for e in events)
            items.append(
                {
                    "key": hid,
                    "event_type": events[0]["event_type"],
                    "side": self.sides[reports[0]],
                    "first": first,
                    "last": last,
                    "title": f"{date_range(first, last)}: {events[0]['description_en']}",
                }
            )
        return svg.timeline_svg(items, start, end, sch.vocabulary("events", "event_type"))

    def event_page(self, eid: str) -> dict:
        e = self.events[eid]
        participants = sorted(
            self.by_event["event_actors"].get(eid, []),
            key=lambda p: (sch.vocabulary("event_actors", "role").index(p["role"]), p["event_actor_id"]),
        )
        relations_out = [r for r in self.tables["event_relations"] if r["event_id"] == eid]
        relations_in = [r for r in self.tables["event_relations"] if r["related_event_id"] == eid]
        casualties = self.by_event["casualties"].get(eid, [])
        losses = self.by_event["equipment_losses"].get(eid, [])
        claim_groups = [("This event", self.claims_for("events", eid))]
        for p in participants:
            claim_groups.append(
                (
                    f"{self.actors[p['actor_id']]['name_en']} as {p['role']}",
                    self.claims_for("event_actors", p["event_actor_id"]),
                )
            )
        for c in casualties:
            claim_groups.append(
                (f"Casualty figure {c['casualty_id']}", self.claims_for("casualties", c["casualty_id"]))
            )
        for loss in losses:
            claim_groups.append(
                (f"Equipment loss {loss['loss_id']}", self.claims_for("equipment_losses", loss["loss_id"]))
            )
        for r in relations_out:
            claim_groups.append(
                (f"Link {r['event_relation_id']}", self.claims_for("event_relations", r["event_relation_id"]))
            )
        others = [o for o in self.reports[self.happening[eid]] if o != eid]
        groups = {}
        for c in casualties:
            if c["alternative_group"]:
                groups.setdefault(c["alternative_group"], []).append(c["casualty_id"])
        return {
            "event": e,
            "flat": self.flat[eid],
            "side": svg.SIDE_LABELS[self.sides[eid]],
            "dates": date_range(e["date_earliest"], e["date_latest"]),
            "place": self.places.get(e["place_id"]),
            "participants": participants,
            "casualties": casualties,
            "alternative_groups": groups,
            "losses": losses,
            "losses_counted": sum(
                loss["quantity"] for loss in losses if not loss["is_total"] and loss["quantity"] is not None
            ),
            "relations_out": relations_out,
            "relations_in": relations_in,
            "others": [{"event": self.events[o], "article_id": self.article_of(o)} for o in others],
            "claim_groups": [(title, claims) for title, claims in claim_groups if claims],
            "article": self.articles.get(self.article_of(eid)),
        }

    def article_page(self, aid: str) -> dict:
        text = self.texts[aid]
        claims = [c for c in self.tables["claims"] if c["article_id"] == aid]
        pieces = segments(text, claims)
        for piece in pieces:
            if piece["claims"]:
                main = piece["claims"][0]
                piece["kind"] = main["record_table"]
                piece["href"] = self.record_href(main["record_table"], main["record_id"])
                piece["label"] = "; ".join(
                    f"{RECORD_KINDS.get(c['record_table'], c['record_table'])} {c['record_id']} ({c['claim_id']})"
                    for c in piece["claims"]
                )
        kinds = sorted(
            {c["record_table"] for c in claims}, key=lambda k: list(RECORD_KINDS).index(k) if k in RECORD_KINDS else 99
        )
        counts = {k: sum(1 for c in claims if c["record_table"] == k) for k in kinds}
        return {
            "article": self.articles[aid],
            "pieces": pieces,
            "claims": sorted(claims, key=lambda c: (c["quote_start"], c["claim_id"])),
            "kinds": [(k, RECORD_KINDS.get(k, k), counts[k]) for k in kinds],
            "event_ids": sorted({c["record_id"] for c in claims if c["record_table"] == "events"}),
            "chars": len(text),
        }

    def actor_page(self, aid: str) -> dict:
        a = self.actors[aid]
        parts = sorted(
            (p for p in self.tables["event_actors"] if p["actor_id"] == aid),
            key=lambda p: (self.events[p["event_id"]]["date_earliest"], p["event_id"], p["role"]),
        )
        children = sorted((x for x in self.actors.values() if x["parent_actor_id"] == aid), key=lambda x: x["name_en"])
        ancestors, seen, up = [], {aid}, a["parent_actor_id"]
        while up and up in self.actors and up not in seen:  # a loop is the validator's to report, not ours to follow
            ancestors.insert(0, self.actors[up])
            seen.add(up)
            up = self.actors[up]["parent_actor_id"]
        return {
            "actor": a,
            "ancestors": ancestors,
            "children": children,
            "side": svg.SIDE_LABELS.get(a["side"], a["side"]),
            "parts": [{"part": p, "event": self.events[p["event_id"]]} for p in parts],
            "claimed": sorted({c["claim_id"] for c in self.tables["claims"] if c["claimant_actor_id"] == aid}),
            "claims": self.claims_for("actors", aid),
        }

    def place_page(self, pid: str) -> dict:
        p = self.places[pid]
        events = sorted(
            (e for e in self.events.values() if e["place_id"] == pid), key=lambda e: (e["date_earliest"], e["event_id"])
        )
        losses = [loss for loss in self.tables["equipment_losses"] if loss["place_id"] == pid]
        children = sorted((x for x in self.places.values() if x["parent_place_id"] == pid), key=lambda x: x["name_en"])
        ancestors, seen, up = [], {pid}, p["parent_place_id"]
        while up and up in self.places and up not in seen:
            ancestors.insert(0, self.places[up])
            seen.add(up)
            up = self.places[up]["parent_place_id"]
        distances = [d for d in self.tables["place_distances"] if pid in (d["place_id"], d["from_place_id"])]
        return {
            "place": p,
            "ancestors": ancestors,
            "children": children,
            "place_events": events,
            "losses": losses,
            "distances": distances,
            "claims": self.claims_for("places", pid),
        }

    def counts(self) -> dict:
        t = self.tables
        return {
            "articles": len(t["articles"]),
            "events": len(t["events"]),
            "happenings": len(self.reports),
            "actors": len(t["actors"]),
            "places": len(t["places"]),
            "claims": len(t["claims"]),
            "casualties": len(t["casualties"]),
            "equipment_losses": len(t["equipment_losses"]),
        }


def _environment():
    try:
        import jinja2
    except ImportError:
        raise SiteError("the site needs Jinja2: pip install 'libya-conflict[site]'") from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("libya_conflict.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = _day
    env.filters["num"] = lambda v: f"{v:g}" if isinstance(v, float) else str(v)
    env.filters["side_label"] = lambda s: svg.SIDE_LABELS.get(s, s)
    env.filters["human"] = lambda v: str(v).replace("_", " ") if v is not None else ""
    return env


def site_files(root: Path | None = None) -> dict[str, bytes]:
    """Every file of the explorer for the package in ``root`` (default: the bundled data), keyed by its
    path in the site, in sorted order."""
    from .. import __version__

    env = _environment()
    site = Site(root)
    common = {
        "version": __version__,
        "counts": site.counts(),
        "articles": site.articles,
        "actors": site.actors,
        "places": site.places,
        "events": site.events,
    }
    pages: dict[str, tuple[str, dict]] = {
        "index.html": (
            "home.html",
            {
                "rows": site.happening_rows(),
                "maps": site.maps(),
                "timeline": site.timeline(),
                "types": sch.vocabulary("events", "event_type"),
                "sides": [(s, svg.SIDE_LABELS[s]) for s in svg.SIDE_LABELS if s] + [("none", svg.SIDE_LABELS[None])],
                "colours": svg.SIDE_COLOURS,
                "labels": svg.SIDE_LABELS,
                "coverage": sch.package_metadata()["x-temporal-coverage"],
            },
        ),
    }
    for eid in sorted(site.events):
        pages[f"events/{eid}.html"] = ("event.html", site.event_page(eid))
    for aid in sorted(site.articles):
        pages[f"articles/{aid}.html"] = ("article.html", site.article_page(aid))
    for aid in sorted(site.actors):
        pages[f"actors/{aid}.html"] = ("actor.html", site.actor_page(aid))
    for pid in sorted(site.places):
        pages[f"places/{pid}.html"] = ("place.html", site.place_page(pid))
    files: dict[str, bytes] = {}
    for name, (template, data) in pages.items():
        files[name] = env.get_template(template).render(**common, **data, root="../" * name.count("/")).encode("utf-8")
    static = resources.files(__package__).joinpath("static")
    for name in ("style.css", "explorer.js"):
        files[f"static/{name}"] = static.joinpath(name).read_bytes()
    return dict(sorted(files.items()))


def build_site(out, root: Path | None = None) -> list[Path]:
    """Write the explorer into folder ``out`` (made if missing) from the package in ``root`` (default: the
    bundled data); return the files written, sorted. Files already in ``out`` that the site does not write
    are left alone."""
    files = site_files(root)
    out = Path(out)
    written = []
    try:
        for name, data in files.items():
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    except OSError as exc:
        raise SiteError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
    return written
