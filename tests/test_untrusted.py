"""The validator on anyone's files: confined to its folder, never hanging, offline, total, and right.

A user runs ``libya-conflict validate`` on a folder someone sent them. Whatever is in it (paths that
climb out, links, pipes, URLs, damaged bytes, wrong shapes), the run ends with exit 0, 1 or 2 and a
report, shows nothing of any file outside the folder, fetches nothing, and still gets the verdicts
right. A planted secret outside the folder stands for the user's own files: its marker and its digest
must never appear, and an inotify watch proves it is never even opened.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from damage import (
    ERROR_PREFIX,
    api_in_process,
    at_cell,
    check_run,
    cli,
    copy_package,
    copy_project,
    csv_path,
    descriptor_of,
    edit,
    found,
    main_in_process,
    messages,
    plant_secret,
    resource_of,
    rows_of,
    same_folder,
    seal,
    watch_opens,
    write_descriptor,
    write_rows,
)

import libya_conflict as lc
from libya_conflict import schema as sch

# Each test validates, builds or exports a damaged copy, many in a child process: minutes in all.
pytestmark = pytest.mark.slow


@pytest.fixture
def secret(tmp_path):
    return plant_secret(tmp_path)


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def article(folder, index=0):
    return rows_of(folder, "articles")[index]


def json_run(folder, codes=(1,), fifos=()):
    """validate --format json in this process; the run must keep the contract. Returns the problems."""
    run = main_in_process("validate", str(folder), "--format", "json", fifos=fifos)
    wrong = check_run(run, "json", folder, codes=codes)
    assert not wrong, wrong
    return run.payload["problems"]


def places(problems, rule):
    """(table, row) of each problem under ``rule``."""
    return {(t, r) for t, r, _ in found(problems, rule)}


# ----------------------------------------------------------------------------------------- Confinement
# Each case makes the package point at the secret; returns where the report must file integrity.path:
# (table, row, column), column None when any column will do.


def _article_path(value):
    def damage(folder, secret):
        key = edit(folder, "articles", 0, path=value(folder, secret))
        return ("articles", key, "path")

    return damage


def _article_symlink(target):
    def damage(folder, secret):
        a = article(folder)
        path = folder / a["path"]
        path.unlink()
        os.symlink(target(path, secret), path)
        return ("articles", a["article_id"], "path")

    return damage


def sources_folder_linked_outside(folder, secret):
    # The folder of the texts, not the texts, leads out: every file name in it looks right.
    mirror = secret.folder / "sources"
    mirror.mkdir()
    for text in (folder / "data" / "sources").iterdir():
        shutil.copy(secret.path, mirror / text.name)
    shutil.rmtree(folder / "data" / "sources")
    os.symlink(mirror, folder / "data" / "sources")
    return ("articles", article(folder)["article_id"], "path")


def table_linked_outside(folder, secret):
    csv_path(folder, "events").unlink()
    os.symlink(secret.path, csv_path(folder, "events"))
    return ("events", "", None)


def data_folder_linked_outside(folder, secret):
    mirror = secret.folder / "data"
    shutil.copytree(folder / "data", mirror)
    shutil.copy(secret.path, mirror / "events.csv")
    shutil.rmtree(folder / "data")
    os.symlink(mirror, folder / "data")
    return ("events", "", None)


def _resource_path(value):
    def damage(folder, secret):
        descriptor = descriptor_of(folder)
        resource_of(descriptor, "events")["path"] = value(secret)
        write_descriptor(folder, descriptor)
        return ("events", "", None)

    return damage


def descriptor_linked_outside(folder, secret):
    # A descriptor outside the folder, well formed, holding the marker in its title.
    outside = secret.folder / "datapackage.json"
    descriptor = descriptor_of(folder)
    descriptor["title"] = f"{secret.marker} {secret.marker}"
    outside.write_text(json.dumps(descriptor), encoding="utf-8")
    (folder / "datapackage.json").unlink()
    os.symlink(outside, folder / "datapackage.json")
    return (None, "", None)


CONFINEMENT = {
    "article path ../outside/secret.txt": _article_path(lambda f, s: "../outside/secret.txt"),
    "article path climbing through data/sources": _article_path(
        lambda f, s: "data/sources/../../../outside/secret.txt"
    ),
    "article path ../../../etc/passwd": _article_path(lambda f, s: "../" * 12 + "etc/passwd"),
    "article path absolute": _article_path(lambda f, s: str(s.path)),
    "article file symlinked outside (absolute link)": _article_symlink(lambda path, s: s.path),
    "article file symlinked outside (relative link)": _article_symlink(
        lambda path, s: os.path.relpath(s.path, path.parent)
    ),
    "data/sources symlinked to an outside folder": sources_folder_linked_outside,
    "data/events.csv symlinked outside": table_linked_outside,
    "data/ symlinked to an outside folder": data_folder_linked_outside,
    "resource path ../outside/secret.txt": _resource_path(lambda s: "../outside/secret.txt"),
    "resource path climbing through data/": _resource_path(lambda s: "data/../../outside/secret.txt"),
    "resource path absolute": _resource_path(lambda s: str(s.path)),
    "datapackage.json symlinked outside": descriptor_linked_outside,
}


def passwd_first_line() -> str | None:
    try:
        line = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
    except OSError:
        return None
    return line if len(line) > 12 else None


@pytest.mark.parametrize("case", CONFINEMENT)
def test_a_path_out_of_the_folder_is_reported_and_never_read(case, package_copy, secret):
    table, row, column = CONFINEMENT[case](package_copy, secret)
    passwd = passwd_first_line()
    with watch_opens(secret.folder) as opened:
        run = main_in_process("validate", str(package_copy), "--format", "json")
        text = main_in_process("validate", str(package_copy))
        report, escaped, _ = api_in_process(package_copy)
    assert not check_run(run, "json", package_copy, codes=(1,)), check_run(run, "json", package_copy, codes=(1,))
    assert not check_run(text, "text", package_copy, codes=(1,)), check_run(text, "text", package_copy, codes=(1,))
    assert not escaped and report is not None, escaped
    problems = run.payload["problems"]
    where = found(problems, "integrity.path")
    if table is None:
        assert where, f"no integrity.path problem: {problems[:5]}"
    elif column is None:
        assert (table, row) in {(t, r) for t, r, _ in where}, f"integrity.path at {table} {row!r} missing: {where}"
    else:
        assert (table, row, column) in where, f"integrity.path at {(table, row, column)} missing: {where}"
    assert found(report.problems, "integrity.path") == where
    assert secret.leaks(run.out, run.err, text.out, text.err, *messages(report.problems)) == []
    if passwd and "etc/passwd" in case:
        assert passwd not in run.out + run.err + text.out + text.err
    assert opened() == [], "the validator opened a file outside the folder"


def test_a_table_linked_outside_leaks_nothing_from_a_child_process(package_copy, secret):
    table_linked_outside(package_copy, secret)
    with watch_opens(secret.folder) as opened:
        run = cli("validate", package_copy, "--format", "json")
        text = cli("validate", package_copy)
    assert not check_run(run, "json", package_copy, codes=(1,))
    assert not check_run(text, "text", package_copy, codes=(1,))
    assert ("events", "") in places(run.payload["problems"], "integrity.path")
    assert secret.leaks(run.raw, text.raw) == []
    assert opened() == []


def test_links_that_stay_inside_the_folder_are_fine(package_copy):
    store = package_copy / "store"
    store.mkdir()
    a = article(package_copy)
    text = package_copy / a["path"]
    shutil.move(text, store / text.name)
    os.symlink(os.path.relpath(store / text.name, text.parent), text)
    events = csv_path(package_copy, "events")
    shutil.move(events, store / "events.csv")
    os.symlink((store / "events.csv").resolve(), events)  # absolute, and still inside
    problems = json_run(package_copy, codes=(0,))
    assert problems == []


# ------------------------------------------------------------------------------------------- No hang
# A FIFO blocks whoever opens it for reading until someone writes; a folder or a device is not a file.
# Each must be reported, never waited on. (The harness releases a FIFO still held for reading after a
# grace period, and reports that the run blocked on it.)


def test_an_article_that_is_a_fifo_is_reported_without_hanging(package_copy):
    a = article(package_copy)
    path = package_copy / a["path"]
    path.unlink()
    os.mkfifo(path)
    run = cli("validate", package_copy, "--format", "json", fifos=[path])
    assert not check_run(run, "json", package_copy, codes=(1,)), check_run(run, "json", package_copy, codes=(1,))
    assert ("articles", a["article_id"], "path") in found(run.payload["problems"], "integrity.path")


def test_a_table_that_is_a_fifo_is_reported_without_hanging(package_copy):
    path = csv_path(package_copy, "events")
    path.unlink()
    os.mkfifo(path)
    run = cli("validate", package_copy, "--format", "json", fifos=[path])
    assert not check_run(run, "json", package_copy, codes=(1,)), check_run(run, "json", package_copy, codes=(1,))
    assert ("events", "") in places(run.payload["problems"], "integrity.path")


def test_an_article_linked_to_a_fifo_outside_is_reported_without_hanging(package_copy, secret):
    fifo = secret.folder / "pipe"
    os.mkfifo(fifo)
    a = article(package_copy)
    path = package_copy / a["path"]
    path.unlink()
    os.symlink(fifo, path)
    run = main_in_process("validate", str(package_copy), "--format", "json", fifos=[fifo])
    assert not check_run(run, "json", package_copy, codes=(1,)), check_run(run, "json", package_copy, codes=(1,))
    assert ("articles", a["article_id"], "path") in found(run.payload["problems"], "integrity.path")


def _replace_with_folder(path: Path):
    path.unlink()
    path.mkdir()
    (path / "inner.txt").write_text("not the file\n", encoding="utf-8")


def _replace_with_device(path: Path):
    path.unlink()
    os.symlink("/dev/null", path)


@pytest.mark.parametrize("make", [_replace_with_folder, _replace_with_device], ids=["folder", "device"])
def test_an_article_that_is_not_a_regular_file_is_reported(make, package_copy):
    a = article(package_copy)
    make(package_copy / a["path"])
    problems = json_run(package_copy)
    assert ("articles", a["article_id"], "path") in found(problems, "integrity.path")


@pytest.mark.parametrize("make", [_replace_with_folder, _replace_with_device], ids=["folder", "device"])
def test_a_table_that_is_not_a_regular_file_is_reported(make, package_copy):
    make(csv_path(package_copy, "events"))
    problems = json_run(package_copy)
    assert ("events", "") in places(problems, "integrity.path")


def test_a_descriptor_that_is_a_folder_is_reported(package_copy):
    _replace_with_folder(package_copy / "datapackage.json")
    problems = json_run(package_copy)
    assert found(problems, "integrity.path")


# ------------------------------------------------------------------------------------------ No network


class _Counting(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        self.hits.append(self.path)
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """A web server on this machine that answers anything; ``hits`` lists what was asked of it."""
    handler = type("Handler", (_Counting,), {"hits": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", handler.hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def _package_field(name):
    def put(descriptor, url):
        descriptor[name] = url

    return put


def _resource_field(name, suffix):
    def put(descriptor, url):
        resource_of(descriptor, "events")[name] = url + suffix

    return put


URL_PLACES = {
    "profile": _package_field("profile"),
    "$schema": _package_field("$schema"),
    "resource path": _resource_field("path", "/events.csv"),
    "resource schema": _resource_field("schema", "/events.schema.json"),
    "resource dialect": _resource_field("dialect", "/dialect.json"),
    "resource profile": _resource_field("profile", "/tabular-data-resource.json"),
}


@pytest.mark.parametrize("where", URL_PLACES)
def test_a_url_in_the_descriptor_is_reported_and_never_fetched(where, package_copy, server):
    base, hits = server
    descriptor = descriptor_of(package_copy)
    URL_PLACES[where](descriptor, base + ("/profile.json" if where in ("profile", "$schema") else ""))
    write_descriptor(package_copy, descriptor)
    problems = json_run(package_copy)
    report = lc.validate(package_copy)
    assert "integrity.url" in {p["rule"] for p in problems}, problems[:5]
    assert "integrity.url" in report.rules()
    assert hits == [], f"the validator fetched {hits}"


def test_a_url_given_as_a_schema_field_is_never_fetched(package_copy, server):
    # A string where a field object belongs is, to a frictionless reader, a reference to fetch.
    base, hits = server
    descriptor = descriptor_of(package_copy)
    resource_of(descriptor, "events")["schema"]["fields"][3] = base + "/field.json"
    write_descriptor(package_copy, descriptor)
    json_run(package_copy)
    lc.validate(package_copy)
    assert hits == [], f"the validator fetched {hits}"


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to open a connection fails, and is recorded."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:2] or args[:1])
        raise OSError("network use is not allowed here")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def test_validation_works_with_the_network_blocked(no_network, package_copy):
    assert lc.validate().valid
    key = edit(package_copy, "events", 0, status="occured")
    seal(package_copy, "events")
    report = lc.validate(package_copy)
    assert found(report.problems, "column.enum") == {("events", key, "status")}
    assert report.rules() == {"column.enum"}
    descriptor = descriptor_of(package_copy)
    descriptor["profile"] = "https://frictionlessdata.io/profiles/tabular-data-package.json"
    write_descriptor(package_copy, descriptor)
    report = lc.validate(package_copy)
    assert "integrity.url" in report.rules() and "column.enum" in report.rules()
    assert no_network == [], f"connections attempted: {no_network}"


# ----------------------------------------------------------------------------------------------- Total
# Damaged files: the run ends with a report (exit 1) naming the damage, never a traceback.


def _csv_text(folder, table):
    return csv_path(folder, table).read_text(encoding="utf-8")


def duplicated_header(folder):
    rows = list(csv.reader(io.StringIO(_csv_text(folder, "events"))))
    rows[0].append("description_en")
    for row in rows[1:]:
        row.append("A second description that a reader keeping the first column would lose.")
    with open(csv_path(folder, "events"), "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def descriptor_text(text):
    def damage(folder):
        (folder / "datapackage.json").write_text(text, encoding="utf-8")

    return damage


def descriptor_edit(change):
    def damage(folder):
        descriptor = descriptor_of(folder)
        write_descriptor(folder, change(descriptor))

    return damage


def truncated_descriptor(folder):
    path = folder / "datapackage.json"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def semicolon_separated(folder):
    rows = list(csv.reader(io.StringIO(_csv_text(folder, "events"))))
    with open(csv_path(folder, "events"), "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(rows)


def big_cell(size):
    def damage(folder):
        edit(folder, "events", 3, description_en="Long text " + "x" * size)

    return damage


def file_bytes(table, data):
    def damage(folder):
        csv_path(folder, table).write_bytes(data() if callable(data) else data)

    return damage


def header_only(folder):
    path = csv_path(folder, "events")
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")


def data_is_a_file(folder):
    shutil.rmtree(folder / "data")
    (folder / "data").write_text("event_id\n", encoding="utf-8")


def _first_string_resource(descriptor):
    descriptor["resources"][0] = "events"
    return descriptor


TOTAL = {
    # case: (damage, rule the report must carry or None, table it must be filed under or None)
    "duplicated header column": (duplicated_header, "integrity.schema_mismatch", "events"),
    "descriptor is a JSON list": (descriptor_text('[{"name": "libya-conflict"}]\n'), "integrity.descriptor", None),
    "descriptor resources is a string": (
        descriptor_edit(lambda d: {**d, "resources": "data/events.csv"}),
        "integrity.descriptor",
        None,
    ),
    "descriptor resource is a string": (descriptor_edit(_first_string_resource), "integrity.descriptor", None),
    "descriptor truncated": (truncated_descriptor, "integrity.unreadable", None),  # JSON that cannot be parsed
    "descriptor is null": (descriptor_text("null\n"), None, None),
    "descriptor is a string": (descriptor_text('"datapackage"\n'), None, None),
    "descriptor resources is null": (descriptor_edit(lambda d: {**d, "resources": None}), None, None),
    "descriptor resource fields is a string": (
        descriptor_edit(lambda d: (resource_of(d, "events")["schema"].update(fields="event_id"), d)[1]),
        None,
        None,
    ),
    "descriptor resource name is a number": (
        descriptor_edit(lambda d: (resource_of(d, "events").update(name=7), d)[1]),
        None,
        None,
    ),
    "descriptor resource path is a list": (
        descriptor_edit(lambda d: (resource_of(d, "events").update(path=["data/events.csv", 3]), d)[1]),
        None,
        None,
    ),
    "semicolon-separated CSV": (semicolon_separated, "integrity.unreadable", "events"),
    "cell of 200 KiB": (big_cell(200 * 1024), None, None),
    "cell of 5 MiB": (big_cell(5 * 1024 * 1024), None, None),
    "empty CSV file": (file_bytes("events", b""), "integrity.unreadable", "events"),
    "header-only CSV": (header_only, None, None),
    "binary garbage": (
        file_bytes("events", lambda: b"\x00\xff\xfe" + os.urandom(4096)),
        "integrity.unreadable",
        "events",
    ),
    "data/ is a file": (data_is_a_file, None, None),
}
BIG = {"cell of 200 KiB", "cell of 5 MiB"}


@pytest.mark.parametrize("case", TOTAL)
def test_a_damaged_package_gets_a_report_not_a_crash(case, package_copy):
    damage, rule, table = TOTAL[case]
    damage(package_copy)
    codes = (0, 1) if case in BIG else (1,)
    run = main_in_process("validate", str(package_copy), "--format", "json")
    text = main_in_process("validate", str(package_copy))
    report, escaped, _ = api_in_process(package_copy)
    assert not check_run(run, "json", package_copy, codes=codes), check_run(run, "json", package_copy, codes=codes)
    assert not check_run(text, "text", package_copy, codes=codes), check_run(text, "text", package_copy, codes=codes)
    assert not escaped, escaped
    assert report.valid is (run.code == 0) and same_folder(report.folder, package_copy)
    problems = run.payload["problems"]
    if rule is not None:
        filed = places(problems, rule)
        assert filed, f"expected {rule}; the report says {[(p['rule'], p['table']) for p in problems[:10]]}"
        if table is not None:
            assert table in {t for t, _ in filed}, f"{rule} not filed under {table}: {filed}"


def test_a_duplicated_header_column_is_named_as_duplicated(package_copy):
    duplicated_header(package_copy)
    problems = json_run(package_copy)
    named = [
        m
        for m in messages([p for p in problems if p["table"] == "events"], "integrity.schema_mismatch")
        if "description_en" in m and re.search(r"duplicat|twice|\b[2-9] times|more than once|repeated", m, re.I)
    ]
    assert named, messages(problems, "integrity.schema_mismatch")


def test_a_semicolon_separated_csv_is_recognised_as_such(package_copy):
    semicolon_separated(package_copy)
    problems = json_run(package_copy)
    said = [m for m in messages(problems, "integrity.unreadable") if re.search(r"looks\s+`?;`?[- ]separated", m)]
    assert said, messages(problems)


def _first_undecodable(raw: bytes, encoding: str, header: list[str]) -> tuple[int, str]:
    """(line, column) of the first byte that is not UTF-8, the column found by reading the file in its
    real encoding up to that byte."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:
        raise AssertionError("the re-encoded file is still UTF-8")
    line = raw.count(b"\n", 0, start) + 1
    before = raw[:start].decode(encoding)
    if before.endswith("\n") or before == "":
        return line, header[0]
    record = list(csv.reader(io.StringIO(before.rsplit("\n", 1)[-1] if "\n" in before else before)))[-1]
    return line, header[len(record) - 1]


def _cafe_in_events(folder):
    edit(folder, "events", 7, description_en="Clashes near the caf\u00e9 in Zuwara, a na\u00efve report says")


ENCODINGS = {
    # hint: (encoding, table, column holding the first character that is not ASCII, edit before)
    "Windows-1256": ("cp1256", "actors", "name_ar", None),
    "Windows-1252": ("cp1252", "events", "description_en", _cafe_in_events),
}


@pytest.mark.parametrize("hint", ENCODINGS)
def test_a_csv_in_a_legacy_encoding_is_named_with_file_line_column_and_encoding(hint, package_copy):
    encoding, table, column, prepare = ENCODINGS[hint]
    if prepare:
        prepare(package_copy)
    raw = _csv_text(package_copy, table).encode(encoding)
    csv_path(package_copy, table).write_bytes(raw)
    line, named_column = _first_undecodable(raw, encoding, sch.field_names(table))
    assert named_column == column
    problems = json_run(package_copy)
    report = lc.validate(package_copy)
    said = messages([p for p in problems if p["table"] == table], "integrity.unreadable")
    assert said, f"no integrity.unreadable for {table}: {problems[:5]}"
    message = " ".join(said)
    assert f"{table}.csv" in message and re.search(rf"\bline {line}\b", message), message
    assert column in message and hint in message, message
    assert messages(report.problems, "integrity.unreadable") == messages(problems, "integrity.unreadable")


def test_a_csv_in_utf16_is_named_with_file_line_and_encoding(package_copy):
    path = csv_path(package_copy, "actors")
    path.write_bytes(codecs.BOM_UTF16_LE + path.read_text(encoding="utf-8").encode("utf-16-le"))
    problems = json_run(package_copy)
    message = " ".join(messages([p for p in problems if p["table"] == "actors"], "integrity.unreadable"))
    assert "actors.csv" in message and re.search(r"\bline [0-9]+\b", message) and "UTF-16" in message, message


def test_an_emptied_article_text_is_reported_not_a_crash(package_copy):
    a = article(package_copy)
    (package_copy / a["path"]).write_bytes(b"")
    problems = json_run(package_copy)
    assert any(p["table"] == "articles" and p["row"] == a["article_id"] for p in problems), problems[:5]


def test_binary_garbage_leaves_no_raw_nul_in_the_text_report(package_copy):
    csv_path(package_copy, "events").write_bytes(b"event_id,\x00\x00\x00\n\x00ev\x00\n" + os.urandom(2048))
    text = main_in_process("validate", str(package_copy))
    assert not check_run(text, "text", package_copy, codes=(1,)), check_run(text, "text", package_copy, codes=(1,))
    assert "\x00" not in text.out + text.err


def test_build_refuses_a_duplicated_header_column_and_names_it(project):
    duplicated_header(project)
    before = csv_path(project, "events").read_bytes()
    run = cli("build", "--root", project)
    assert run.code == 2 and "Traceback" not in run.err, run.err[-2000:]
    assert "description_en" in run.err + run.out, run.err
    assert csv_path(project, "events").read_bytes() == before, "the build rewrote the file, dropping a column"


@pytest.mark.parametrize("size", [200 * 1024, 5 * 1024 * 1024], ids=["200KiB", "5MiB"])
def test_build_survives_a_huge_cell(size, project):
    big_cell(size)(project)
    run = cli("build", "--root", project)
    assert run.code in (0, 2) and "Traceback" not in run.err, run.err[-2000:]


# -------------------------------------------------------------------------------------------- Verdicts


def day_event(folder, avoid=()):
    """Index and key of an event dated to one day, not on a date in ``avoid``."""
    for i, row in enumerate(rows_of(folder, "events")):
        if row["date_precision"] == "day" and row["date_earliest"] not in avoid:
            return i, row["event_id"]
    raise AssertionError("no event dated to one day")


@pytest.mark.parametrize(
    "column, value", [("date_earliest", "2019-04-31"), ("date_latest", "2020-02-30"), ("date_earliest", "2019-02-29")]
)
def test_an_impossible_calendar_date_is_a_type_error_at_its_cell(column, value, package_copy):
    i, key = day_event(package_copy)
    edit(package_copy, "events", i, **{column: value})
    seal(package_copy, "events")
    problems = json_run(package_copy)
    assert ("events", key, column) in found(problems, "column.type"), found(problems, "column.type")


@pytest.mark.parametrize("value, rolled", [("2019-04-31", dt.date(2019, 5, 1)), ("2020-02-30", dt.date(2020, 3, 1))])
def test_build_never_writes_a_rolled_over_date(value, rolled, project):
    i, key = day_event(project, avoid={rolled.isoformat()})
    edit(project, "events", i, date_earliest=value, date_latest=value)
    run = cli("build", "--root", project)
    assert "Traceback" not in run.err, run.err[-2000:]
    table = pq.read_table(project / "data" / "parquet" / "events.parquet").to_pylist()
    row = next(r for r in table if r["event_id"] == key)
    assert rolled not in (row["date_earliest"], row["date_latest"]), f"the build wrote {value} as {rolled}"
    assert run.code != 0 or row["date_earliest"] is None, "the build accepted an impossible date"


FORBIDDEN = {
    "NUL": "\x00",
    "BEL": "\x07",
    "backspace": "\x08",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
    "ESC colour": "\x1b[31m",
    "DEL": "\x7f",
    "C1 NEL": "\x85",
    "C1 CSI": "\x9b",
    "LRE": "\u202a",
    "RLE": "\u202b",
    "PDF": "\u202c",
    "LRO": "\u202d",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "RLI": "\u2067",
    "FSI": "\u2068",
    "PDI": "\u2069",
}


@pytest.mark.parametrize("table, column", [("events", "description_en"), ("actors", "name_ar")])
def test_control_and_bidi_override_characters_are_reported_at_their_cell(table, column, package_copy):
    rows = rows_of(package_copy, table)
    key = sch.primary_key(table)
    planted = {}
    for i, (name, char) in enumerate(FORBIDDEN.items()):
        text = rows[i][column]
        middle = len(text) // 2
        rows[i][column] = text[:middle] + char + text[middle:]
        planted[name] = rows[i][key]
    write_rows(package_copy, table, rows)
    seal(package_copy, table)
    run = main_in_process("validate", str(package_copy), "--format", "json")
    text = main_in_process("validate", str(package_copy), "--show", "100")
    assert not check_run(run, "json", package_copy, codes=(1,)), check_run(run, "json", package_copy, codes=(1,))
    assert not check_run(text, "text", package_copy, codes=(1,)), check_run(text, "text", package_copy, codes=(1,))
    where = found(run.payload["problems"], "column.control_characters")
    missed = [name for name, row in planted.items() if (table, row, column) not in where]
    assert missed == [], f"not reported: {missed}"


ALLOWED_IN_ARABIC = {
    "ZWNJ": "\u200c",
    "ZWJ": "\u200d",
    "LRM": "\u200e",
    "RLM": "\u200f",
    "ALM": "\u061c",
    "no-break space": "\u00a0",
}


def test_joiners_marks_and_no_break_spaces_in_arabic_text_and_tabs_and_newlines_are_not_flagged(package_copy):
    actors = rows_of(package_copy, "actors")
    for i, char in enumerate(ALLOWED_IN_ARABIC.values()):
        name = (
            actors[i]["name_ar"].replace(" ", char, 1)
            if " " in actors[i]["name_ar"]
            else actors[i]["name_ar"][:2] + char + actors[i]["name_ar"][2:]
        )
        actors[i]["name_ar"] = name
    write_rows(package_copy, "actors", actors)
    events = rows_of(package_copy, "events")
    events[0]["description_en"] = events[0]["description_en"].replace(" ", "\t", 1)
    events[1]["description_en"] = events[1]["description_en"].replace(", ", ",\n", 1)
    write_rows(package_copy, "events", events)
    seal(package_copy, "actors", "events")
    problems = json_run(package_copy, codes=(0, 1))
    assert problems == [], problems[:5]


def _figures(folder):
    """The casualty rows of an alternative_group in which at least two rows give numbers."""
    rows = rows_of(folder, "casualties")
    groups = {}
    for row in rows:
        if row["alternative_group"]:
            groups.setdefault(row["alternative_group"], []).append(row)
    for group, members in sorted(groups.items()):
        numbered = [r for r in members if r["count_best"] or r["count_low"] or r["count_high"]]
        if len(numbered) >= 2:
            return rows, group, numbered
    raise AssertionError("no alternative_group with two figures")


def test_conflicting_figures_without_a_shared_alternative_group_are_reported(package_copy):
    rows, group, numbered = _figures(package_copy)
    for row in rows:
        if row["alternative_group"] == group:
            row["alternative_group"] = ""
    write_rows(package_copy, "casualties", rows)
    seal(package_copy, "casualties")
    problems = json_run(package_copy)
    where = found(problems, "cross.conflicting_figures")
    assert {r for t, r, _ in where if t == "casualties"} & {r["casualty_id"] for r in numbered}, problems[:5]


def test_figures_for_different_populations_do_not_conflict(package_copy):
    rows, group, numbered = _figures(package_copy)
    other = next(p for p in sch.vocabulary("casualties", "population") if p != numbered[1]["population"])
    for row in rows:
        if row["alternative_group"] == group:
            row["alternative_group"] = ""
        if row["casualty_id"] == numbered[1]["casualty_id"]:
            row["population"] = other
    write_rows(package_copy, "casualties", rows)
    seal(package_copy, "casualties")
    report = lc.validate(package_copy)
    assert "cross.conflicting_figures" not in report.rules(), report.to_text()


# ------------------------------------------------------------------------------------------ The folder


def _typo_copy(base: Path) -> tuple[Path, str]:
    folder = copy_package(base)
    key = edit(folder, "events", 0, status="occured")
    return folder, key


def test_validate_without_a_folder_checks_the_working_folder_holding_a_package(tmp_path):
    folder, key = _typo_copy(tmp_path / "mine")
    run = cli("validate", "--format", "json", cwd=folder)
    assert not check_run(run, "json", folder, codes=(1,)), check_run(run, "json", folder, codes=(1,))
    assert ("events", key, "status") in found(run.payload["problems"], "column.enum")
    text = cli("validate", cwd=folder)
    assert not check_run(text, "text", folder, codes=(1,)), check_run(text, "text", folder, codes=(1,))


def test_validate_without_a_folder_elsewhere_checks_the_bundled_data_and_says_so(tmp_path):
    bundled = sch.package_root()
    empty = tmp_path / "empty"
    empty.mkdir()
    run = cli("validate", "--format", "json", cwd=empty)
    assert not check_run(run, "json", bundled, codes=(0,)), check_run(run, "json", bundled, codes=(0,))
    text = cli("validate", cwd=empty)
    first = text.out.split("\n", 1)[0]
    assert text.code == 0 and first.startswith("valid: no problems found in ")
    assert Path(first[len("valid: no problems found in ") :]).resolve() == bundled.resolve()


def test_the_text_report_names_the_folder_it_checked(package_copy, monkeypatch):
    monkeypatch.chdir(package_copy.parent)
    run = main_in_process("validate", package_copy.name)  # a relative path: the report gives it in full
    assert run.code == 0
    first = run.out.split("\n", 1)[0]
    assert (
        first == f"valid: no problems found in {package_copy.resolve()}"
        or first == f"valid: no problems found in {package_copy.absolute()}"
    ), first
    payload = main_in_process("validate", package_copy.name, "--format", "json").payload
    assert payload["valid"] is True and same_folder(payload["folder"], package_copy)


def test_export_writes_the_copy_given_with_root(tmp_path):
    folder = copy_package(tmp_path / "mine")
    edit(folder, "events", 0, description_en="A description only this copy has.")
    seal(folder, "events")
    out = tmp_path / "out"
    run = cli("export", "--format", "csv", "--root", folder, "--out", out)
    assert run.code == 0 and "Traceback" not in run.err, run.err[-2000:]
    # The copy laid out as its datapackage.json describes it.
    assert (out / "data" / "events.csv").read_bytes() == csv_path(folder, "events").read_bytes()
    assert "A description only this copy has." in (out / "data" / "events.csv").read_text(encoding="utf-8")
    assert lc.validate(out).valid


def test_the_python_api_raises_only_for_a_wrong_argument_or_a_missing_folder(tmp_path, package_copy):
    with pytest.raises(TypeError):
        lc.validate(42)
    with pytest.raises(FileNotFoundError):
        lc.validate(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError):
        lc.validate(tmp_path / "file.txt")
    report = lc.validate(str(package_copy))
    assert report.valid and same_folder(report.folder, package_copy)


@pytest.mark.parametrize("target", ["nowhere", "file.txt"])
def test_exit_2_prints_one_json_document_and_one_error_line(target, tmp_path):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    run = main_in_process("validate", str(tmp_path / target), "--format", "json")
    assert not check_run(run, "json", codes=(2,)), check_run(run, "json", codes=(2,))
    assert run.err.startswith(ERROR_PREFIX) and target in run.err
    text = main_in_process("validate", str(tmp_path / target))
    assert not check_run(text, "text", codes=(2,)), check_run(text, "text", codes=(2,))


# ---------------------------------------------------------------------------------------------- Release

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_release_is_refused_when_a_cell_is_a_formula(project, tmp_path):
    edit(project, "events", 0, description_en=FORMULA)
    out = tmp_path / "release"
    run = cli("build", "--root", project, "--release", out)
    assert run.code != 0, run.out
    assert "Traceback" not in run.err, run.err[-2000:]
    assert not out.exists() or not any(out.iterdir()), sorted(p.name for p in out.iterdir())


FORMULA_CELLS = [FORMULA, "@SUM(A1:A9)", "+1+1", "-2+3", "\tcmd"]


def test_spreadsheet_csv_neutralises_cells_that_start_like_a_formula(project):
    from libya_conflict.csvfiles import BOM, spreadsheet_csv_files

    events = rows_of(project, "events")
    planted = {}
    for i, cell in enumerate(FORMULA_CELLS):
        events[i]["description_en"] = cell
        planted[events[i]["event_id"]] = cell
    plain = {
        events[k]["event_id"]: events[k]["description_en"] for k in range(len(FORMULA_CELLS), len(FORMULA_CELLS) + 3)
    }
    write_rows(project, "events", events)
    # events_flat is made from the Parquet copy: put the same cells there.
    path = project / "data" / "parquet" / "events.parquet"
    table = pq.read_table(path)
    ids = table.column("event_id").to_pylist()
    descriptions = [planted.get(i, d) for i, d in zip(ids, table.column("description_en").to_pylist())]
    table = table.set_column(
        table.schema.get_field_index("description_en"),
        "description_en",
        pa.array(descriptions, table.schema.field("description_en").type),
    )
    pq.write_table(table, path)

    files = spreadsheet_csv_files(project)
    for name in ("events.csv", "events_flat.csv"):
        data = files[name]
        assert data.startswith(BOM)
        rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(data[len(BOM) :].decode("utf-8")))}
        for key, cell in planted.items():
            assert rows[key]["description_en"] == "'" + cell, (name, key, rows[key]["description_en"])
        for key, cell in plain.items():
            assert rows[key]["description_en"] == cell, (name, key)


def test_acled_csv_neutralises_cells_that_start_like_a_formula():
    from libya_conflict.acled import acled_csv_bytes
    from libya_conflict.flat import read_rows

    tables = read_rows()
    for event in tables["events"]:
        event["description_en"] = "=" + event["description_en"]
    for a in tables["articles"]:
        a["outlet"] = "@SUM(1)"
    rows = list(csv.DictReader(io.StringIO(acled_csv_bytes(tables).decode("utf-8"))))
    assert rows
    for row in rows:
        assert row["notes"].startswith("'="), row["notes"][:80]
        assert row["source"].startswith("'@SUM(1)"), row["source"][:80]
        assert not row["event_id_cnty"].startswith("'")


# ---------------------------------------------------------------------------------------------- Messages

REQUIRED_TYPO = [
    ("events", "date_earliest", "20/05/2020"),
    ("claims", "quote_start", "twelve"),
    ("equipment_losses", "is_total", "yes"),
]


@pytest.mark.parametrize("table, column, value", REQUIRED_TYPO)
def test_a_type_error_in_a_required_column_is_one_problem(table, column, value, package_copy):
    key = edit(package_copy, table, 0, **{column: value})
    seal(package_copy, table)
    problems = json_run(package_copy)
    assert at_cell(problems, table, key, column) == ["column.type"], at_cell(problems, table, key, column)


@pytest.mark.parametrize("table", ["actors", "events"])
def test_a_duplicated_primary_key_is_one_problem(table, package_copy):
    rows = rows_of(package_copy, table)
    rows.insert(1, dict(rows[0]))
    write_rows(package_copy, table, rows)
    seal(package_copy, table)
    key = rows[0][sch.primary_key(table)]
    problems = json_run(package_copy)
    unique = [p for p in problems if p["rule"] == "column.unique" and p["table"] == table and p["row"] == key]
    assert len(unique) == 1, unique
