"""The Data Package descriptor (``datapackage.json``), in the Data Package v2 dialect, from ``schemas/``.

>>> from libya_conflict.descriptor import table_schema_v2
>>> table_schema_v2({"fields": [{"name": "side", "type": "string", "constraints": {"enum": ["a", "b"]}}],
...                  "primaryKey": "side"})["fields"][0]["categories"]
['a', 'b']

``schemas/<table>.schema.json`` stays the one definition of every table; what v2 says differently is
derived here:

- a vocabulary (``constraints.enum``) is also given as v2 ``categories``, the allowed values in order;
- a column holding several values in one cell (``"x-list-delimiter"`` in its schema) is a v2 ``list``
  field of strings with that delimiter: the CSV cell is unchanged (``عين زارة | عين زاره``), and a
  v2 reader gets the list of values;
- each resource is ``"type": "table"``; the package has ``$schema``, an ``id`` (a UUID derived from its
  name and version), ``created`` (the release date, never the clock) and ``sources``: every article with
  its outlet and publication date.

:func:`table_schema_v1` is the form older releases carried (the schema file as it is), which the
validator still accepts in a descriptor someone kept from such a release.
"""

from __future__ import annotations

import copy
import uuid

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
# The schema file's own keys that are not part of its Table Schema in a descriptor.
HEADING_KEYS = ("name", "title", "description")
LIST_DELIMITER = "x-list-delimiter"
# v1 contributor roles and their v2 names (v2 recommends the DataCite vocabulary).
V2_ROLES = {
    "author": "creator",
    "publisher": "publisher",
    "maintainer": "contactPerson",
    "wrangler": "dataCurator",
    "contributor": "other",
}
# Package metadata in schemas/package.json that is not copied into the descriptor as it is.
NOT_COPIED = ("released", "contributors")


def table_schema_v1(table_schema: dict) -> dict:
    """The Table Schema of a table as older (Data Package v1) descriptors carry it: the schema file
    without its heading, and without the list hints it has gained since."""
    out = {k: v for k, v in table_schema.items() if k not in HEADING_KEYS}
    out["fields"] = [{k: v for k, v in f.items() if k != LIST_DELIMITER} for f in out["fields"]]
    return out


def table_schema_v2(table_schema: dict) -> dict:
    """The Table Schema of a table in the Data Package v2 dialect (see the module docstring)."""
    out = copy.deepcopy({k: v for k, v in table_schema.items() if k not in HEADING_KEYS})
    fields = []
    for f in out["fields"]:
        f = dict(f)
        delimiter = f.pop(LIST_DELIMITER, None)
        if delimiter is not None:
            # A list field admits only the constraints on the whole cell; the items are strings.
            f["type"], f["itemType"], f["delimiter"] = "list", f["type"], delimiter
            kept = {k: v for k, v in f.get("constraints", {}).items() if k in ("required", "minLength", "maxLength")}
            f.pop("constraints", None)
            if kept:
                f["constraints"] = kept
        enum = f.get("constraints", {}).get("enum")
        if enum:
            f["categories"] = list(enum)
        fields.append(f)
    out["fields"] = fields
    # Keys stay as the schema file writes them (a field name; "" for a reference within the table): v2
    # still accepts that form, and readers written for v1 descriptors rely on it.
    return out


def package_id(name: str, version: str) -> str:
    """A globally unique, stable identifier of one version of the package: a UUID (version 5) of its name
    and version, the same on every machine.

    >>> package_id("libya-conflict", "1.0.0") == package_id("libya-conflict", "1.0.0")
    True
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"datapackage:{name}@{version}"))


def created(meta: dict) -> str:
    """The release date of ``schemas/package.json`` (``released``) as a v2 ``created`` timestamp."""
    return f"{meta['released']}T00:00:00Z"


def article_title(article: dict) -> str:
    """How a source article is named in the metadata: its ID, outlet (or that it names none), the agencies
    it draws on and its publication date or date range.

    >>> article_title({"article_id": "art-002", "outlet": "Al Jazeera", "wire_sources": "",
    ...                "published_earliest": "2020-06-04", "published_latest": "2020-06-04"})
    'art-002: Al Jazeera, published 2020-06-04 (Arabic)'
    """
    outlet = article.get("outlet") or "outlet not named in the text"
    wires = [w.strip() for w in (article.get("wire_sources") or "").split("|") if w.strip()]
    if wires:
        outlet += ", drawing on " + " and ".join(wires)
    first, last = str(article["published_earliest"]), str(article["published_latest"])
    when = f"published {first}" if first == last else f"published between {first} and {last}"
    return f"{article['article_id']}: {outlet}, {when} (Arabic)"


def package_sources(articles: list[dict]) -> list[dict]:
    """v2 ``sources``: one per article, its title (:func:`article_title`) and the bundled text's path."""
    return [{"title": article_title(a), "path": a["path"]} for a in sorted(articles, key=lambda a: a["article_id"])]


def resource_seal(size: int, sha256: str) -> dict:
    """The ``bytes`` and ``hash`` of a resource whose file is ``size`` bytes long with this sha256 (hex).

    >>> resource_seal(3, "ab")
    {'bytes': 3, 'hash': 'sha256:ab'}
    """
    return {"bytes": size, "hash": f"sha256:{sha256}"}


def datapackage_v2(
    meta: dict, version: str, schemas: dict[str, dict], files: dict[str, tuple[int, str]], articles: list[dict]
) -> dict:
    """The whole descriptor. ``meta``: schemas/package.json; ``files``: ``{table: (bytes, sha256 hex)}`` of
    each CSV; ``articles``: the articles table as dicts of text."""
    descriptor = {
        "$schema": PACKAGE_PROFILE,
        "id": package_id(meta["name"], version),
        "name": meta["name"],
        "title": meta["title"],
        "description": meta["description"],
        "version": version,
        "created": created(meta),
    }
    descriptor.update({k: v for k, v in meta.items() if k not in descriptor and k not in NOT_COPIED})
    descriptor["contributors"] = [
        {**{k: v for k, v in c.items() if k != "role"}, "roles": [V2_ROLES.get(c.get("role"), c.get("role"))]}
        for c in meta.get("contributors", [])
    ]
    descriptor["sources"] = package_sources(articles)
    resources = []
    for table, table_schema in schemas.items():
        size, digest = files[table]
        resources.append(
            {
                "name": table,
                "type": "table",
                "title": table_schema["title"],
                "description": table_schema["description"],
                "path": f"data/{table}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **resource_seal(size, digest),
                "schema": table_schema_v2(table_schema),
            }
        )
    descriptor["resources"] = resources
    return descriptor
