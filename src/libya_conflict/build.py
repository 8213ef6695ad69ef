"""Build everything derived from the curated sources, reproducibly.

Hand-edited: ``schemas/*.schema.json``, ``schemas/package.json``, ``data/*.csv`` and the article texts in
``data/sources/``. Derived (never edit by hand):

- the canonical form of each CSV: header in schema order, rows sorted by primary key, the article hashes
  and sizes in ``articles.csv``, and the quote offsets in ``claims.csv`` (curators write the quote only);
- ``data/parquet/<table>.parquet``: typed copies of the CSV;
- ``datapackage.json``: package metadata + table schemas + each CSV's ``bytes`` and ``hash``;
- ``docs/codebook.md``: the column reference; ``docs/validation.md``: the rule reference, from the
  validator's rule registry;
- ``CITATION.cff`` and ``.zenodo.json``: how to cite and archive it, with the version and release date;
- ``croissant.json`` (Croissant) and ``dataset.jsonld`` (schema.org): the dataset for catalogues
  (:mod:`libya_conflict.metadata`).

Usage::

    libya-conflict build            # rewrite what is out of date
    libya-conflict build --check    # exit 1 and name the stale files; write nothing

Nothing here reads the clock, so building twice gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as sch
from .confine import Confined, UnsafePath
from .parquet import copy_table
from .quotes import QuoteError, locate
from .tables import duplicated_names, parse_csv_rows, typed_table, write_csv

PARQUET_DIR = Path("data") / "parquet"


class BuildError(Exception):
    """The curated sources cannot be built; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Outputs:
    """Files the build wants to exist, as bytes, keyed by path relative to the project root."""

    files: dict[str, bytes] = field(default_factory=dict)
    # Parquet bytes depend on the pyarrow version, so freshness is judged on their typed content.
    parquet: dict[str, object] = field(default_factory=dict)


def project_version(root: Path) -> str:
    """The data version, read from pyproject.toml (the only place it is written)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(Confined(root).read_bytes("pyproject.toml").decode("utf-8"))["project"]["version"]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------- Load


def load_curated(root: Path) -> tuple[dict[str, tuple[list[str], list[list[str]]]], list[str]]:
    """Read every curated CSV as text. Returns ``({table: (header, rows)}, problems)``."""
    tables, problems = {}, []
    folder = Confined(root)
    for table in sch.table_names(root):
        name = f"data/{table}.csv"
        try:
            tables[table] = parse_csv_rows(folder.read_bytes(name), name)
        except FileNotFoundError:
            problems.append(f"{name}: missing (schemas/{table}.schema.json declares the table)")
        except (UnsafePath, ValueError) as exc:
            problems.append(f"{name}: {exc}" if isinstance(exc, UnsafePath) else str(exc))
    return tables, problems


# ------------------------------------------------------------------------------------------ Process


def canonical_rows(
    table: str, header: list[str], rows: list[list[str]], root: Path
) -> tuple[list[list[str]], list[str]]:
    """Rows reordered into schema column order and sorted by primary key."""
    names = sch.field_names(table, root)
    problems = []
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    twice = duplicated_names(header)
    if missing or extra or twice:
        # A column given twice is refused, never resolved by keeping one: the two may differ.
        problems.append(
            f"data/{table}.csv: header does not match schemas/{table}.schema.json "
            f"(missing {missing}, unexpected {extra}"
            + "".join(f", {n!r} given {header.count(n)} times" for n in twice)
            + ")"
        )
        return rows, problems
    order = [header.index(n) for n in names]
    out = []
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            problems.append(f"data/{table}.csv line {number}: {len(row)} cells, header has {len(header)}")
            continue
        out.append([row[i] for i in order])
    key = names.index(sch.primary_key(table, root))
    out.sort(key=lambda r: r[key])
    return out, problems


def fill_articles(rows: list[list[str]], names: list[str], root: Path) -> list[str]:
    """Fill ``sha256`` and ``bytes`` of each article from its file."""
    col = {n: i for i, n in enumerate(names)}
    problems = []
    folder = Confined(root)
    for row in rows:
        try:
            data = folder.read_bytes(row[col["path"]])
        except FileNotFoundError:
            problems.append(f"articles {row[col['article_id']]}: text file {row[col['path']]} is missing")
            continue
        except UnsafePath as exc:
            problems.append(f"articles {row[col['article_id']]}: text file {exc}; it was not read")
            continue
        row[col["sha256"]] = sha256_hex(data)
        row[col["bytes"]] = str(len(data))
    return problems


def fill_claim_offsets(rows: list[list[str]], names: list[str], articles: dict[str, str]) -> list[str]:
    """Give every claim the offsets of its quote, or say why it cannot have them."""
    col = {n: i for i, n in enumerate(names)}
    problems = []
    for row in rows:
        claim_id, article_id, quote = row[col["claim_id"]], row[col["article_id"]], row[col["quote"]]
        text = articles.get(article_id)
        if text is None:
            problems.append(f"claims {claim_id}: unknown article_id {article_id!r}")
            continue
        start = row[col["quote_start"]]
        try:
            begin = locate(text, quote, start=int(start) if start else None)
        except QuoteError as exc:
            problems.append(f"claims {claim_id} ({article_id}): {exc}")
            continue
        row[col["quote_start"]] = str(begin)
        row[col["quote_end"]] = str(begin + len(quote))
    return problems


def datapackage_descriptor(root: Path, csv_bytes: dict[str, bytes]) -> dict:
    """datapackage.json (Data Package v2, see :mod:`libya_conflict.descriptor`): metadata from
    schemas/package.json, schemas inline, sizes and hashes of the CSVs, the articles as sources."""
    from .descriptor import datapackage_v2

    files = {t: (len(data), sha256_hex(data)) for t, data in csv_bytes.items()}
    return datapackage_v2(
        sch.package_metadata(root),
        project_version(root),
        sch.schemas(root),
        files,
        text_rows(csv_bytes["articles"], "data/articles.csv"),
    )


def descriptor_bytes(descriptor: dict) -> bytes:
    """datapackage.json as the build writes it: UTF-8 JSON, indented by two, ending in a line break."""
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def text_rows(data: bytes, name: str) -> list[dict]:
    """The rows of a CSV as dicts of text."""
    header, rows = parse_csv_rows(data, name)
    return [dict(zip(header, row)) for row in rows]


def codebook_markdown(root: Path) -> str:
    """docs/codebook.md: every column of every table, from schemas/."""
    lines = [
        "# Codebook",
        "",
        "<!-- Generated by `libya-conflict build` from schemas/; do not edit by hand. -->",
        "",
        "Every table of the dataset with every column: its type, whether it is required, its allowed",
        "values and what it means. Empty cells are missing values. IDs are stable and never reused.",
        "",
    ]
    for table, table_schema in sch.schemas(root).items():
        lines += [f"## {table}", "", table_schema["description"], "", f"Primary key: `{table_schema['primaryKey']}`."]
        for fk in table_schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or table
            lines.append(f"Foreign key: `{fk['fields']}` -> `{target}.{fk['reference']['fields']}`.")
        lines += ["", "| column | type | required | allowed values | description |", "|---|---|---|---|---|"]
        for f in table_schema["fields"]:
            c = f.get("constraints", {})
            allowed = sch.allowed_values(f, code=lambda v: f"`{v}`")
            desc = f["description"].replace("|", "\\|")
            cells = [f"`{f['name']}`", f["type"], "yes" if c.get("required") else "", allowed.replace("|", "\\|"), desc]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def plan(root: Path, documents: Mapping[str, str] | None = None) -> Outputs:
    """Compute every derived file from the curated sources, without writing anything.

    ``documents`` (path -> text) are derived files written from code above the core, such as the rule
    reference of :func:`libya_conflict.validators.reference.documents`; they are written and checked like
    the others."""
    root = Path(root)
    tables, problems = load_curated(root)
    canonical = {}
    for table, (header, rows) in tables.items():
        rows, table_problems = canonical_rows(table, header, rows, root)
        problems += table_problems
        canonical[table] = rows

    names = {t: sch.field_names(t, root) for t in canonical}
    if "articles" in canonical:
        problems += fill_articles(canonical["articles"], names["articles"], root)
    texts = {}
    folder = Confined(root)
    for row in canonical.get("articles", []):
        col = {n: i for i, n in enumerate(names["articles"])}
        if folder.is_file(row[col["path"]]):
            try:
                texts[row[col["article_id"]]] = folder.read_bytes(row[col["path"]]).decode("utf-8")
            except UnicodeDecodeError:
                problems.append(f"articles {row[col['article_id']]}: text file {row[col['path']]} is not UTF-8")
    if "claims" in canonical:
        problems += fill_claim_offsets(canonical["claims"], names["claims"], texts)

    outputs = Outputs()
    csv_bytes = {}
    for table, rows in canonical.items():
        data = write_csv(None, names[table], rows)
        csv_bytes[table] = data
        outputs.files[f"data/{table}.csv"] = data
        typed, errors = typed_table(table, _text_table(names[table], rows), root)
        key = names[table].index(sch.primary_key(table, root))
        problems += [f"data/{table}.csv row {rows[e.row][key]!r}, column {e.column}: {e.message}" for e in errors]
        outputs.parquet[(PARQUET_DIR / f"{table}.parquet").as_posix()] = copy_table(table, typed, root)
    if problems:
        raise BuildError(problems)
    outputs.files["datapackage.json"] = descriptor_bytes(datapackage_descriptor(root, csv_bytes))
    outputs.files["docs/codebook.md"] = codebook_markdown(root).encode("utf-8")
    # Documents derived from the layers above this one (the validator's rule reference): given by the caller,
    # since the build, part of the core, imports nothing of the validator.
    for rel, text in (documents or {}).items():
        outputs.files[rel] = text.encode("utf-8")
    from .metadata import Facts, citation_cff, croissant, jsonld_bytes, schema_org, zenodo_json

    facts = Facts.of(root, csv_bytes)
    outputs.files["CITATION.cff"] = citation_cff(facts).encode("utf-8")
    outputs.files[".zenodo.json"] = zenodo_json(facts).encode("utf-8")
    outputs.files["croissant.json"] = jsonld_bytes(croissant(facts))
    outputs.files["dataset.jsonld"] = jsonld_bytes(schema_org(facts))
    return outputs


def _text_table(names: list[str], rows: list[list[str]]):
    import pyarrow as pa

    return pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})


# --------------------------------------------------------------------------------------------- Save


def source_sha256(outputs: Outputs, rel: str) -> str:
    """The sha256 of the CSV the Parquet copy ``rel`` is converted from, as the build writes that CSV."""
    return hashlib.sha256(outputs.files[f"data/{Path(rel).stem}.csv"]).hexdigest()


def parquet_file(outputs: Outputs, rel: str) -> bytes:
    """The bytes of the Parquet copy ``rel``, carrying the sha256 of its CSV."""
    from .parquet import copy_bytes

    return copy_bytes(Path(rel).stem, outputs.parquet[rel], source_sha256(outputs, rel))


def stale_files(root: Path, outputs: Outputs) -> list[str]:
    """Paths whose committed content differs from what the build would write.

    A Parquet copy is fresh when it holds the same typed values and its footer says it was written from
    the CSV the build writes (see :mod:`libya_conflict.parquet`); its bytes may differ from one pyarrow
    version to the next."""
    import pyarrow.parquet as pq

    from .parquet import written_from

    stale = []
    folder = Confined(root)
    for rel, data in outputs.files.items():
        if not folder.is_file(rel) or folder.read_bytes(rel) != data:
            stale.append(rel)
    for rel, table in outputs.parquet.items():
        if not folder.is_file(rel):
            stale.append(rel)
            continue
        path = Path(folder.check(rel))
        try:
            committed = pq.read_table(path)
        except Exception:
            stale.append(rel)
            continue
        if (
            not committed.schema.equals(table.schema)
            or not committed.equals(table)
            or not written_from(path, source_sha256(outputs, rel))
        ):
            stale.append(rel)
    return sorted(stale)


def build(root: Path, check: bool = False, documents: Mapping[str, str] | None = None) -> list[str]:
    """Regenerate derived files under ``root``; return the paths that were (or, with check, would be) rewritten.

    >>> build(Path("."), check=True)  # doctest: +SKIP
    []
    """
    root = Path(root)
    outputs = plan(root, documents)
    stale = stale_files(root, outputs)
    if check:
        return stale
    folder = Confined(root)
    unsafe = []
    for rel in stale:
        try:
            folder.writable(rel)
        except UnsafePath as exc:
            unsafe.append(f"{rel}: {exc}; the build writes only regular files inside the project folder")
    if unsafe:
        raise BuildError(unsafe)
    for rel in stale:
        folder.write_bytes(rel, outputs.files[rel] if rel in outputs.files else parquet_file(outputs, rel))
    return stale


# ------------------------------------------------------------------------------------------- Reseal
# A package whose CSV files were edited in place (by a test, a corruption, the synthetic generator) gets
# what the build derives from them refreshed here, so that it differs from a built package only by the edit.


def write_copy(root: Path, table: str, text_table, csv_sha256: str) -> list:
    """Write the Parquet copy of ``table`` converted from its CSV text (an Arrow table of strings, as the
    build converts it), carrying the sha256 of that CSV. Returns the cells that are not of their type
    (:class:`libya_conflict.tables.CellError`); they are missing in the copy."""
    from .parquet import write_parquet

    typed, errors = typed_table(table, text_table)
    folder = Path(root) / PARQUET_DIR
    folder.mkdir(parents=True, exist_ok=True)
    write_parquet(folder / f"{table}.parquet", table, copy_table(table, typed), csv_sha256)
    return errors


def seal_descriptor(
    root: Path, files: Mapping[str, tuple[int, str]] | None = None, descriptor: dict | None = None
) -> None:
    """Write datapackage.json (``descriptor``, or the one in ``root``) with the ``bytes`` and ``hash`` of
    every resource whose file exists refreshed: from ``files`` (resource name -> size and sha256 hex, for
    files already hashed) or else from the file on disk."""
    from .descriptor import resource_seal

    root = Path(root)
    path = root / "datapackage.json"
    if descriptor is None:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        name = resource.get("name")
        known = files.get(name) if files and isinstance(name, str) else None
        if known is None:
            data_path = root / str(resource.get("path", ""))
            if not data_path.is_file():
                continue
            data = data_path.read_bytes()
            known = (len(data), sha256_hex(data))
        resource.update(resource_seal(*known))
    path.write_bytes(descriptor_bytes(descriptor))


def reseal(root: Path, tables=(), descriptor: bool = True) -> None:
    """Refresh what the build derives from the CSV files: the Parquet copies of ``tables`` and (with
    ``descriptor``) the size and hash of every CSV in datapackage.json."""
    from .tables import parse_text_table

    root = Path(root)
    for table in tables:
        path = root / "data" / f"{table}.csv"
        data = path.read_bytes()
        write_copy(root, table, parse_text_table(data, path), sha256_hex(data))
    if descriptor:
        seal_descriptor(root)
