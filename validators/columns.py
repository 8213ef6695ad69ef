"""Column rules: pandera schemas built from schemas/, plus the text hygiene every cell must respect.

The pandera models are derived from the Table Schema files here and nowhere else, so a constraint
changed in ``schemas/`` changes the check. Each pandera check is named after the rule id it reports.

Checks run on whole columns in pyarrow (pandas' Arrow-backed strings use RE2): a regular expression
RE2 cannot run would make pandas fall back to Python's ``re`` row by row. The text-hygiene checks first
find, from the raw bytes, the rows that could fail (``strings``), and run their exact test on those only.
"""

from __future__ import annotations

import re

from libya_conflict import schema as sch

from .rule import rule
from .strings import (
    arabic_block_rows,
    control_candidates,
    edge_whitespace_candidates,
    exact_on,
    formula_candidates,
    matches,
    non_ascii,
    strictly_increasing,
)

# Literal characters, not \u escapes: RE2 then runs it (pandas hands \u escapes to Python's re).
ARABIC = "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
# Characters a spreadsheet reads as the start of a formula.
FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"
NON_ASCII_DIGIT = r"(?![0-9])\d"  # Arabic-Indic and every other non-ASCII digit (only run on non-ASCII cells)
# Single-byte code pages a UTF-8 file is typically mis-read with (Windows Arabic, Windows Western, ISO 8859-1).
MOJIBAKE_ENCODINGS = ("cp1256", "cp1252", "latin-1")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")

# Characters no curated cell may hold: they are invisible, and they can hide, reorder or break text.
# C0 controls (tab and newline are allowed in free text), DEL and C1 controls; the soft hyphen; the
# zero-width space, word joiner and invisible operators; the bidirectional embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), which can make a cell display as something other than what it
# holds; deprecated format characters; line and paragraph separators; a byte-order mark inside a cell;
# interlinear annotations; and the other format characters of Unicode (category Cf) outside Arabic.
# Allowed, because Arabic text legitimately holds them: the zero-width non-joiner and joiner (U+200C,
# U+200D), the left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F, U+061C), the
# Arabic number and end-of-ayah signs (U+0600-U+0605, U+06DD, U+08E2), and the no-break spaces (U+00A0,
# U+202F) the articles themselves use.
CONTROL_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
CONTROL = re.compile(f"[{CONTROL_CLASS}]")


def _mojibake_candidates() -> str:
    """An RE2 pattern every mojibake cell matches: an Arabic letter is UTF-8 0xD8 or 0xD9 then a byte in
    0x80-0xBF, so its mojibake holds what a code page makes of those two bytes, one after the other."""

    def decoded(values):
        chars = set()
        for encoding in MOJIBAKE_ENCODINGS:
            for value in values:
                try:
                    chars.add(bytes([value]).decode(encoding))
                except UnicodeDecodeError:
                    pass  # a byte the code page leaves undefined cannot appear in its mojibake
        return "".join(f"\\x{{{ord(c):04X}}}" for c in sorted(chars))

    return f"[{decoded((0xD8, 0xD9))}][{decoded(range(0x80, 0xC0))}]"


MOJIBAKE_CANDIDATE = _mojibake_candidates()

# Failure codes pandera itself uses, mapped to our rule ids.
PANDERA_RULES = {
    "not_nullable": "column.required",
    "field_uniqueness": "column.unique",
    "column_in_dataframe": "integrity.schema_mismatch",
    "column_in_schema": "integrity.schema_mismatch",
}


def _checks_for(field: dict) -> list:
    import pandera.pandas as pa

    c = field.get("constraints", {})
    checks = []
    if c.get("unique"):
        # A missing value is column.required's to report, not a duplicate of another missing value.
        checks.append(pa.Check(unique_values, name="column.unique"))
    if "enum" in c:
        checks.append(pa.Check.isin(c["enum"], name="column.enum"))
    if "pattern" in c:
        checks.append(pa.Check.str_matches(c["pattern"], name="column.pattern"))
    if "minimum" in c:
        checks.append(pa.Check.ge(c["minimum"], name="column.range"))
    if "maximum" in c:
        checks.append(pa.Check.le(c["maximum"], name="column.range"))
    if "minLength" in c or "maxLength" in c:
        checks.append(pa.Check.str_length(c.get("minLength"), c.get("maxLength"), name="column.length"))
    if field["type"] == "string":
        if is_free_text(field) and not field.get("verbatim"):
            # A vocabulary or a patterned code refuses every control character already (column.enum,
            # column.pattern): one problem per cause. A verbatim copy of an article (a quote) is the
            # article's text, which is kept as published; cross.claim_quote holds it to those bytes.
            checks.append(
                pa.Check(
                    lambda s: exact_on(s, control_candidates(s), lambda c: c.map(lambda v: CONTROL.search(v) is None)),
                    name="column.control_characters",
                )
            )
        checks += [
            pa.Check(
                lambda s: exact_on(s, edge_whitespace_candidates(s), lambda c: c.str.strip() == c),
                name="column.whitespace",
            ),
            pa.Check(
                lambda s: exact_on(s, formula_candidates(s), lambda c: c.str.match(PLAIN_NUMBER)), name="column.formula"
            ),
        ]
        if field.get("script") == "arabic":
            # A row with a byte of the Arabic block holds Arabic: the regular expression runs on the others.
            checks.append(
                pa.Check(
                    lambda s: exact_on(s, ~arabic_block_rows(s), lambda c: c.str.contains(ARABIC)),
                    name="column.script_arabic",
                )
            )
            checks.append(pa.Check(lambda s: ~column_mojibake(s), name="column.mojibake"))
        if field.get("script") == "latin":
            # An ASCII cell cannot hold Arabic: search the others only.
            checks.append(
                pa.Check(
                    lambda s: exact_on(s, non_ascii(s), lambda c: ~c.str.contains(ARABIC)), name="column.script_latin"
                )
            )
        if "pattern" in c:
            # A pattern written with [0-9] already refuses other digits; say so plainly when it happens.
            checks.append(
                pa.Check(
                    lambda s: exact_on(s, non_ascii(s), lambda c: ~c.str.contains(NON_ASCII_DIGIT)),
                    name="column.ascii_digits",
                )
            )
    return checks


def is_free_text(field: dict) -> bool:
    """A text column that is neither a vocabulary nor a patterned code: it may hold tabs and line breaks."""
    c = field.get("constraints", {})
    return field["type"] == "string" and "enum" not in c and "pattern" not in c


def first_control(text: str) -> str:
    """The first character of ``text`` that column.control_characters rejects, named (U+202E ...)."""
    import unicodedata

    found = CONTROL.search(text)
    if found is None:
        return ""
    ch = found.group()
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')} at character {found.start()}"


def is_mojibake(text: str) -> bool:
    """True when ``text`` is UTF-8 Arabic that was decoded with a single-byte code page.

    Encoding such text back with that code page gives valid UTF-8 holding Arabic letters. Real Arabic
    never survives this: each Arabic letter becomes a UTF-8 lead byte, and two letters in a row are
    invalid UTF-8. Requiring two letters keeps a lone letter before a comma ("ط،" is also "ء") out.
    """
    for encoding in MOJIBAKE_ENCODINGS:
        try:
            repaired = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text and len(_ARABIC_LETTER.findall(repaired)) >= 2:
            return True
    return False


def column_mojibake(series):
    """An Arabic column holds no mojibake: UTF-8 Arabic read as cp1256, cp1252 or latin-1 and saved again
    ("ط§ظ„" or "Ø§Ù„" for "ال")."""
    import numpy as np
    import pandas as pd

    candidates = matches(series, MOJIBAKE_CANDIDATE)
    found = np.zeros(len(series), dtype=bool)
    if candidates.any():
        found[candidates] = series[candidates].map(is_mojibake, na_action="ignore").fillna(False).to_numpy(dtype=bool)
    return pd.Series(found, index=series.index)


def unique_values(series):
    """False on every row that repeats the value of an earlier row. A column sorted in strictly increasing
    order (a primary key in a canonical CSV) is unique without hashing a single value."""
    import numpy as np
    import pandas as pd

    if strictly_increasing(series):
        return pd.Series(np.ones(len(series), dtype=bool), index=series.index)
    # The first row of a value is not the problem: each repeat is, once.
    return ~series.duplicated(keep="first")


_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean", "date": "datetime64[s]"}


def pandera_schema(table: str):
    """The pandera DataFrameSchema of a table, derived from ``schemas/<table>.schema.json``.

    >>> [check.name for check in pandera_schema("events").columns["event_id"].checks][:2]
    ['column.unique', 'column.pattern']
    """
    import pandera.pandas as pa

    table_schema = sch.table_schema(table)
    columns = {}
    for field in table_schema["fields"]:
        c = field.get("constraints", {})
        columns[field["name"]] = pa.Column(
            _DTYPES[field["type"]],
            checks=_checks_for(field),
            nullable=not c.get("required", False),
            unique=False,  # checked by unique_values, which skips the hashing for sorted keys
            required=True,
            title=field["title"],
            description=field["description"],
        )
    return pa.DataFrameSchema(columns, name=table, strict=True, ordered=True)


def check_columns(package, report) -> None:
    """Run each table's pandera schema lazily and turn every failure case into a problem."""
    for table in package.frames:
        check_table_columns(package, table, report)


def check_table_columns(package, table: str, report) -> None:
    """:func:`check_columns` for one table."""
    import pandas as pd
    import pandera.errors as pe

    from libya_conflict.tables import duplicated_names

    frame = package.frames[table]
    header = package.header[table]
    expected = sch.field_names(table)
    if header != expected:
        missing = [n for n in expected if n not in header]
        extra = [n for n in dict.fromkeys(header) if n not in expected]
        twice = duplicated_names(header)
        said = [f"missing {missing}"] if missing else []
        # A header that is really a row of data would fill the message: a few names, shortened, suffice.
        shown = [n if len(n) <= 40 else n[:40] + "..." for n in extra[:8]]
        said += [f"unexpected {shown}" + (f" and {len(extra) - 8} more" if len(extra) > 8 else "")] if extra else []
        said += [
            f"{name!r} given {header.count(name)} times (columns "
            + ", ".join(str(i + 1) for i, n in enumerate(header) if n == name)
            + "): keep one"
            for name in twice
        ]
        report.add(
            table,
            "",
            "",
            "integrity.schema_mismatch",
            f"data/{table}.csv header differs from schemas/{table}.schema.json: "
            + ("; ".join(said) or "columns out of order"),
        )
        frame = frame[[n for n in expected if n in frame.columns]]
    schema = pandera_schema(table)
    schema = schema.remove_columns([n for n in expected if n not in frame.columns])
    try:
        schema.validate(frame, lazy=True)
    except pe.SchemaErrors as errors:
        cases = errors.failure_cases
        for case in cases.itertuples(index=False):
            check = str(case.check)
            number = case.check_number
            if case.column in schema.columns and number is not None and not pd.isna(number):
                # Our checks carry the rule id as their name; built-in ones print differently.
                check = schema.columns[case.column].checks[int(number)].name
            rule = PANDERA_RULES.get(check, check if check.startswith("column.") else None)
            if rule is None:
                rule = "column.type" if check.startswith("dtype(") else "column.check"
            if rule == "integrity.schema_mismatch":
                continue  # reported above from the header itself
            index = case.index
            if (
                rule == "column.required"
                and index is not None
                and not pd.isna(index)
                and (int(index), case.column) in package.type_errors.get(table, ())
            ):
                continue  # the cell is there, but not of its type: column.type said so already
            row = package.row_key(table, int(index)) if index is not None and not pd.isna(index) else ""
            message = _message(check, case.failure_case, table, case.column)
            report.add(table, row, str(case.column) if case.column is not None else "", rule, message)


def _message(check: str, value, table: str, column) -> str:
    field = next((f for f in sch.table_schema(table)["fields"] if f["name"] == column), {})
    c = field.get("constraints", {})
    shown = repr(value)[:80]
    if check == "not_nullable":
        return "required value is missing"
    if check in ("field_uniqueness", "column.unique"):
        return f"{shown} is not unique: an earlier row has it too"
    if check == "column.control_characters":
        return (
            f"{shown} holds {first_control(str(value))}: an invisible control character that can hide "
            "or reorder text; remove it"
        )
    if check == "column.enum":
        return f"{shown} is not one of the allowed values {c.get('enum')}"
    if check == "column.pattern":
        return f"{shown} does not match {c.get('pattern')}"
    if check == "column.range":
        return f"{shown} is outside the range [{c.get('minimum')}, {c.get('maximum')}]"
    if check == "column.length":
        return f"{shown} has a length outside [{c.get('minLength')}, {c.get('maxLength')}]"
    if check == "column.whitespace":
        return f"{shown} has leading or trailing whitespace"
    if check == "column.formula":
        return f"{shown} starts with = + - @, tab or CR: a spreadsheet would run it as a formula"
    if check == "column.script_arabic":
        return f"{shown} contains no Arabic script (an Arabic column)"
    if check == "column.script_latin":
        return f"{shown} contains Arabic script (an English column)"
    if check == "column.ascii_digits":
        return f"{shown} contains non-ASCII digits"
    if check == "column.mojibake":
        return f"{shown} is mojibake: UTF-8 Arabic read with a single-byte code page and saved again"
    return f"{shown} fails {check}"


# The rules of this family in report order (registry.py collects them): id, corruptions, description. All
# run through the pandera checks built from schemas/ (check_table_columns), which carry the rule id as
# their name; _message above words each problem.
RULES = [
    rule(
        "column.type",
        None,
        "number_as_text",
        "date_not_iso",
        "impossible_date",
        description="A cell holds a value of its column's type (ISO date, integer or decimal with ASCII digits, "
        "true/false).",
    ),
    rule("column.required", None, "required_blank", description="A required column has a value in every row."),
    rule(
        "column.unique",
        None,
        "duplicate_key",
        description="A unique column (every primary key) has no duplicate value.",
    ),
    rule(
        "column.enum", None, "enum_typo", description="A vocabulary column holds one of the values the schema allows."
    ),
    rule(
        "column.pattern",
        None,
        "id_pattern_broken",
        description="An identifier or code matches the schema's pattern (written with [0-9], never \\d).",
    ),
    rule(
        "column.range",
        None,
        "out_of_range",
        "out_of_range_max",
        description="A number lies within the schema's minimum and maximum.",
    ),
    rule(
        "column.length",
        None,
        description="A text lies within the schema's length limits.",
        uncatalogued="No column has a length limit that a non-empty cell can break: the only one, the "
        "minLength 1 of claims.quote, concerns the empty cell, which is missing (column.required).",
    ),
    rule(
        "column.script_arabic", None, "latin_in_arabic_column", description="An Arabic column contains Arabic script."
    ),
    rule(
        "column.script_latin",
        None,
        "arabic_in_english_column",
        description="An English column contains no Arabic script.",
    ),
    rule("column.whitespace", None, "whitespace_padded", description="No cell has leading or trailing whitespace."),
    rule(
        "column.formula",
        None,
        "formula_cell",
        description="No text cell starts with = + - @, tab or CR (a spreadsheet would run it), unless it is a number.",
    ),
    rule(
        "column.ascii_digits",
        None,
        "arabic_indic_digits",
        description="Identifiers and codes use ASCII digits only (no Arabic-Indic or other digits).",
    ),
    rule(
        "column.mojibake",
        None,
        "mojibake_cp1256",
        "mojibake_latin1",
        description=" ".join((column_mojibake.__doc__ or "").split()),
    ),
    rule(
        "column.control_characters",
        None,
        "control_character",
        description="No free-text cell holds an invisible control character: C0 controls but tab and line break, "
        "DEL, C1 controls, bidirectional embeddings, overrides and isolates (U+202A-U+202E, "
        "U+2066-U+2069), zero-width spaces, byte-order marks and other format characters (Arabic's "
        "joiners and direction marks are allowed). Vocabularies and codes refuse them through "
        "column.enum and column.pattern.",
    ),
]
