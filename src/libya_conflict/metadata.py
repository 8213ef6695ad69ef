"""Descriptions of the dataset for catalogues, archives and citation managers, all from ``schemas/``.

>>> from libya_conflict.metadata import Facts
>>> facts = Facts.of(Path("."))                      # in the project folder   # doctest: +SKIP
>>> croissant(facts)["recordSet"][0]["name"]                                  # doctest: +SKIP
'actors'

- :func:`croissant`: ``croissant.json``, Croissant 1.0 (JSON-LD), which Hugging Face, Kaggle and OpenML
  read: every CSV as a file object with its sha256, every table as a record set whose fields have their
  types, descriptions, keys and references;
- :func:`schema_org`: ``dataset.jsonld``, a plain schema.org ``Dataset`` (what dataset search engines read
  in a web page), with coverage in space and time and the articles it is based on;
- :func:`citation_cff`: ``CITATION.cff`` (Citation File Format 1.2.0), written with a YAML library;
- :func:`zenodo_json`: ``.zenodo.json``, the deposit metadata Zenodo reads when it archives a release.

Every date comes from the release date in ``schemas/package.json`` (``released``); nothing reads the clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# The Croissant 1.0 JSON-LD context, as the specification's example datasets give it.
CROISSANT_CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
CROISSANT_VERSION = "http://mlcommons.org/croissant/1.0"
# Table Schema types and the schema.org data types Croissant gives fields.
CROISSANT_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
}
# SPDX licence identifiers and the ones Zenodo spells in lower case.
CITATION_MESSAGE = "If you use this dataset, please cite it as below, and cite the articles whose claims you rely on."


@dataclass(frozen=True)
class Facts:
    """What every description is made from: package metadata, version, table schemas, the CSV files'
    sizes and hashes, and the articles table (as dicts of text)."""

    meta: dict
    version: str
    schemas: dict
    files: dict  # table -> (bytes, sha256 hex)
    articles: list

    @classmethod
    def of(cls, root: Path, csv_bytes: dict[str, bytes] | None = None) -> Facts:
        """The facts of the project or package in ``root`` (its CSV files, or ``csv_bytes`` as the build
        is about to write them)."""
        from . import schema as sch
        from .build import project_version, sha256_hex, text_rows
        from .confine import Confined

        root = Path(root)
        if csv_bytes is None:
            folder = Confined(root)
            csv_bytes = {t: folder.read_bytes(f"data/{t}.csv") for t in sch.table_names(root)}
        return cls(
            sch.package_metadata(root),
            project_version(root),
            sch.schemas(root),
            {t: (len(d), sha256_hex(d)) for t, d in csv_bytes.items()},
            text_rows(csv_bytes["articles"], "data/articles.csv"),
        )

    @property
    def released(self) -> str:
        return self.meta["released"]

    @property
    def licence(self) -> dict:
        return self.meta["licenses"][0]

    @property
    def authors(self) -> list[str]:
        return [c["title"] for c in self.meta.get("contributors", [])]


def _primary_key(schema: dict) -> list[str]:
    key = schema.get("primaryKey", [])
    return key if isinstance(key, list) else [key]


def _description(field: dict) -> str:
    from .schema import allowed_values

    allowed = allowed_values(field)
    return f"{field['description']} Allowed: {allowed}." if allowed else field["description"]


def croissant(facts: Facts) -> dict:
    """``croissant.json``: the dataset in Croissant 1.0."""
    from .descriptor import article_title

    distribution = []
    for table in facts.schemas:
        size, digest = facts.files[table]
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": f"{table}.csv",
                "name": f"{table}.csv",
                "description": f"The {table} table (UTF-8 CSV, empty cells are missing values).",
                "contentUrl": f"data/{table}.csv",
                "contentSize": f"{size} B",
                "encodingFormat": "text/csv",
                "sha256": digest,
            }
        )
    for a in sorted(facts.articles, key=lambda a: a["article_id"]):
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": a["article_id"],
                "name": a["path"].rsplit("/", 1)[-1],
                "description": f"Text of {article_title(a)}, byte for byte; the publisher's.",
                "contentUrl": a["path"],
                "contentSize": f"{a['bytes']} B",
                "encodingFormat": "text/plain",
                "sha256": a["sha256"],
            }
        )
    record_sets = []
    for table, schema in facts.schemas.items():
        # Keys to other tables are said in the field's description, not as Croissant ``references``:
        # mlcroissant turns a reference into a join when it reads the table, and fails on it (1.1), and
        # a reference within a table (a parent actor, a parent place) is a cycle to it.
        references = {}
        for fk in schema.get("foreignKeys", []):
            references[fk["fields"]] = f"{fk['reference']['resource'] or table}.{fk['reference']['fields']}"
        fields = []
        for f in schema["fields"]:
            field = {
                "@type": "cr:Field",
                "@id": f"{table}/{f['name']}",
                "name": f["name"],
                "description": _description(f)
                + (f" References {references[f['name']]}." if f["name"] in references else ""),
                "dataType": CROISSANT_TYPES[f["type"]],
                "source": {"fileObject": {"@id": f"{table}.csv"}, "extract": {"column": f["name"]}},
            }
            fields.append(field)
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": table,
                "name": table,
                "description": schema["description"],
                "key": [{"@id": f"{table}/{k}"} for k in _primary_key(schema)],
                "field": fields,
            }
        )
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT_VERSION,
        "name": facts.meta["name"],
        "description": facts.meta["description"],
        "version": facts.version,
        "datePublished": facts.released,
        "license": facts.licence["path"],
        "url": "datapackage.json",
        "keywords": facts.meta.get("keywords", []),
        "inLanguage": ["ar", "en"],
        "creator": [{"@type": "sc:Organization", "name": name} for name in facts.authors],
        "citeAs": citation_text(facts),
        "distribution": distribution,
        "recordSet": record_sets,
    }


def citation_text(facts: Facts) -> str:
    """The dataset cited in one line: authors, year, title, version."""
    return f"{', '.join(facts.authors)} ({facts.released[:4]}). {facts.meta['title']} (version {facts.version})."


def schema_org(facts: Facts) -> dict:
    """``dataset.jsonld``: a schema.org ``Dataset`` (for a web page's ``<script type="application/ld+json">``)."""
    from .descriptor import article_title

    space, time = facts.meta["x-spatial-coverage"], facts.meta["x-temporal-coverage"]
    west, south, east, north = space["bbox"]
    based_on = [
        {
            "@type": "NewsArticle",
            "identifier": a["article_id"],
            "name": article_title(a),
            "inLanguage": "ar",
            "encodingFormat": "text/plain",
            "contentUrl": a["path"],
            **({"publisher": {"@type": "Organization", "name": a["outlet"]}} if a["outlet"] else {}),
            "datePublished": a["published_earliest"]
            if a["published_earliest"] == a["published_latest"]
            else f"{a['published_earliest']}/{a['published_latest']}",
        }
        for a in sorted(facts.articles, key=lambda a: a["article_id"])
    ]
    downloads = [
        {
            "@type": "DataDownload",
            "name": f"{t}.csv",
            "encodingFormat": "text/csv",
            "contentUrl": f"data/{t}.csv",
            "contentSize": f"{facts.files[t][0]} B",
            "sha256": facts.files[t][1],
        }
        for t in facts.schemas
    ]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": facts.meta["title"],
        "alternateName": facts.meta["name"],
        "description": facts.meta["description"],
        "version": facts.version,
        "datePublished": facts.released,
        "license": facts.licence["path"],
        "keywords": facts.meta.get("keywords", []),
        "inLanguage": ["ar", "en"],
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": name} for name in facts.authors],
        "citation": citation_text(facts),
        # schema.org's box is "south west north east".
        "spatialCoverage": {
            "@type": "Place",
            "name": space["name"],
            "geo": {"@type": "GeoShape", "box": f"{south} {west} {north} {east}"},
        },
        "temporalCoverage": f"{time['start']}/{time['end']}",
        "variableMeasured": [
            {"@type": "PropertyValue", "name": f"{t}.{f['name']}", "description": f["description"]}
            for t, s in facts.schemas.items()
            for f in s["fields"]
        ],
        "isBasedOn": based_on,
        "distribution": downloads,
    }


def citation_cff(facts: Facts) -> str:
    """``CITATION.cff``: Citation File Format 1.2.0, written by a YAML library so that any text is quoted
    as YAML needs it."""
    import yaml

    cff = {
        "cff-version": "1.2.0",
        "message": CITATION_MESSAGE,
        "type": "dataset",
        "title": facts.meta["title"],
        "version": facts.version,
        "date-released": facts.released,
        "authors": [{"name": name} for name in facts.authors],
        "license": facts.licence["name"],
        "abstract": facts.meta["description"],
        "keywords": list(facts.meta.get("keywords", [])),
    }
    # One line per value (no folding), so that a line-by-line reader such as `libya-conflict info` sees it whole.
    body = yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=1 << 16, default_flow_style=False)
    return "# Generated by `libya-conflict build` from schemas/package.json and pyproject.toml; do not edit.\n" + body


def zenodo_json(facts: Facts) -> str:
    """``.zenodo.json``: what Zenodo records when it archives a release (its licence ids are lower case)."""
    deposit = {
        "title": facts.meta["title"],
        "upload_type": "dataset",
        "description": facts.meta["description"],
        "version": facts.version,
        "publication_date": facts.released,
        "creators": [{"name": name} for name in facts.authors],
        "license": facts.licence["name"].lower(),
        "access_right": "open",
        "keywords": list(facts.meta.get("keywords", [])),
        "language": "ara",
        "notes": facts.meta.get("x-licence-note", ""),
    }
    return json.dumps(deposit, ensure_ascii=False, indent=2) + "\n"


def jsonld_bytes(document: dict) -> bytes:
    """A JSON-LD document as the build writes it (UTF-8, indented, a final newline)."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
