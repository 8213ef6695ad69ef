"""The clauses of every rule, each with a targeted mutation that breaks it (read by ``mutate_clauses.py``).

A clause is a separate condition that can produce a problem: each call that reports (``report.add``,
``_report_rows``, ``_add_rows``, ``_report``), each disjunct of a mask that ORs conditions, each bound (a
minimum and a maximum apart), each branch of a vocabulary that decides what is checked (a precision, a
relation, a table, a pair of roles). A set of values a rule looks values up in (``STRIKE_METHODS``,
``EVENT_KIND_TYPES``, ``WITHDRAWN_FROM_KINDS``...) is the rule's data, one clause with the lookup, not one
per member.

Each mutation is ``M(file, rule, clause, old, new)``: in ``validators/<file>``, the exact source ``old``
(found exactly once) is replaced by ``new``, which makes the clause report nothing. A new clause gets a line
here, next to the others of its rule (CONTRIBUTING.md, "Add a rule").

Rules with no clause in the rule modules are listed in ``ELSEWHERE`` with where their clauses are.
"""

from __future__ import annotations

from typing import NamedTuple


class M(NamedTuple):
    """One targeted mutation: in ``validators/<file>``, ``old`` (exactly once) becomes ``new``."""

    file: str
    rule: str
    clause: str
    old: str
    new: str


NEVER = " & False"  # appended to a mask: it selects no row

# The mutation that must be killed before any other counts: if it survives, the copy is not what runs.
SANITY = M(
    "report.py",
    "row.date_order",
    "sanity: no rule reporting through report_rows reports anything",
    "    for i in rows:\n        report.add(table, package.row_key(table, int(i)), column, rule, message(int(i)))",
    "    for i in rows[:0]:\n        report.add(table, package.row_key(table, int(i)), column, rule, message(int(i)))",
)

_DATE_SKIP = "if f is None or lo not in f or hi not in f:"
_PRECISION_SKIP = "if f is None or not {lo, hi, prec} <= set(f.columns):"

MUTATIONS: list[M] = [
    # ---------------------------------------------------------------- columns.py (pandera checks)
    M(
        "columns.py",
        "column.required",
        "a required cell is present",
        'nullable=not c.get("required", False),',
        "nullable=True,",
    ),
    M(
        "columns.py",
        "column.unique",
        "no value twice",
        'checks.append(pa.Check(unique_values, name="column.unique"))',
        "pass",
    ),
    M(
        "columns.py",
        "column.enum",
        "in the vocabulary",
        'checks.append(pa.Check.isin(c["enum"], name="column.enum"))',
        "pass",
    ),
    M(
        "columns.py",
        "column.pattern",
        "matches the pattern",
        'checks.append(pa.Check.str_matches(c["pattern"], name="column.pattern"))',
        "pass",
    ),
    M("columns.py", "column.range", "minimum", 'checks.append(pa.Check.ge(c["minimum"], name="column.range"))', "pass"),
    M("columns.py", "column.range", "maximum", 'checks.append(pa.Check.le(c["maximum"], name="column.range"))', "pass"),
    M(
        "columns.py",
        "column.control_characters",
        "no control character in free text",
        "lambda s: exact_on(s, control_candidates(s), lambda c: c.map(lambda v: CONTROL.search(v) is None)),",
        "lambda s: s.notna() | s.isna(),",
    ),
    M(
        "columns.py",
        "column.whitespace",
        "no edge whitespace",
        "lambda s: exact_on(s, edge_whitespace_candidates(s), lambda c: c.str.strip() == c),",
        "lambda s: s.notna() | s.isna(),",
    ),
    M(
        "columns.py",
        "column.formula",
        "no formula start",
        "lambda s: exact_on(s, formula_candidates(s), lambda c: c.str.match(PLAIN_NUMBER)), name=",
        "lambda s: s.notna() | s.isna(), name=",
    ),
    M(
        "columns.py",
        "column.script_arabic",
        "Arabic column holds Arabic",
        "lambda s: exact_on(s, ~arabic_block_rows(s), lambda c: c.str.contains(ARABIC)),",
        "lambda s: s.notna() | s.isna(),",
    ),
    M(
        "columns.py",
        "column.mojibake",
        "no mojibake",
        'checks.append(pa.Check(lambda s: ~column_mojibake(s), name="column.mojibake"))',
        "pass",
    ),
    M(
        "columns.py",
        "column.script_latin",
        "English column holds no Arabic",
        "lambda s: exact_on(s, non_ascii(s), lambda c: ~c.str.contains(ARABIC)), name=",
        "lambda s: s.notna() | s.isna(), name=",
    ),
    M(
        "columns.py",
        "column.ascii_digits",
        "ASCII digits in codes",
        "lambda s: exact_on(s, non_ascii(s), lambda c: ~c.str.contains(NON_ASCII_DIGIT)),",
        "lambda s: s.notna() | s.isna(),",
    ),
    M(
        "columns.py",
        "integrity.schema_mismatch",
        "the CSV header is the schema's",
        "    if header != expected:\n        missing =",
        "    if False:\n        missing =",
    ),
    # ---------------------------------------------------------------- rows.py
    M("rows.py", "row.date_order", "events", _DATE_SKIP, _DATE_SKIP[:-1] + ' or table == "events":'),
    M("rows.py", "row.date_order", "articles", _DATE_SKIP, _DATE_SKIP[:-1] + ' or table == "articles":'),
    M("rows.py", "row.date_precision", "events", _PRECISION_SKIP, _PRECISION_SKIP[:-1] + ' or table == "events":'),
    M("rows.py", "row.date_precision", "articles", _PRECISION_SKIP, _PRECISION_SKIP[:-1] + ' or table == "articles":'),
    M(
        "rows.py",
        "row.date_precision",
        "day is one day",
        'ok = ok.mask(p == "day", days == 0)',
        'ok = ok.mask(p == "day", True)',
    ),
    M("rows.py", "row.date_precision", "week: at least 2 days", "days.between(1, 6)", "(days <= 6)"),
    M("rows.py", "row.date_precision", "week: at most 7 days", "days.between(1, 6)", "(days >= 1)"),
    M(
        "rows.py",
        "row.date_precision",
        "month is a whole month",
        'ok = ok.mask(p == "month", month_ok)',
        'ok = ok.mask(p == "month", True)',
    ),
    M(
        "rows.py",
        "row.date_precision",
        "year is a whole year",
        'ok = ok.mask(p == "year", year_ok)',
        'ok = ok.mask(p == "year", True)',
    ),
    M(
        "rows.py",
        "row.date_precision",
        "range is wider than a day",
        'ok = ok.mask(p == "range", days >= 1)',
        'ok = ok.mask(p == "range", True)',
    ),
    M(
        "rows.py",
        "row.count_order",
        "low <= best",
        "bad = (lo > best) | (best > hi) | (lo > hi)",
        "bad = (best > hi) | (lo > hi)",
    ),
    M(
        "rows.py",
        "row.count_order",
        "best <= high",
        "bad = (lo > best) | (best > hi) | (lo > hi)",
        "bad = (lo > best) | (lo > hi)",
    ),
    M(
        "rows.py",
        "row.count_order",
        "low <= high (no best)",
        "bad = (lo > best) | (best > hi) | (lo > hi)",
        "bad = (lo > best) | (best > hi)",
    ),
    M(
        "rows.py",
        "row.distance_order",
        "distance_km <= distance_km_high",
        'bad = f["distance_km"] > f["distance_km_high"]',
        'bad = (f["distance_km"] > f["distance_km_high"])' + NEVER,
    ),
    M("rows.py", "row.sub_event_type", "sub-event type of its type", "    bad = ~ok\n", "    bad = ~ok" + NEVER + "\n"),
    M(
        "rows.py",
        "row.coverage",
        "inside the bbox when in_coverage",
        "bad = claims_inside & has_coords & ~inside.fillna(False).astype(bool)",
        "bad = claims_inside & has_coords & ~inside.fillna(False).astype(bool)" + NEVER,
    ),
    M("rows.py", "row.coverage", "bbox: south edge", "lat.between(bbox[1], bbox[3])", "(lat <= bbox[3])"),
    M("rows.py", "row.coverage", "bbox: north edge", "lat.between(bbox[1], bbox[3])", "(lat >= bbox[1])"),
    M("rows.py", "row.coverage", "bbox: west edge", "lon.between(bbox[0], bbox[2])", "(lon <= bbox[2])"),
    M("rows.py", "row.coverage", "bbox: east edge", "lon.between(bbox[0], bbox[2])", "(lon >= bbox[0])"),
    M(
        "rows.py",
        "row.coverage",
        "outside the coverage needs a note",
        'unexplained = ~claims_inside & f["coverage_note"].isna()',
        'unexplained = ~claims_inside & f["coverage_note"].isna()' + NEVER,
    ),
    M(
        "rows.py",
        "row.coordinates",
        "half a pair",
        "half = lat.isna() != lon.isna()",
        "half = (lat.isna() != lon.isna())" + NEVER,
    ),
    M(
        "rows.py",
        "row.coordinates",
        "precision none with coordinates",
        "mismatch = (none & has_coords) | (~none.fillna(False).astype(bool) & ~has_coords)",
        "mismatch = ~none.fillna(False).astype(bool) & ~has_coords",
    ),
    M(
        "rows.py",
        "row.coordinates",
        "a precision without coordinates",
        "mismatch = (none & has_coords) | (~none.fillna(False).astype(bool) & ~has_coords)",
        "mismatch = none & has_coords",
    ),
    M(
        "rows.py",
        "row.claim_span",
        "span = quote length",
        'bad = span != f["quote"].str.len()',
        'bad = (span != f["quote"].str.len())' + NEVER,
    ),
    M(
        "rows.py",
        "row.total_flags",
        "a total has a quantity",
        'bad = f["is_total"].fillna(False).astype(bool) & f["quantity"].isna()',
        'bad = f["is_total"].fillna(False).astype(bool) & f["quantity"].isna()' + NEVER,
    ),
    M(
        "rows.py",
        "row.backs_side",
        "only foreign actors back a side",
        '& ~is_one_of(f["side"], {"foreign"})',
        "& False",
    ),
    M(
        "rows.py",
        "row.person_title",
        "only a person has a title",
        '& ~is_one_of(f["actor_type"], {"person"})',
        "& False",
    ),
    M(
        "rows.py",
        "row.coordinate_uncertainty",
        "no uncertainty without coordinates",
        'bad = f["coord_uncertainty_km"].notna() & f["latitude"].isna() & f["longitude"].isna()',
        'bad = f["coord_uncertainty_km"].notna() & f["latitude"].isna() & f["longitude"].isna()' + NEVER,
    ),
    M("rows.py", "row.coverage_country", "in coverage means in Libya", '& ~is_one_of(f["country"], {name})', "& False"),
    M(
        "rows.py",
        "row.distance_self",
        "not from itself",
        'bad = f["place_id"] == f["from_place_id"]',
        'bad = (f["place_id"] == f["from_place_id"])' + NEVER,
    ),
    M(
        "rows.py",
        "row.event_kind",
        "the kind's ACLED codes",
        'ok[coded] = fits[kind_at[coded], at("event_type", types), at("sub_event_type", subs)]',
        "ok[coded] = True",
    ),
    M(
        "rows.py",
        "row.loss_status",
        "only airborne things are shot down",
        'grounded = is_one_of(status, {"shot_down"}) & known(category) & ~is_one_of(category, AIRBORNE_CATEGORIES)',
        'grounded = is_one_of(status, {"shot_down"}) & known(category) & ~is_one_of(category, AIRBORNE_CATEGORIES)'
        + NEVER,
    ),
    M(
        "rows.py",
        "row.loss_status",
        "strikes never capture",
        'struck = is_one_of(status, {"captured"}) & is_one_of(method, STRIKE_METHODS)',
        'struck = is_one_of(status, {"captured"}) & is_one_of(method, STRIKE_METHODS)' + NEVER,
    ),
    M(
        "rows.py",
        "row.loss_status",
        "ground capture captures or abandons",
        'taken = is_one_of(method, {"ground_capture"}) & known(status) & ~is_one_of(status, CAPTURE_STATUSES)',
        'taken = is_one_of(method, {"ground_capture"}) & known(status) & ~is_one_of(status, CAPTURE_STATUSES)' + NEVER,
    ),
    M(
        "rows.py",
        "row.quantity_text",
        "no words beside a count",
        'bad = f["quantity_text_en"].notna() & counted',
        'bad = f["quantity_text_en"].notna() & counted' + NEVER,
    ),
    M(
        "rows.py",
        "row.self_supplied",
        "not supplied by itself",
        'bad = f["supplied_by_actor_id"] == f["lost_by_actor_id"]',
        'bad = (f["supplied_by_actor_id"] == f["lost_by_actor_id"])' + NEVER,
    ),
    M(
        "rows.py",
        "row.claim_source",
        "outlet has no claimant",
        'equals(kind, "outlet") & named,',
        'equals(kind, "outlet") & named' + NEVER + ",",
    ),
    M(
        "rows.py",
        "row.claim_source",
        "named official has a claimant",
        "named_officials(package) & ~named,",
        "named_officials(package) & ~named" + NEVER + ",",
    ),
    M(
        "rows.py",
        "row.coordinates_country",
        "within the country's outline",
        "bad[rows] = away[rows] > slack[rows] + geo.resolution_km(name)",
        "bad[rows] = False",
    ),
    M(
        "rows.py",
        "row.outlet_stance",
        "outlet narration never 'reports'",
        'equals(f["source_kind"], "outlet") & equals(f["stance"], "reports"),',
        'equals(f["source_kind"], "outlet") & equals(f["stance"], "reports")' + NEVER + ",",
    ),
    # ---------------------------------------------------------------- cross.py
    M(
        "cross.py",
        "cross.foreign_key",
        "every key resolves",
        "dangling = joins.dangling(package, table, column, target_table, target_column)",
        "dangling = []",
    ),
    M(
        "cross.py",
        "integrity.path",
        "an article path out of the folder",
        '        unsafe,\n        "path",\n        "integrity.path",',
        "        unsafe" + NEVER + ',\n        "path",\n        "integrity.path",',
    ),
    M(
        "cross.py",
        "cross.article_file",
        "the file exists",
        "known & ~present & ~unsafe,",
        "known & ~present & ~unsafe" + NEVER + ",",
    ),
    M("cross.py", "cross.article_file", "the file is UTF-8", "present & ~utf8,", "present & ~utf8" + NEVER + ","),
    M(
        "cross.py",
        "cross.article_hash",
        "sha256",
        'changed = present & (f["sha256"].notna() & (digest != f["sha256"])).fillna(False).to_numpy(dtype=bool)',
        'changed = present & (f["sha256"].notna() & (digest != f["sha256"])).fillna(False).to_numpy(dtype=bool)'
        + NEVER,
    ),
    M(
        "cross.py",
        "cross.article_hash",
        "bytes",
        'resized = present & (f["bytes"].notna() & (size != f["bytes"])).fillna(False).to_numpy(dtype=bool)',
        'resized = present & (f["bytes"].notna() & (size != f["bytes"])).fillna(False).to_numpy(dtype=bool)' + NEVER,
    ),
    M(
        "cross.py",
        "cross.claim_quote",
        "the quote is the article's text",
        "        if found != quote:\n",
        "        if False:\n",
    ),
    M(
        "cross.py",
        "cross.claim_record",
        "the claimed record exists",
        "rows = [joins.claims_without_record(package, table, sch.primary_key(table)) for table in named]",
        "rows = []",
    ),
    M(
        "cross.py",
        "cross.record_has_claim",
        "every record has a claim",
        "joins.records_without_claim(package, table, pk),",
        "[],",
    ),
    *(
        M(
            "cross.py",
            "cross.relation_date_order",
            relation,
            'bad = rel["relation"].isin(ORDERED_RELATIONS)',
            f'bad = rel["relation"].isin([r for r in ORDERED_RELATIONS if r != "{relation}"])',
        )
        for relation in ("withdrawal_from", "response_to", "follows")
    ),
    M(
        "cross.py",
        "cross.self_relation",
        "no event relates to itself",
        'bad = rel["event_id"] == rel["related_event_id"]',
        'bad = (rel["event_id"] == rel["related_event_id"])' + NEVER,
    ),
    *(
        M(
            "cross.py",
            "cross.relation_cycle",
            relation,
            "for relation in ACYCLIC_RELATIONS:",
            f'for relation in [r for r in ACYCLIC_RELATIONS if r != "{relation}"]:',
        )
        for relation in ("follows", "part_of")
    ),
    *(
        M("cross.py", "cross.alternative_group", clause, "bad = single | category | actor | event", "bad = " + rest)
        for clause, rest in (
            ("a group has two rows", "category | actor | event"),
            ("one category", "single | actor | event"),
            ("one actor", "single | category | event"),
            ("one event (or same_report_as)", "single | category | actor"),
        )
    ),
    M(
        "cross.py",
        "cross.total_parts",
        "a total_loss_id names a total",
        "        not_total,\n",
        "        not_total" + NEVER + ",\n",
    ),
    M(
        "cross.py",
        "cross.total_parts",
        "a total is at least its parts",
        "for k in np.flatnonzero(over):",
        "for k in np.flatnonzero(over)[:0]:",
    ),
    M(
        "cross.py",
        "cross.dated_after_publication",
        "not dated after its articles",
        'bad = (events["date_earliest"] > latest_pub) & ~events["status"].isin(FUTURE_STATUSES)',
        'bad = (events["date_earliest"] > latest_pub) & ~events["status"].isin(FUTURE_STATUSES)' + NEVER,
    ),
    # ---------------------------------------------------------------- contradictions.py
    M(
        "contradictions.py",
        "cross.conflicting_figures",
        "two figures of one event",
        'pairs = [twice.merge(twice, on=["event", "who"])]',
        'pairs = [twice.merge(twice, on=["event", "who"]).iloc[:0]]',
    ),
    M(
        "contradictions.py",
        "cross.conflicting_figures",
        "figures of reports linked as same_report_as",
        "        if linked.any():\n",
        "        if False:\n",
    ),
    *(
        M(
            "contradictions.py",
            "cross.hierarchy_cycle",
            table,
            'for table, key, parent in (("actors", "actor_id", "parent_actor_id"), ("places", "place_id", "parent_place_id")):',
            f'for table, key, parent in [t for t in (("actors", "actor_id", "parent_actor_id"), ("places", "place_id", "parent_place_id")) if t[0] != "{table}"]:',
        )
        for table in ("actors", "places")
    ),
    M(
        "contradictions.py",
        "cross.parent_place_coverage",
        "abroad not inside Libya",
        "bad = outside & (parent >= 0) & inside[np.maximum(parent, 0)]",
        "bad = outside & (parent >= 0) & inside[np.maximum(parent, 0)]" + NEVER,
    ),
    M(
        "contradictions.py",
        "cross.total_cycle",
        "no total counted in itself",
        'following = positions(f["total_loss_id"], f["loss_id"])\n    looping = np.flatnonzero(loops(following))',
        'following = positions(f["total_loss_id"], f["loss_id"])\n    looping = np.flatnonzero(loops(following))[:0]',
    ),
    M(
        "contradictions.py",
        "cross.total_actor",
        "one actor's losses",
        "bad = counted[known & ~same]",
        "bad = counted[known & ~same][:0]",
    ),
    M(
        "contradictions.py",
        "cross.total_date_order",
        "nothing after the total",
        "bad = counted[begins > total_ends]",
        "bad = counted[begins > total_ends][:0]",
    ),
    M(
        "contradictions.py",
        "cross.event_article",
        "one article per event",
        "bad = (first >= 0) & (first != last)",
        "bad = (first >= 0) & (first != last)" + NEVER,
    ),
    M(
        "contradictions.py",
        "cross.same_report_article",
        "a link within one article",
        'bad = _in(rel["relation"], {"same_report_as"}) & (a != b) & _same_article(first, stats["last"], a, b)',
        'bad = _in(rel["relation"], {"same_report_as"}) & (a != b) & _same_article(first, stats["last"], a, b)' + NEVER,
    ),
    M(
        "contradictions.py",
        "cross.same_report_article",
        "through other reports",
        "again = np.flatnonzero(known & (partner != np.arange(len(events))))",
        "again = np.flatnonzero(known & (partner != np.arange(len(events))))[:0]",
    ),
    *(
        M(
            "contradictions.py",
            "cross.claim_article",
            table,
            "if f is None or not len(at_claims):",
            f'if f is None or not len(at_claims) or table == "{table}":',
        )
        for table in ("event_actors", "casualties", "equipment_losses", "event_relations")
    ),
    M(
        "contradictions.py",
        "cross.relation_within_happening",
        "no relation between reports of one happening",
        'bad = _in(rel["relation"], HAPPENING_RELATIONS) & linked & (take(happening, a, -1) == take(happening, b, -2))',
        'bad = _in(rel["relation"], HAPPENING_RELATIONS) & linked & (take(happening, a, -1) == take(happening, b, -2))'
        + NEVER,
    ),
    M(
        "contradictions.py",
        "cross.causal_cycle",
        "no mixed cycle",
        'if rel["relation"].iloc[index] != "follows":',
        "if False:",
    ),
    M(
        "contradictions.py",
        "cross.duplicate_relation",
        "a link given twice",
        "    bad = first != np.arange(len(rel))\n",
        "    bad = (first != np.arange(len(rel)))" + NEVER + "\n",
    ),
    M(
        "contradictions.py",
        "cross.duplicate_relation",
        "same_report_as once each way",
        "a, b = np.where(same, np.minimum(a, b), a), np.where(same, np.maximum(a, b), b)",
        "a, b = a, b",
    ),
    M(
        "contradictions.py",
        "cross.withdrawal_kind",
        "the withdrawing event is a move back",
        '        ("event_id", WITHDRAWING_KINDS, "withdraws"),\n',
        "",
    ),
    M(
        "contradictions.py",
        "cross.withdrawal_kind",
        "what is withdrawn from is a move forward",
        '        ("related_event_id", WITHDRAWN_FROM_KINDS, "is withdrawn from"),\n',
        "",
    ),
    *(
        M(
            "contradictions.py",
            "cross.loss_actor_in_event",
            table,
            'for t, c in (("casualties", "actor_id"), ("equipment_losses", "lost_by_actor_id"))',
            f'for t, c in (("casualties", "actor_id"), ("equipment_losses", "lost_by_actor_id")) if t != "{table}"',
        )
        for table in ("casualties", "equipment_losses")
    ),
    M(
        "contradictions.py",
        "cross.casualty_population",
        "civilians are not combatants",
        'bad = (at >= 0) & _in(_at(package, "actors", "actor_type", at), {"civilian_population"})',
        'bad = (at >= 0) & _in(_at(package, "actors", "actor_type", at), {"civilian_population"})' + NEVER,
    ),
    M(
        "contradictions.py",
        "cross.alternative_population",
        "one population per group",
        'differ = (grouped["population"] != first).to_numpy(dtype=bool, na_value=False)',
        'differ = (grouped["population"] != first).to_numpy(dtype=bool, na_value=False)' + NEVER,
    ),
    *(
        M(
            "contradictions.py",
            "cross.planned_losses",
            table,
            'for table in ("casualties", "equipment_losses"):\n        if package.frame_with(table, ("event_id",)) is None:',
            f'for table in [t for t in ("casualties", "equipment_losses") if t != "{table}"]:\n'
            '        if package.frame_with(table, ("event_id",)) is None:',
        )
        for table in ("casualties", "equipment_losses")
    ),
    M(
        "contradictions.py",
        "cross.denied_event",
        "a denied event is coded denied",
        '& ~_in(events["status"], {"denied"})',
        "& False",
    ),
    M(
        "contradictions.py",
        "cross.event_actor_roles",
        "once in each role",
        'twice = named["row"][(named["row"] != first).to_numpy()].to_numpy()',
        'twice = named["row"][(named["row"] != first).to_numpy()].to_numpy()[:0]',
    ),
    *(
        M(
            "contradictions.py",
            "cross.event_actor_roles",
            f"not both {one} and {other}",
            "for one, other in OPPOSED_ROLES:",
            f'for one, other in [r for r in OPPOSED_ROLES if r != ("{one}", "{other}")]:',
        )
        for one, other in (("attacker", "target"), ("side_a", "side_b"), ("host", "visitor"))
    ),
    M(
        "contradictions.py",
        "cross.named_official",
        "a named official is a person",
        '& ~_in(kind, {"person"})',
        "& False",
    ),
    # ---------------------------------------------------------------- conventions.py
    M(
        "conventions.py",
        "cross.retired_id_live",
        "a retired ID is no live key",
        "live[np.flatnonzero(mine)] = is_in(ids, used)",
        "live[np.flatnonzero(mine)] = False",
    ),
    M(
        "conventions.py",
        "cross.retired_superseded",
        "no loop",
        '        looping,\n        "superseded_by",',
        "        looping" + NEVER + ',\n        "superseded_by",',
    ),
    M(
        "conventions.py",
        "cross.retired_superseded",
        "superseded by a record that exists",
        "named & ~found & ~looping,",
        "named & ~found & ~looping" + NEVER + ",",
    ),
    M(
        "conventions.py",
        "cross.retired_version",
        "not retired after the package's version",
        "later |= tied & (part > current[k]).to_numpy(dtype=bool, na_value=False)",
        "later |= False",
    ),
    M(
        "conventions.py",
        "cross.claimant_kind",
        "a correspondent names a claimant",
        "needs = _in(kind, CLAIMANT_KINDS)",
        'needs = _in(kind, CLAIMANT_KINDS - {"correspondent"})',
    ),
    M(
        "conventions.py",
        "cross.claimant_kind",
        "an official statement names a claimant",
        "needs = _in(kind, CLAIMANT_KINDS)",
        'needs = _in(kind, CLAIMANT_KINDS - {"official_statement"})',
    ),
    M(
        "conventions.py",
        "cross.claimant_kind",
        "a correspondent is a person",
        "        not_person,\n",
        "        not_person" + NEVER + ",\n",
    ),
    M(
        "conventions.py",
        "cross.claimant_kind",
        "an official statement is no person's",
        "        is_person,\n",
        "        is_person" + NEVER + ",\n",
    ),
    M(
        "conventions.py",
        "cross.rumour_occurred",
        "a rumour is reported",
        'bad = (total > 0) & (rumours == total) & _in(events["status"], FACT_STATUSES)',
        'bad = (total > 0) & (rumours == total) & _in(events["status"], FACT_STATUSES)' + NEVER,
    ),
    M(
        "conventions.py",
        "cross.published_ids",
        "a retired ID is live again",
        "        if entry.retired_in and is_live:\n",
        "        if False:\n",
    ),
    M(
        "conventions.py",
        "cross.published_ids",
        "a retired ID keeps its retired_ids row",
        "        elif entry.retired_in and not is_retired:\n",
        "        elif False:\n",
    ),
    M(
        "conventions.py",
        "cross.published_ids",
        "a published ID is live or retired",
        "        elif not is_live and not is_retired:\n",
        "        elif False:\n",
    ),
    M(
        "conventions.py",
        "cross.published_ids",
        "the register parses",
        '    except RegisterError as exc:\n        report.add("", "", "", rule, str(exc))\n        return',
        "    except RegisterError:\n        return",
    ),
    # ---------------------------------------------------------------- integrity.py
    M(
        "integrity.py",
        "integrity.descriptor",
        "resources are a list of named objects",
        '    for line in shape:\n        report.add("", "", "", "integrity.descriptor", line)',
        '    for line in shape[:0]:\n        report.add("", "", "", "integrity.descriptor", line)',
    ),
    M(
        "integrity.py",
        "integrity.descriptor",
        "objects where the specification wants them",
        '    for line in left_out:\n        report.add("", "", "", "integrity.descriptor", line)',
        '    for line in left_out[:0]:\n        report.add("", "", "", "integrity.descriptor", line)',
    ),
    M(
        "integrity.py",
        "integrity.descriptor",
        "the specification's own errors",
        'for error in result.flatten(["type", "note"]) if hasattr(result, "flatten") else []:',
        "for error in []:",
    ),
    M(
        "integrity.py",
        "integrity.descriptor",
        "lower-case names",
        "if isinstance(name, str) and not NAME.fullmatch(name):",
        "if False:",
    ),
    M(
        "integrity.py",
        "integrity.url",
        "no URL to fetch",
        "for table, place, url in fetched_urls(package.descriptor):",
        "for table, place, url in []:",
    ),
    M(
        "integrity.py",
        "integrity.schema_mismatch",
        "every table has a resource",
        '            report.add(table, "", "", "integrity.schema_mismatch", f"datapackage.json has no resource named {table!r}")\n',
        "",
    ),
    M(
        "integrity.py",
        "integrity.path",
        "a resource names its own file",
        "            if not is_url(path):  # a URL is integrity.url's",
        "            if False:",
    ),
    M(
        "integrity.py",
        "integrity.bytes",
        "declared size",
        '        if resource.get("bytes") != size:',
        "        if False:",
    ),
    M(
        "integrity.py",
        "integrity.hash",
        "declared hash",
        '        if resource.get("hash") != digest:',
        "        if False:",
    ),
    M(
        "integrity.py",
        "integrity.schema_mismatch",
        "no unknown resource",
        '            report.add(\n                "", "", "", "integrity.schema_mismatch", f"datapackage.json declares an unknown resource {name[:60]!r}"\n            )\n',
        "",
    ),
    M(
        "integrity.py",
        "integrity.schema_mismatch",
        "no resource twice",
        '            report.add(\n                name, "", "", "integrity.schema_mismatch", f"datapackage.json declares the resource {name!r} twice"\n            )\n',
        "",
    ),
    M(
        "integrity.py",
        "integrity.schema_mismatch",
        "the declared schema is schemas/'s",
        '        if resource.get("schema") not in accepted:',
        "        if False:",
    ),
    M(
        "integrity.py",
        "integrity.unreadable",
        "the Parquet copy can be read",
        '    except Exception as exc:\n        report.add(\n            table,\n            "",\n            "",\n            "integrity.unreadable",',
        '    except Exception as exc:\n        return\n        report.add(\n            table,\n            "",\n            "",\n            "integrity.unreadable",',
    ),
    M(
        "integrity.py",
        "integrity.parquet",
        "as many rows as the CSV",
        "    if rows != typed.num_rows:",
        "    if False:",
    ),
    M(
        "integrity.py",
        "integrity.parquet",
        "a CSV row missing from the copy",
        "for row in pc.indices_nonzero(pc.invert(pc.is_in(ours, copy).fill_null(True))).to_pylist():",
        "for row in []:",
    ),
    M(
        "integrity.py",
        "integrity.parquet",
        "a row only the copy has",
        "for value in copy.filter(pc.invert(pc.is_in(copy, ours).fill_null(True))).to_pylist():",
        "for value in []:",
    ),
    M(
        "integrity.py",
        "integrity.parquet",
        "the copy's columns",
        "    if typed.schema.names != names:",
        "    if False:",
    ),
    M(
        "integrity.py",
        "integrity.parquet",
        "the copy's values",
        "                    differs.add(name)",
        "                    pass",
    ),
]

# Rules whose clauses are not in the rule modules, or that no copy of the data package can reach.
ELSEWHERE: dict[str, str] = {
    "column.type": "reported by the reading of the package (validators/package.py, src/libya_conflict/tables.py)",
    "column.length": "uncatalogued: no length limit a non-empty cell can break (its record says why)",
    "integrity.resource_files": "a function name, not an id: its clauses are integrity.bytes, hash, path, schema_mismatch",
    "integrity.declared_schema": "a function name, not an id: its clauses are integrity.schema_mismatch above",
    "integrity.stale": "runs only in a project checkout, which the catalogue does not corrupt",
    "integrity.build": "runs only in a project checkout, like integrity.stale",
    "integrity.internal": "reports a fault of the validator (validators/__init__.py, runner.py)",
    "integrity.file_missing": "reported by the reading of the package (validators/package.py)",
}
