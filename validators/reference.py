"""The rule reference, docs/validation.md: every rule of the registry, the corruptions that prove it, and the
contradictions the data may hold on purpose. Written by ``libya-conflict build``, checked by ``build --check``."""

from __future__ import annotations

from .catalogue import CATALOGUE
from .registry import RULES

# Contradictions the schema can express that no rule rejects, each with why the project allows it (what, why).
ALLOWED_CONTRADICTIONS: list[tuple[str, str]] = [
    (
        "Reports of one happening (same_report_as) whose dates differ, or whose places, kinds, statuses or "
        "figures differ",
        "Dates, places and figures differ between reports and both are kept (docs/curation.md, 'What is an event'); "
        'rel-003-903 links the fall of Gharyan dated June 2019 in art-000 and "in July 2019" in art-003 '
        "(its row: 26 June to 31 July 2019).",
    ),
    (
        "Two distances for the same pair of places that disagree, or a stated distance or direction that the "
        "coordinates do not bear out",
        "place_distances records what each article states; disagreeing articles are both kept (art-000: Tarhuna "
        "90 km from Tripoli, art-001: 80 km), and coordinates are the curator's, only as good as geo_precision.",
    ),
    (
        "A place coded geo_precision site with a coord_uncertainty_km above 1",
        "site means 'within about 1 km': the schema sets no bound that a radius could break (al-Watiya air base "
        "is a site with 2 km).",
    ),
    (
        "An actor whose side differs from its parent's",
        "side mixes what an actor is (foreign, international) with whom it fights for: a foreign state's "
        "mercenaries or a journalist of a foreign outlet belong to a parent of another side.",
    ),
    (
        "A place whose country differs from its parent's, or a place in Libya marked outside the coverage",
        "country is free text and a region may span countries; the coverage is checked against its bounding box "
        "(row.coverage), which a Libyan place offshore may leave.",
    ),
    (
        "A batch counted in a running total of another event (or of an event not linked to it)",
        "A running total sums losses over days ('nine in three days'): art-001's batches of 20 May are counted in "
        "the three-day total of another event. What a total may not do is count what came after it "
        "(cross.total_date_order) or another actor's losses (cross.total_actor).",
    ),
    (
        "A batch whose category or status differs from its total's",
        "The vocabularies nest: a tank is an armoured vehicle is a vehicle, a drone is an aircraft, a drone "
        "shot down is destroyed.",
    ),
    (
        "A running total with no batch counted in it",
        "Articles state totals without their parts; is_total alone keeps them out of the sum.",
    ),
    (
        "Equipment losses of two reports of one happening, both counted by the sum over is_total = false",
        "The unit of counting is the happening: users collapse events over same_report_as first (README, "
        "'Counting happenings'); equipment_losses has no alternative_group to mark conflicting batches "
        "(rel-001-911: one Pantsir in art-000, three systems in art-001).",
    ),
    (
        "Casualties or losses in an event that is denied, failed or announced",
        "A denied event's figures are the claims being denied, a failed attempt can kill, and an announcement "
        "states figures; only a planned event has none yet (cross.planned_losses).",
    ),
    (
        "Casualty figures of one happening that give no number, outside an alternative_group",
        "A vague figure ('a large number') cannot be summed with another, so it cannot be counted twice.",
    ),
    (
        "Casualty rows of one alternative_group with an unknown and a known population",
        "unknown is a report that does not say who the people were, not other people; only combatants against "
        "civilians is two different things (cross.alternative_population).",
    ),
    (
        "An event dated outside the temporal coverage (2019-04-01 to 2020-06-30)",
        "Background events are recorded when the articles state them (x-temporal-coverage note).",
    ),
    (
        "A planned event dated before the article reporting it was published, or an ongoing event whose range "
        "ends before it",
        "An article may report a plan whose date has passed and not say what became of it; an ongoing event is "
        "dated by its start.",
    ),
    (
        "A time_of_day with a date range wider than a day",
        "The text may give the part of the day without the day ('one evening last week').",
    ),
    (
        "A part_of link whose event lies outside the dates of the campaign it is part of",
        "A campaign is often dated by its launch (the offensive of 4 April 2019), its parts by when they happened.",
    ),
    (
        "A part_of link between events that are also follows or response_to each other, or relations between "
        "reports of different articles other than same_report_as",
        "A campaign may be launched after, and because of, one of its first actions; articles relate their events "
        "to events other articles report.",
    ),
    (
        "A cycle of follows, response_to or withdrawal_from that closes only through same_report_as links",
        "Two articles may order the same happenings differently, as they date them differently; each article's "
        "own links are acyclic (cross.relation_cycle, cross.causal_cycle).",
    ),
    (
        "An event whose ID carries another article's number than the article its claims quote",
        "IDs are stable names, never changed (a corrected or merged row keeps its ID); the article of an event is "
        "the one its claims quote (cross.event_article).",
    ),
    (
        "A retired ID that does not follow its table's ID pattern",
        "IDs retired in earlier versions may follow an earlier naming scheme; the schema's pattern for retired "
        "IDs is deliberately general.",
    ),
    (
        "An event with status denied none of whose claims denies it",
        "The stance is each quote's: an article may quote the report with asserts and state the denial in words "
        "that support no record of their own.",
    ),
    (
        "A loss whose place_id is the event's place, or a supplier that takes no part in the event",
        "Giving the event's place again is redundant, not contradictory; a supplier (a state arming a side) is "
        "rarely at the event.",
    ),
    (
        "An unnamed source with no claimant, or a reports or alleges stance by a claimant",
        "The text may not say whose source it is (docs/curation.md: the claimant is the body a source is said to "
        "belong to, when it is said); the stance keeps the text's own hedging whoever speaks.",
    ),
]


# ------------------------------------------------------------------------------------ Documentation


EXIT_CODES = [
    (0, "valid: no problem found"),
    (1, "problems found: the report lists each with file and line, table, row, column, rule and message"),
    (
        2,
        "could not run: no such folder, or bad arguments (one line on stderr; with `--format json`, "
        '`{"valid": null, "error": ...}` on stdout)',
    ),
]


UNTRUSTED_INPUT = """\
## What the validator promises for untrusted input

`libya-conflict validate DIR` is meant to be run on folders nobody here wrote: a copy edited in a
spreadsheet, a contribution, a download. Whatever DIR holds:

- **Confinement.** It opens only regular files inside DIR: `datapackage.json`, `data/<table>.csv`,
  `data/parquet/<table>.parquet` and the article texts that `articles.path` names. Before a file is opened
  its path is checked: relative, not a URL, not climbing out with `..`, still inside DIR once every
  symbolic link is followed (a link to another file inside DIR is fine), and a regular file, not a folder,
  FIFO, device or socket. It is then opened without blocking and without following a link, and checked
  again. A path that fails is an `integrity.path` problem at its table, row and column, and nothing of the
  file is read or printed. A resource `path` in `datapackage.json` must be the table's own
  `data/<table>.csv`. (A hard link is a regular file of the folder like any other: it cannot be told from
  a copy, and is read.) `build`, `export`, `curate` and the loader open files the same way, and `build`
  never writes through a link.
- **No network.** Nothing is downloaded. A URL where a profile, `$schema`, file, schema or dialect would
  be fetched is an `integrity.url` problem; the specification check (frictionless) is given a copy of the
  descriptor without any of them, keeping only the Data Package v2 profiles frictionless carries itself.
  URLs that are only metadata (a licence's, a source's) are never opened.
- **Total.** Every input ends in a report (exit 1) or, when the command cannot run at all (no such folder),
  one line on stderr (exit 2); with `--format json` both are JSON on stdout (`{"valid": null, "error": ...}`
  for exit 2). Never a traceback, never a hang. A rule that fails on an input nobody foresaw is reported as
  `integrity.internal` (a fault of the validator: the package is then not called valid) and the other rules
  still run. `libya_conflict.validate()` returns a report for any content and raises only for misuse (a
  path that is not a path, or not a folder).
- **Which folder.** With no DIR it checks the current folder when it holds `datapackage.json`, else the
  bundled data; every report names the folder it checked.
- **Messages.** Reading problems name the file, the line and, where it can, the column, and say what to
  do (a file that is not UTF-8 is named as probably Windows-1256, Windows-1252, UTF-16 or binary; a
  `;`-separated file is named as such). One problem per cause: a cell not of its type is not also
  reported missing, a repeated key is reported once, at the repeat. A report shows at most 80 characters of
  a cell, escaped (control characters are never printed raw), and at most 40 of an article.
- **Limits.** Cells of any size are read; memory grows with the package (a million events, 7.5 million
  rows, validate within 3 GiB). There is no time limit, but nothing waits on a pipe, a lock of another
  program or a network. What it cannot promise: files changed by another program while it runs, and
  Parquet files crafted to exploit a fault of Arrow's reader (they are decoded by pyarrow).
- **Invisible characters.** Free-text cells may hold tabs and line breaks, and the characters Arabic text
  legitimately uses: the zero-width non-joiner and joiner (U+200C, U+200D), the left-to-right, right-to-left
  and Arabic letter marks (U+200E, U+200F, U+061C), the Arabic number and end-of-ayah signs (U+0600-U+0605,
  U+06DD, U+08E2) and the no-break spaces (U+00A0, U+202F) the articles use. Every other control or format
  character is refused (`column.control_characters`): C0 and C1 controls, DEL, the bidirectional
  embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a cell display other
  than what it holds, zero-width spaces, word joiners, byte-order marks, line and paragraph separators, the
  soft hyphen. Codes and vocabularies refuse them all through their patterns and allowed values. The
  article texts themselves are kept byte for byte and never judged; a quote (`claims.quote`, marked
  `verbatim` in its schema) is a copy of article text, so it is held to the article's bytes
  (`cross.claim_quote`) rather than judged for these characters.
"""


def validation_markdown() -> str:
    """docs/validation.md: every rule of the registry, what it checks, and the catalogued corruptions it must
    catch (written by ``libya-conflict build``, checked by ``build --check``)."""
    entries = {e.id: e for e in CATALOGUE}
    lines = [
        "# Validation",
        "",
        "<!-- Generated from the rule registry (validators/registry.py) and validators/catalogue/ by",
        "     `libya-conflict build`; do not edit by hand. -->",
        "",
        "`libya-conflict validate [DIR] [--format json|github]` checks the bundled data package, or an edited",
        "copy in DIR, against every rule below and reports every problem with its table, row (the record's ID,",
        "empty for a file-level problem), column, rule and message, and the file and line it is in: the line",
        "where its record starts, as a spreadsheet or an editor numbers it (a cell holding line breaks makes a",
        "record span several lines), or the header line for a problem about a whole table. `--format github`",
        "prints each problem as a GitHub Actions annotation on that file and line. All rule families run,",
        "whatever the others find. A `datapackage.json` in the Data Package v2 dialect this release writes and",
        "one in the v1 dialect of older releases are both accepted.",
        "",
        "## Exit codes of `libya-conflict validate`",
        "",
        "| exit code | meaning |",
        "|---|---|",
        *[f"| {code} | {meaning} |" for code, meaning in EXIT_CODES],
        "",
        UNTRUSTED_INPUT,
        "## Rules and the corruptions they catch",
        "",
        "Each corruption is an entry of the catalogue in `validators/catalogue/`. `libya-conflict scoreboard`",
        "applies each one to a copy of the bundled data and checks that the report names its rule at the",
        "corrupted row and column (`N caught, M missed`; exit 1 on a miss); the property tests apply each one",
        "to generated packages.",
        "",
    ]
    for family in ("column", "row", "cross", "integrity"):
        lines += [f"### `{family}.*`", "", "| rule | checks | corruptions caught |", "|---|---|---|"]
        for rule in sorted((r for r in RULES if r.family == family), key=lambda r: r.id):
            if rule.corruptions:
                what = "<br>".join(f"`{i}`: {entries[i].description}" for i in rule.corruptions)
            else:
                what = f"*none catalogued:* {rule.uncatalogued or 'no reason given'}"
            row = [f"`{rule.id}`", rule.description, what]
            lines.append("| " + " | ".join(c.replace("|", "&#124;") for c in row) + " |")
        lines.append("")
    lines += [
        "## What the data may say that looks like a contradiction",
        "",
        "Every table and relation of the schema was gone through for records that parse and whose keys "
        "resolve yet contradict themselves, each other or their vocabulary. Each such contradiction has a "
        "rule above; these are allowed, and why:",
        "",
        "| allowed | why |",
        "|---|---|",
    ]
    lines += ["| " + " | ".join(c.replace("|", "&#124;") for c in pair) + " |" for pair in ALLOWED_CONTRADICTIONS]
    lines.append("")
    return "\n".join(lines)


def documents() -> dict[str, str]:
    """The files ``libya-conflict build`` writes from the validator (path -> text): the rule reference.

    >>> sorted(documents())
    ['docs/validation.md']
    """
    return {"docs/validation.md": validation_markdown()}
