"""Corruptions the column rules must catch: cells not of their column's type, pattern, vocabulary or script."""

from __future__ import annotations

import random
import re
from pathlib import Path

from libya_conflict import schema as sch

from .entry import Expected, corruption
from .folder import ARABIC_INDIC, NBSP, Folder, cells, day, is_free_text, key_of, pick, reseal
from .scaffold import add_actor


@corruption("enum_typo")
def enum_typo(root: Path, rng: random.Random) -> Expected:
    """A vocabulary value misspelt ("occured", "Battle", "armed clash")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, sch.enum_of), "vocabulary cell")
    value, allowed = row[field["name"]], sch.enum_of(field)
    typos = [value[:-1], value + value[-1], value.replace("_", " "), value.swapcase(), value[0] + value]
    row[field["name"]] = rng.choice([t for t in typos if t and t not in allowed and t.strip() == t])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("duplicate_key")
def duplicate_key(root: Path, rng: random.Random) -> Expected:
    """A row pasted twice, so its primary key is no longer unique."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.rows(t)], "table with rows")
    row = rng.choice(folder.rows(table))
    folder.add(table, dict(row))
    folder.save()
    return table, key_of(table, row), sch.primary_key(table)


@corruption("required_blank")
def required_blank(root: Path, rng: random.Random) -> Expected:
    """A required cell left empty."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("constraints", {}).get("required")), "required cell")
    row[field["name"]] = ""
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("number_as_text")
def number_as_text(root: Path, rng: random.Random) -> Expected:
    """A number stored as text: Arabic-Indic digits, or a word beside it ("٥٠١٠", "12 approx.")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] in ("integer", "number")), "numeric cell")
    value = row[field["name"]]
    row[field["name"]] = rng.choice([value.translate(ARABIC_INDIC), f"{value} approx.", f"~{value}"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("date_not_iso")
def date_not_iso(root: Path, rng: random.Random) -> Expected:
    """A date written the way a spreadsheet shows it (20/05/2020, 2020/05/20, 20 May 2020)."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] == "date"), "date cell")
    d = day(row[field["name"]])
    row[field["name"]] = rng.choice(
        [
            f"{d.day:02d}/{d.month:02d}/{d.year}",
            f"{d.year}/{d.month:02d}/{d.day:02d}",
            f"{d.day} {d.strftime('%B')} {d.year}",
        ]
    )
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("id_pattern_broken")
def id_pattern_broken(root: Path, rng: random.Random) -> Expected:
    """An identifier or code typed in capitals (ACT-HAFTAR, an upper-case sha256)."""
    folder = Folder(root)
    options = cells(folder, lambda f: "pattern" in f.get("constraints", {}), lambda v: v != v.upper())
    table, row, field = pick(rng, options, "patterned cell with lower-case letters")
    row[field["name"]] = row[field["name"]].upper()
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("arabic_indic_digits")
def arabic_indic_digits(root: Path, rng: random.Random) -> Expected:
    """An identifier typed on an Arabic keyboard, with Arabic-Indic digits (ev-٠٠١-٠٠٢)."""
    folder = Folder(root)
    options = cells(folder, lambda f: "pattern" in f.get("constraints", {}), lambda v: re.search("[0-9]", v))
    table, row, field = pick(rng, options, "patterned cell with digits")
    row[field["name"]] = row[field["name"]].translate(ARABIC_INDIC)
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("out_of_range")
def out_of_range(root: Path, rng: random.Random) -> Expected:
    """A number just outside its column's bounds (a count of -1, a latitude of 91)."""
    folder = Folder(root)
    bounded = lambda f: {"minimum", "maximum"} & set(f.get("constraints", {}))
    table, row, field = pick(rng, cells(folder, bounded, lambda v: True), "bounded numeric column")
    c = field["constraints"]
    sides = [s for s in ("minimum", "maximum") if s in c]
    side = rng.choice(sides)
    value = c[side] - 1 if side == "minimum" else c[side] + 1
    row[field["name"]] = sch.format_cell(field, int(value) if field["type"] == "integer" else float(value))
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("whitespace_padded")
def whitespace_padded(root: Path, rng: random.Random) -> Expected:
    """A text cell with a leading or trailing space or no-break space, as pasted from a web page."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, is_free_text), "text cell")
    pad = rng.choice([" ", NBSP])
    value = row[field["name"]]
    row[field["name"]] = rng.choice([pad + value, value + pad])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("formula_cell")
def formula_cell(root: Path, rng: random.Random) -> Expected:
    """A text cell a spreadsheet would run as a formula (=HYPERLINK(...), @SUM(...), +1+1)."""
    folder = Folder(root)
    options = cells(folder, lambda f: is_free_text(f) and f.get("script") == "latin", lambda v: True)
    table, row, field = pick(rng, options, "English text column")
    row[field["name"]] = rng.choice(['=HYPERLINK("http://example.org","source")', "@SUM(A1:A9)", "+1+1", "=1+1"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("arabic_in_english_column")
def arabic_in_english_column(root: Path, rng: random.Random) -> Expected:
    """Arabic text pasted into an English column."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "latin", lambda v: True), "English column")
    row[field["name"]] = rng.choice(["قوات حفتر", "Haftar (حفتر)"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


@corruption("latin_in_arabic_column")
def latin_in_arabic_column(root: Path, rng: random.Random) -> Expected:
    """A transliteration written where the Arabic name belongs (name_ar = "Tarhuna")."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f.get("script") == "arabic", lambda v: True), "Arabic column")
    row[field["name"]] = rng.choice(["Tarhuna", "al-Watiya air base"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


def _mojibake(root: Path, rng: random.Random, encoding: str) -> Expected:
    """Re-save a whole CSV file as an editor does after opening UTF-8 with a single-byte code page."""
    folder = Folder(root)
    arabic = lambda v: len(re.findall("[\u0621-\u064a]", v)) >= 2
    options = cells(folder, lambda f: f.get("script") == "arabic", arabic)
    if not options:
        add_actor(folder, rng)
        folder.save()
        options = cells(folder, lambda f: f.get("script") == "arabic", arabic)
    table, row, field = rng.choice(options)
    path = folder.csv_path(table)
    path.write_bytes(path.read_bytes().decode(encoding).encode("utf-8"))
    reseal(root, [table])
    return table, key_of(table, row), field["name"]


@corruption("mojibake_cp1256")
def mojibake_cp1256(root: Path, rng: random.Random) -> Expected:
    """A CSV file opened as Windows-1256 and saved again as UTF-8 ("ال" becomes "ط§ظ„")."""
    return _mojibake(root, rng, "cp1256")


@corruption("mojibake_latin1")
def mojibake_latin1(root: Path, rng: random.Random) -> Expected:
    """A CSV file opened as Latin-1 and saved again as UTF-8 ("ال" becomes "Ø§Ù" and a control character)."""
    return _mojibake(root, rng, "latin-1")
