"""Corruptions of untrusted input: paths out of the folder, links, pipes, URLs, damaged bytes."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from libya_conflict import schema as sch
from libya_conflict.build import descriptor_bytes

from .entry import Expected, corruption
from .folder import Folder, cells, is_free_text, key_of, pick

# Files that are not what they claim to be: paths out of the folder, links, pipes, URLs, damaged bytes.

# What a hostile package points at outside its folder: a file the validator must never open.
OUTSIDE_SECRET = "root:x:0:0:catalogue-secret-do-not-print:/root:/bin/bash\n"


def outside_file(root: Path) -> Path:
    """A file beside the package folder (outside it), holding a line no report may ever show."""
    path = Path(root).resolve().parent / "outside-the-package.txt"
    path.write_text(OUTSIDE_SECRET, encoding="utf-8")
    return path


def _some_article(folder: Folder, rng: random.Random) -> dict:
    return pick(rng, [a for a in folder.rows("articles") if a["path"]], "article with a path")


@corruption("article_path_climbs_out")
def article_path_climbs_out(root: Path, rng: random.Random) -> Expected:
    """An article's path that leaves the package folder: ``../`` climbing out, or an absolute path."""
    folder = Folder(root)
    article = _some_article(folder, rng)
    target = outside_file(root)
    article["path"] = rng.choice(["../" + target.name, "data/sources/../../../" + target.name, str(target)])
    folder.touch("articles")
    folder.save()
    return "articles", article["article_id"], "path"


@corruption("article_symlink_out")
def article_symlink_out(root: Path, rng: random.Random) -> Expected:
    """An article's text file replaced by a symbolic link to a file outside the package folder."""
    folder = Folder(root)
    article = _some_article(folder, rng)
    path = folder.article_path(article)
    path.unlink(missing_ok=True)
    path.symlink_to(outside_file(root))
    return "articles", article["article_id"], "path"


@corruption("article_fifo")
def article_fifo(root: Path, rng: random.Random) -> Expected:
    """An article's text file replaced by a named pipe (FIFO), which blocks whoever opens it, or a folder."""
    import os

    folder = Folder(root)
    article = _some_article(folder, rng)
    path = folder.article_path(article)
    path.unlink(missing_ok=True)
    if rng.random() < 0.5 and hasattr(os, "mkfifo"):
        os.mkfifo(path)
    else:
        path.mkdir()
    return "articles", article["article_id"], "path"


@corruption("table_symlink_out")
def table_symlink_out(root: Path, rng: random.Random) -> Expected:
    """A table's CSV file replaced by a symbolic link to a file outside the package folder."""
    folder = Folder(root)
    table = pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file()], "CSV file")
    path = folder.csv_path(table)
    outside = Path(root).resolve().parent / f"outside-{table}.csv"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)
    return table, "", ""


@corruption("resource_path_elsewhere")
def resource_path_elsewhere(root: Path, rng: random.Random) -> Expected:
    """A resource ``path`` in datapackage.json that names a file other than the table's own: outside the
    folder, absolute, or another table's."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = rng.choice(package["resources"])
    others = [r["path"] for r in package["resources"] if r is not resource]
    resource["path"] = rng.choice(["../" + outside_file(root).name, str(outside_file(root)), *others[:1]])
    path.write_bytes(descriptor_bytes(package))
    return resource["name"], "", "path"


@corruption("descriptor_url")
def descriptor_url(root: Path, rng: random.Random) -> Expected:
    """A URL in datapackage.json where a profile, schema or file would be fetched (a remote ``profile``,
    ``$schema``, resource ``path`` or ``schema``)."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    # An address nothing listens on: were it fetched, the run would still not depend on another machine.
    url = "http://127.0.0.1:9/profile.json"
    where = rng.choice(["profile", "$schema", "path", "schema"])
    if where in ("profile", "$schema"):
        package[where] = url
        table = ""
    else:
        resource = rng.choice(package["resources"])
        resource[where] = url
        table = resource["name"]
    path.write_bytes(descriptor_bytes(package))
    return table, "", ""


@corruption("descriptor_wrong_shape")
def descriptor_wrong_shape(root: Path, rng: random.Random) -> Expected:
    """datapackage.json of the wrong shape: a list instead of an object, ``resources`` a string, a resource
    that is a string, or a resource whose name is a number."""
    path = Path(root) / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    kind = rng.choice(["list", "resources", "resource", "name"])
    if kind == "list":
        package = [package]
    elif kind == "resources":
        package["resources"] = "data/events.csv"
    elif kind == "resource":
        package["resources"][rng.randrange(len(package["resources"]))] = "events"
    else:
        package["resources"][rng.randrange(len(package["resources"]))]["name"] = 7
    path.write_bytes(descriptor_bytes(package))
    return "", "", ""


@corruption("descriptor_truncated")
def descriptor_truncated(root: Path, rng: random.Random) -> Expected:
    """datapackage.json cut short (a download or a copy that stopped)."""
    path = Path(root) / "datapackage.json"
    data = path.read_bytes()
    path.write_bytes(data[: rng.randrange(1, len(data) - 2)])
    return "", "", ""


def _csv_table(folder: Folder, rng: random.Random, keep=lambda table: True) -> str:
    return pick(rng, [t for t in sch.table_names() if folder.csv_path(t).is_file() and keep(t)], "CSV file")


@corruption("header_duplicated")
def header_duplicated(root: Path, rng: random.Random) -> Expected:
    """A column given twice in a CSV header (a column pasted again at the end, with its cells)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    i = rng.randrange(len(rows[0]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([row + [row[i]] for row in rows])
    return table, "", ""


@corruption("csv_semicolons")
def csv_semicolons(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved by a spreadsheet with ``;`` between cells (as in locales with a decimal comma)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)
    return table, "", ""


@corruption("csv_utf16")
def csv_utf16(root: Path, rng: random.Random) -> Expected:
    """A CSV file saved as UTF-16 ("Unicode text" in Excel)."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    path.write_bytes(path.read_text(encoding="utf-8").encode(rng.choice(["utf-16", "utf-16-le"])))
    return table, "", ""


@corruption("csv_emptied")
def csv_emptied(root: Path, rng: random.Random) -> Expected:
    """A CSV file emptied (zero bytes, or only a byte-order mark), or overwritten by binary bytes."""
    folder = Folder(root)
    table = _csv_table(folder, rng)
    path = folder.csv_path(table)
    kind = rng.choice(["empty", "bom", "binary"])
    path.write_bytes(
        {"empty": b"", "bom": b"\xef\xbb\xbf", "binary": bytes(rng.randrange(256) for _ in range(512)) + b"\x00"}[kind]
    )
    return table, "", ""


@corruption("impossible_date")
def impossible_date(root: Path, rng: random.Random) -> Expected:
    """A date that is well formed but not in the calendar (2019-04-31, 2020-02-30, 2019-02-29)."""
    folder = Folder(root)
    table, row, field = pick(rng, cells(folder, lambda f: f["type"] == "date"), "date cell")
    row[field["name"]] = rng.choice(["2019-04-31", "2020-02-30", "2019-02-29", "2019-06-31", "2020-11-31"])
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]


CONTROL_CHARACTERS = [
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b",
    "\u202e",
    "\u202b",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\u200b",
    "\x08",
]


@corruption("control_character")
def control_character(root: Path, rng: random.Random) -> Expected:
    """An invisible control character inside a text cell: NUL, an ESC colour sequence, DEL, a C1 control,
    a right-to-left override or isolate, a byte-order mark, a zero-width space."""
    folder = Folder(root)
    # Free text: a code or a vocabulary refuses the character through its own rule (column.pattern,
    # column.enum); a quote must match its article; a path is the file's name.
    table, row, field = pick(
        rng, cells(folder, lambda f: is_free_text(f) and f["name"] not in ("quote", "path")), "free-text cell"
    )
    value = row[field["name"]]
    i = rng.randrange(1, len(value)) if len(value) > 1 else len(value)
    row[field["name"]] = value[:i] + rng.choice(CONTROL_CHARACTERS) + value[i:]
    folder.touch(table)
    folder.save()
    return table, key_of(table, row), field["name"]
