"""Our events in ACLED's column layout and vocabulary (only the vocabulary: no ACLED data is used).

>>> from libya_conflict.acled import acled_rows, write_acled_csv
>>> rows = acled_rows()                          # one dict per happening, ACLED's columns  # doctest: +SKIP
>>> write_acled_csv("libya-conflict-acled.csv")                                             # doctest: +SKIP

One row per happening: reports linked by ``same_report_as`` become one row, as ACLED codes one event per
happening. Events that were only announced, planned or denied are left out, and so, by default, are
events not located in Libya (``all_countries=True`` keeps them). The 31 columns are ACLED's, in its order,
and read back with its types (integers as integers), so that the file stacks under an ACLED download with
``pd.concat``. Every mapping is in ``docs/acled.md``; the choices below say why where the code alone
cannot.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import flat

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]

# What ACLED codes: things that happened (or were under way, or attempted). An announced withdrawal is not
# yet observed; its announcement is an event of its own and is kept.
KEPT_STATUSES = ("occurred", "ongoing", "failed")

DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# Sub-event types whose disorder type differs from their event type's.
DISORDER_BY_SUB_EVENT = {
    "Mob violence": "Political violence",
    "Excessive force against protesters": "Political violence; Demonstrations",
}

# Actor 1 is the actor that acts; actor 2 the one acted upon or met. Roles in order of preference.
ACTOR1_ROLES = ["attacker", "side_a", "announcer", "visitor", "participant", "subject"]
ACTOR2_ROLES = ["target", "side_b", "host"]

# ACLED's inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces. The GNA is the recognised government
# (as in docs/curation.md: its gains are "Government regains territory"), so its forces and bodies are 1
# and Haftar's are 2. ACLED's own coding of these actors may differ.
STATE_LIKE = {
    "armed_forces",
    "military_unit",
    "military_operation",
    "operations_room",
    "government",
    "government_body",
    "political_body",
}
INTER_BY_TYPE = {"armed_group": 3, "council": 3, "tribal_group": 4, "civilian_population": 7}

GEO_PRECISION = {"site": 1, "centroid_town": 1, "approximate": 2, "centroid_region": 3}
# ACLED's labels of the inter codes (its files since 2024 spell them out; the numbers stay behind a flag).
INTER_LABELS = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
# Countries as ACLED names and places them: ISO 3166 alpha-3 (the prefix of its IDs), numeric code, region.
COUNTRIES = {
    "Libya": ("LBY", 434, "Northern Africa"),
    "Egypt": ("EGY", 818, "Northern Africa"),
    "Tunisia": ("TUN", 788, "Northern Africa"),
    "Algeria": ("DZA", 12, "Northern Africa"),
    "Turkey": ("TUR", 792, "Middle East"),
    "United Arab Emirates": ("ARE", 784, "Middle East"),
    "Qatar": ("QAT", 634, "Middle East"),
    "Syria": ("SYR", 760, "Middle East"),
    "Jordan": ("JOR", 400, "Middle East"),
    "Saudi Arabia": ("SAU", 682, "Middle East"),
    "Russia": ("RUS", 643, "Europe"),
    "Italy": ("ITA", 380, "Europe"),
    "France": ("FRA", 250, "Europe"),
    "Germany": ("DEU", 276, "Europe"),
    "Greece": ("GRC", 300, "Europe"),
    "Malta": ("MLT", 470, "Europe"),
}
HOME = "Libya"
# ACLED's event IDs are a country's three letters and digits only (LBY1234). Ours put the letters "LC"
# between the two (LBYLC3002020 for ev-002-020): shaped like ACLED's, they can never be one of its IDs.
ID_MARK = "LC"

# ACLED's source_scale of the outlets and agencies the articles name.
SOURCE_SCALE = {"Al Jazeera": "International", "Anadolu Agency": "International", "Al-Khaleej Al-Jadeed": "Regional"}


def inter_code(actor: dict) -> int:
    """ACLED inter code of an (organisation) actor.

    >>> inter_code({"actor_type": "armed_forces", "side": "lna_aligned"})
    2
    """
    if actor["actor_type"] in STATE_LIKE:
        return {"gna_aligned": 1, "lna_aligned": 2}.get(actor["side"], 8)
    if actor["actor_type"] == "person":
        return {"gna_aligned": 1, "lna_aligned": 2, "neutral_unknown": 7}.get(actor["side"], 8)
    return INTER_BY_TYPE.get(actor["actor_type"], 8)


def organisation(actor_id: str, actors: dict) -> dict:
    """The actor ACLED would name: a person stands for the nearest body above them (ACLED names groups)."""
    actor = actors[actor_id]
    seen = set()
    while actor["actor_type"] == "person" and actor["parent_actor_id"] and actor["actor_id"] not in seen:
        seen.add(actor["actor_id"])
        actor = actors[actor["parent_actor_id"]]
    return actor


def time_precision(earliest: dt.date, latest: dt.date) -> tuple[dt.date, int]:
    """(event_date, time_precision): the day when known (1); else the middle of the range, 2 within a week
    and 3 beyond.

    >>> time_precision(dt.date(2020, 5, 18), dt.date(2020, 5, 20))
    (datetime.date(2020, 5, 19), 2)
    """
    span = (latest - earliest).days
    middle = earliest + dt.timedelta(days=span // 2)
    return middle, 1 if span == 0 else 2 if span < 7 else 3


def _actors_by_role(participants: list[dict], actors: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in participants:
        org = organisation(p["actor_id"], actors)
        names = out.setdefault(p["role"], [])
        if org not in names:
            names.append(org)
    return out


def _pick(by_role: dict, roles: list[str], exclude: list[dict]) -> tuple[dict | None, list[dict]]:
    for role in roles:
        candidates = [a for a in by_role.get(role, []) if a not in exclude]
        if candidates:
            return candidates[0], candidates[1:]
    return None, []


def _representative(reports: list[dict]) -> dict:
    # The report that dates the happening most narrowly; the first such report in ID order on a tie.
    return min(reports, key=lambda r: ((r["date_latest"] - r["date_earliest"]).days, r["event_id"]))


def acled_id(happening_id: str, country: str | None) -> str:
    """The ACLED-style ID of a happening: the country's three letters, ``LC``, then the digits of our ID
    behind the number of digits of its article part, so that no two of our IDs give the same text
    (``ev-002-020`` in Libya is ``LBYLC3002020``; a country ACLED's list here lacks is ``XXX``).

    >>> acled_id("ev-002-020", "Libya"), acled_id("ev-1234-005", None)
    ('LBYLC3002020', 'XXXLC41234005')
    """
    article, number = happening_id.split("-")[1:]
    prefix = COUNTRIES.get(country, ("XXX",))[0]
    return f"{prefix}{ID_MARK}{len(article)}{article}{number}"


def interaction_label(inter1: int | None, inter2: int | None) -> str | None:
    """ACLED's interaction in words: the two actor types, lowest code first, or one type "only".

    >>> interaction_label(2, 1), interaction_label(7, None)
    ('State forces-Rebel group', 'Civilians only')
    """
    if inter1 is None:
        return None
    if inter2 is None:
        return f"{INTER_LABELS[inter1]} only"
    low, high = sorted((inter1, inter2))
    return f"{INTER_LABELS[low]}-{INTER_LABELS[high]}"


def located(place_id: str | None, places: dict) -> dict:
    """Where ACLED would put an event at ``place_id``: its country, the first-level area (its own, else
    its nearest enclosing place's), and coordinates; a place without coordinates takes its nearest
    enclosing place's, at ACLED's regional precision (3)."""
    place = places.get(place_id)
    if place is None:
        return {"country": None, "admin1": None, "latitude": None, "longitude": None, "geo_precision": None}
    chain, seen = [place], {place["place_id"]}
    while chain[-1]["parent_place_id"] in places and chain[-1]["parent_place_id"] not in seen:
        seen.add(chain[-1]["parent_place_id"])
        chain.append(places[chain[-1]["parent_place_id"]])
    admin1 = next((p["admin1"] for p in chain if p["admin1"]), None)
    with_coordinates = next((p for p in chain if p["latitude"] is not None and p["longitude"] is not None), None)
    precision = None
    if with_coordinates is not None:
        precision = GEO_PRECISION.get(with_coordinates["geo_precision"])
        if with_coordinates is not place:
            precision = 3
    return {
        "country": place["country"],
        "admin1": admin1,
        "latitude": with_coordinates["latitude"] if with_coordinates else None,
        "longitude": with_coordinates["longitude"] if with_coordinates else None,
        "geo_precision": precision,
    }


def release_timestamp(root: Path | None = None) -> int:
    """ACLED's ``timestamp`` (when a row was last changed, in Unix seconds): the release date's midnight UTC."""
    from . import schema as sch

    released = dt.date.fromisoformat(sch.package_metadata(root)["released"])
    return int(dt.datetime(released.year, released.month, released.day, tzinfo=dt.timezone.utc).timestamp())


def acled_rows(
    tables: dict[str, list[dict]] | None = None,
    *,
    all_countries: bool = False,
    inter_codes: bool = False,
    timestamp: int | None = None,
) -> list[dict]:
    """One ACLED-style row per happening, in event_date then event_id_cnty order.

    By default only happenings located in Libya; ``all_countries`` keeps those elsewhere and those the
    articles do not place. ``inter_codes``: inter1, inter2 and interaction as ACLED's former numbers
    (1..8, 12...) rather than its labels. ``timestamp``: default the release date's
    (:func:`release_timestamp`)."""
    tables = tables if tables is not None else flat.read_rows()
    timestamp = release_timestamp() if timestamp is None else timestamp
    _, flat_rows = flat.events_flat(tables)
    actors = {a["actor_id"]: a for a in tables["actors"]}
    articles = {a["article_id"]: a for a in tables["articles"]}
    places = {p["place_id"]: p for p in tables["places"]}
    participants: dict[str, list[dict]] = {}
    for p in tables["event_actors"]:
        participants.setdefault(p["event_id"], []).append(p)
    casualty_texts: dict[str, list[str]] = {}
    for c in tables["casualties"]:
        if c["category"] == "killed" and flat.casualty_figure(c) is None:
            casualty_texts.setdefault(c["event_id"], []).append(c["quantity_text_en"] or "number not given")

    happenings: dict[str, list[dict]] = {}
    for row in flat_rows:
        if row["status"] in KEPT_STATUSES:
            happenings.setdefault(row["happening_id"], []).append(row)

    out = []
    for happening_id, reports in happenings.items():
        rep = _representative(reports)
        where = located(rep["place_id"], places)
        if not all_countries and where["country"] != HOME:
            continue
        event_date, precision = time_precision(rep["date_earliest"], rep["date_latest"])
        by_role = _actors_by_role(participants.get(rep["event_id"], []), actors)
        actor1, assoc1 = _pick(by_role, ACTOR1_ROLES, [])
        actor2, assoc2 = _pick(by_role, ACTOR2_ROLES, [actor1])
        if actor2 is None and assoc1:
            # Two actors in one role (the two sides of a meeting, say): the second is actor 2.
            actor2, assoc1 = assoc1[0], assoc1[1:]
        if actor1 is None:
            # Only a target is named. ACLED's actor 1 and 2 carry no direction, and actor 1 comes first.
            actor1, assoc1, actor2, assoc2 = actor2, assoc2, None, []
        inter1 = inter_code(actor1) if actor1 else None
        inter2 = inter_code(actor2) if actor2 else None
        if inter1 is None:
            interaction = None
        elif inter2 is None:
            interaction = inter1 * 10
        else:
            interaction = min(inter1, inter2) * 10 + max(inter1, inter2)

        sources, scales = [], []
        for report in sorted(reports, key=lambda r: r["event_id"]):
            article = articles[report["article_id"]]
            names = [article["outlet"] or f"unidentified outlet ({article['article_id']})"]
            names += [w.strip() for w in (article["wire_sources"] or "").split("|") if w.strip()]
            for name in names:
                if name not in sources:
                    sources.append(name)
                scale = SOURCE_SCALE.get(name, "Other")
                if scale not in scales:
                    scales.append(scale)

        killed = [r["killed"] for r in reports if r["killed"] is not None]
        notes = [rep["description_en"]]
        if rep["status"] != "occurred":
            notes.append(f"Status: {rep['status']}.")
        vague = [t for r in reports for t in casualty_texts.get(r["event_id"], [])]
        if vague:
            notes.append("Fatalities reported without a number: " + "; ".join(vague) + ".")
        if len({r["killed"] for r in reports if r["killed"] is not None}) > 1:
            notes.append("Reports differ on fatalities; the lowest figure is coded.")
        notes.append(
            "Reports: "
            + ", ".join(f"{r['event_id']} ({r['article_id']})" for r in sorted(reports, key=lambda r: r["event_id"]))
            + "."
        )
        country = COUNTRIES.get(where["country"])
        targets_civilians = rep["event_type"] == "Violence against civilians" or inter2 == 7
        out.append(
            {
                "event_id_cnty": acled_id(happening_id, where["country"]),
                "event_date": event_date,
                "year": event_date.year,
                "time_precision": precision,
                "disorder_type": DISORDER_BY_SUB_EVENT.get(rep["sub_event_type"], DISORDER[rep["event_type"]]),
                "event_type": rep["event_type"],
                "sub_event_type": rep["sub_event_type"],
                "actor1": actor1["name_en"] if actor1 else None,
                "assoc_actor_1": "; ".join(a["name_en"] for a in assoc1) or None,
                "inter1": inter1 if inter_codes else INTER_LABELS.get(inter1),
                "actor2": actor2["name_en"] if actor2 else None,
                "assoc_actor_2": "; ".join(a["name_en"] for a in assoc2) or None,
                "inter2": inter2 if inter_codes else INTER_LABELS.get(inter2),
                "interaction": interaction if inter_codes else interaction_label(inter1, inter2),
                "civilian_targeting": "Civilian targeting" if targets_civilians else None,
                "iso": country[1] if country else None,
                "region": country[2] if country else None,
                "country": where["country"],
                "admin1": where["admin1"],
                # The data holds no municipality (ACLED's admin2 in Libya) or lower level: never guessed.
                "admin2": None,
                "admin3": None,
                "location": places[rep["place_id"]]["name_en"] if rep["place_id"] in places else None,
                "latitude": where["latitude"],
                "longitude": where["longitude"],
                "geo_precision": where["geo_precision"],
                "source": "; ".join(sources),
                "source_scale": "-".join(scales),
                "notes": " ".join(notes),
                # ACLED's conservative rule: the lowest figure the reports give; no number reported is 0.
                "fatalities": min(killed) if killed else 0,
                "tags": None,
                "timestamp": timestamp,
                "happening_id": happening_id,  # not a column: which of our happenings the row is
            }
        )
    return sorted(out, key=lambda r: (r["event_date"], r["event_id_cnty"]))


def acled_csv_bytes(
    tables: dict[str, list[dict]] | None = None, *, all_countries: bool = False, inter_codes: bool = False
) -> bytes:
    """The ACLED-style table as UTF-8 CSV (dates ISO, empty cells for missing values, formula-like text
    behind an apostrophe: the file is meant for spreadsheets too)."""
    from .csvfiles import neutralised
    from .tables import write_csv

    def text(value):
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else neutralised(str(value))

    rows = acled_rows(tables, all_countries=all_countries, inter_codes=inter_codes)
    return write_csv(None, COLUMNS, [[text(row[c]) for c in COLUMNS] for row in rows])


def write_acled_csv(path, root: Path | None = None, *, all_countries: bool = False, inter_codes: bool = False) -> Path:
    """Write the ACLED-style CSV to ``path``; return the path."""
    path = Path(path)
    path.write_bytes(acled_csv_bytes(flat.read_rows(root), all_countries=all_countries, inter_codes=inter_codes))
    return path
