"""Reading a data package folder for validation, without losing anything to a bad file.

A file that is missing or unreadable becomes a problem naming the file; the other tables are still read
and checked. Cells that are not of their column's type become ``column.type`` problems and are treated as
missing by the later rules, so one typo does not hide the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from libya_conflict import schema as sch
from libya_conflict.tables import read_text_table, typed_table

from .report import Report


@dataclass
class Package:
    root: Path
    descriptor: dict | None = None
    text: dict = field(default_factory=dict)    # table -> pyarrow.Table of strings, as in the CSV
    frames: dict = field(default_factory=dict)  # table -> typed pandas DataFrame (vocabularies as strings)
    articles: dict = field(default_factory=dict)  # article_id -> (decoded text or None, raw bytes or None)

    def row_key(self, table: str, index: int) -> str:
        """The primary key of a row when it has one, else its CSV line."""
        frame = self.frames.get(table)
        pk = sch.primary_key(table)
        if frame is not None and pk in frame.columns and 0 <= index < len(frame):
            value = self.text[table].column(pk)[index].as_py() if pk in self.text[table].column_names else ""
            if value:
                return value
        return f"line {index + 2}"


def typed_frame(table: str, arrow_table):
    """pandas frame for rules: schema types, but vocabularies kept as strings so typos stay visible."""
    import pandas as pd

    frame = arrow_table.to_pandas()
    dtypes = sch.pandas_dtypes(table)
    for name in frame.columns:
        dtype = dtypes[name]
        if isinstance(dtype, pd.CategoricalDtype):
            dtype = pd.StringDtype()
        frame[name] = frame[name].astype(dtype)
    return frame


def read_package(root: Path, report: Report) -> Package:
    """Read datapackage.json, every table CSV declared in schemas/, and the article texts."""
    root = Path(root)
    package = Package(root=root)
    descriptor_path = root / "datapackage.json"
    if not descriptor_path.is_file():
        report.add("", "", "", "integrity.file_missing", f"{descriptor_path.name} is missing from {root}")
    else:
        try:
            package.descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.add("", "", "", "integrity.unreadable", f"datapackage.json cannot be parsed: {exc}")

    for table in sch.table_names():
        path = root / "data" / f"{table}.csv"
        if not path.is_file():
            report.add(table, "", "", "integrity.file_missing", f"data/{table}.csv is missing")
            continue
        try:
            text_table = read_text_table(path)
        except ValueError as exc:
            report.add(table, "", "", "integrity.unreadable", str(exc))
            continue
        package.text[table] = text_table
        typed, errors = typed_table(table, text_table)
        package.frames[table] = typed_frame(table, typed)
        for e in errors:
            report.add(table, package.row_key(table, e.row), e.column, "column.type", e.message)

    import pandas as pd

    articles = package.frames.get("articles")
    if articles is not None and {"article_id", "path"} <= set(articles.columns):
        for article_id, rel in zip(articles["article_id"], articles["path"]):
            if pd.isna(article_id) or pd.isna(rel):
                continue
            path = root / str(rel)
            raw = path.read_bytes() if path.is_file() else None
            try:
                text = raw.decode("utf-8") if raw is not None else None
            except UnicodeDecodeError:
                text = None
            package.articles[str(article_id)] = (text, raw)
    return package
