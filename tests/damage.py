"""Hostile copies of the data package, and a harness that runs the validator on them safely.

Shared by ``test_untrusted.py`` (one hostile input per test) and ``test_fuzz.py`` (random damage):

- copies of the package (``datapackage.json`` + ``data/``) and of the project (what the build needs);
- a planted secret outside the package folder, whose content and digest must never surface;
- witnesses that the secret was never opened: Linux inotify (sees every open, pyarrow's C++ ones
  included, in this process or a child) and an audit hook on Python's ``open`` events;
- the command line run in a child process or in this one, with hangs caught: a FIFO that someone keeps
  open for reading past a grace period is reported and released, and a hard time limit fails the run;
- checks every validate run must pass, whatever the input: exit code, one JSON document or the
  documented text, one error line, no traceback, no raw NUL.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from libya_conflict import schema as sch

ROOT = Path(__file__).resolve().parents[1]
PROJECT_FILES = [
    "pyproject.toml",
    "datapackage.json",
    "README.md",
    "CHANGELOG.md",
    "CITATION.cff",
    "LICENSE",
    "LICENSE-DATA",
]
PROJECT_FOLDERS = ["schemas", "data", "docs"]
PROBLEM_KEYS = {"table", "row", "column", "rule", "message", "file", "line"}
ERROR_PREFIX = "libya-conflict validate: error:"


# --------------------------------------------------------------------------------------------- Copies


def copy_package(target: Path) -> Path:
    """A user's copy of the data package: datapackage.json and data/, nothing of the project."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "datapackage.json", target)
    shutil.copytree(ROOT / "data", target / "data")
    return target


def copy_project(target: Path) -> Path:
    """A copy of the project, as the build and the release need it."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, target)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, target / name)
    return target


def csv_path(folder: Path, table: str) -> Path:
    return Path(folder) / "data" / f"{table}.csv"


def rows_of(folder: Path, table: str) -> list[dict]:
    with open(csv_path(folder, table), encoding="utf-8", newline="") as handle:
        return [dict(r) for r in csv.DictReader(handle)]


def write_rows(folder: Path, table: str, rows: list[dict]) -> None:
    """The table in canonical form: schema order, LF line ends, minimal quoting."""
    with open(csv_path(folder, table), "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sch.field_names(table), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit(folder: Path, table: str, index: int, **changes) -> str:
    """Change cells of one row; return the row's primary key."""
    rows = rows_of(folder, table)
    rows[index].update(changes)
    write_rows(folder, table, rows)
    return rows[index][sch.primary_key(table)]


def seal(folder: Path, *tables: str) -> None:
    """Refresh the Parquet copies of ``tables`` and every size and hash in datapackage.json, as the build
    would: the copy then differs from a valid package only by the edit under test."""
    from libya_conflict.build import reseal

    reseal(folder, tables)


def descriptor_of(folder: Path) -> dict:
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def write_descriptor(folder: Path, descriptor) -> None:
    """Write ``descriptor`` as the package's datapackage.json, in the build's own format."""
    from libya_conflict.build import descriptor_bytes

    (Path(folder) / "datapackage.json").write_bytes(descriptor_bytes(descriptor))


def resource_of(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r.get("name") == name)


# --------------------------------------------------------------------------------------------- Secret


@dataclass
class Secret:
    """A file outside the package folder that looks worth stealing. Nothing of it may be shown."""

    folder: Path  # everything planted outside the package lives under here
    path: Path
    marker: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def leaks(self, *outputs) -> list[str]:
        """The outputs (text or bytes) that show the marker or the file's digest."""
        out = []
        for text in outputs:
            if isinstance(text, bytes):
                text = text.decode("utf-8", "replace")
            text = str(text)
            if self.marker in text or self.digest in text:
                out.append(text[:400])
        return out


def plant_secret(base: Path, marker: str = "Zx9SECRET") -> Secret:
    """A passwd-like file, long enough that any slice of a dozen characters or more of it shows the marker:
    a header line of a CSV read from it, a quote checked against it, a context line of an error."""
    folder = Path(base) / "outside"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.txt"
    lines = [f"root:x:0:0:{marker}:/root:/bin/bash", f"password={marker}"] + [marker] * 800
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Secret(folder, path, marker)


# ------------------------------------------------------------------------------------ Open witnesses

_IN_OPEN, _IN_ACCESS, _IN_ISDIR = 0x20, 0x01, 0x40000000


class OpenWatch:
    """Every open or read of a file under the watched paths, by any process, seen through inotify.

    Add paths, run the code, then :meth:`opened` lists the files opened since. Directory opens (listing)
    are not counted: the question is whether a file's content was read.
    """

    def __init__(self):
        libc = ctypes.CDLL(None, use_errno=True)
        self._libc = libc
        self._fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self._names: dict[int, Path] = {}

    def add(self, path: Path) -> None:
        path = Path(path)
        targets = [path] + ([p for p in path.rglob("*") if p.is_dir() and not p.is_symlink()] if path.is_dir() else [])
        for target in targets:
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(target), _IN_OPEN | _IN_ACCESS)
            if wd < 0:
                raise OSError(ctypes.get_errno(), f"inotify_add_watch {target}")
            self._names[wd] = target

    def opened(self) -> list[str]:
        out, data = [], b""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            data += chunk
        at = 0
        while at + 16 <= len(data):
            wd, mask, _cookie, size = struct.unpack_from("iIII", data, at)
            name = data[at + 16 : at + 16 + size].rstrip(b"\0").decode("utf-8", "replace")
            at += 16 + size
            if mask & _IN_ISDIR:
                continue
            base = self._names.get(wd, Path("?"))
            out.append(str(base / name) if name else str(base))
        return sorted(set(out))

    def close(self) -> None:
        os.close(self._fd)


@contextlib.contextmanager
def watch_opens(*paths):
    """``with watch_opens(secret.folder) as opened: ...`` then ``opened()`` lists the files read."""
    watch = OpenWatch()
    for path in paths:
        watch.add(path)
    seen: list[str] = []
    closed = []

    def opened():
        if not closed:
            seen.extend(p for p in watch.opened() if p not in seen)
        return list(seen)

    try:
        yield opened
    finally:
        opened()
        watch.close()
        closed.append(True)


# The audit hook cannot be removed once added: it is added once and does nothing unless a run is
# being watched.
_AUDIT = {"roots": None, "events": [], "installed": False}
_AUDIT_LOCK = threading.Lock()
_IN_HOOK = threading.local()


def _audit_hook(event, args):
    roots = _AUDIT["roots"]
    if roots is None or event != "open" or getattr(_IN_HOOK, "busy", False):
        return
    if threading.current_thread().name == WATCHDOG_THREAD:  # the harness probing its own FIFOs
        return
    _IN_HOOK.busy = True
    try:
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            real = os.path.realpath(os.fsdecode(path))
            if any(real == r or real.startswith(r + os.sep) for r in roots):
                with _AUDIT_LOCK:
                    _AUDIT["events"].append(real)
    except Exception:  # an audit hook must never break the code it watches
        pass
    finally:
        _IN_HOOK.busy = False


@contextlib.contextmanager
def audit_opens(*roots):
    """Python-level ``open`` events (builtin open, os.open) of files under ``roots``, in any thread."""
    if not _AUDIT["installed"]:
        sys.addaudithook(_audit_hook)
        _AUDIT["installed"] = True
    events: list[str] = []
    with _AUDIT_LOCK:
        _AUDIT["events"] = events
        _AUDIT["roots"] = [os.path.realpath(r) for r in roots]
    try:
        yield events
    finally:
        with _AUDIT_LOCK:
            _AUDIT["roots"] = None


# ----------------------------------------------------------------------------------------- FIFO guard


def fifos_under(*folders) -> list[Path]:
    out = []
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames + filenames:
                path = Path(dirpath) / name
                try:
                    if stat.S_ISFIFO(os.lstat(path).st_mode):
                        out.append(path)
                except OSError:
                    pass
    return out


def release_readers(fifos) -> list[Path]:
    """Open each FIFO's write end without blocking and close it at once: a reader blocked on it wakes up
    and reads end of file. Returns the FIFOs that had a reader."""
    had_reader = []
    for fifo in fifos:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as exc:  # ENXIO: nobody is reading it
            if exc.errno not in (errno.ENXIO, errno.ENOENT):
                raise
            continue
        os.close(fd)
        had_reader.append(fifo)
    return had_reader


WATCHDOG_THREAD = "fifo-watchdog"


class FifoWatchdog:
    """After ``grace`` seconds, any FIFO with a reader is a reader blocked on it (a file that is checked
    and put aside is closed within milliseconds): record it, and release it so the run can end."""

    def __init__(self, fifos, grace: float = 3.0):
        self.fifos, self.grace, self.blocked = list(fifos), grace, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=WATCHDOG_THREAD, daemon=True)

    def _run(self):
        if self._stop.wait(self.grace):
            return
        while not self._stop.is_set():
            for fifo in release_readers(self.fifos):
                if str(fifo) not in self.blocked:
                    self.blocked.append(str(fifo))
            self._stop.wait(0.05)

    def __enter__(self):
        if self.fifos:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# ------------------------------------------------------------------------------------------------ Runs


@dataclass
class Run:
    """One run of the command line: exit code, output, and what went wrong around it."""

    code: int | None
    out: str
    err: str
    raw: bytes = b""  # stdout and stderr as bytes, to look for raw control bytes
    blocked_on: list = field(default_factory=list)  # FIFOs the run blocked on
    escaped: str = ""  # an exception that escaped main() (or output that is not UTF-8), as text

    @property
    def payload(self):
        return json.loads(self.out)


def cli(*args, cwd=None, timeout: float = 120, fifos=()) -> Run:
    """The command line in a child process (what a user runs), FIFOs released if it blocks on them."""
    with FifoWatchdog(fifos) as dog:
        result = subprocess.run(
            [sys.executable, "-m", "libya_conflict.cli", *map(str, args)], cwd=cwd, capture_output=True, timeout=timeout
        )
    escaped = ""
    try:
        out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    except UnicodeDecodeError as exc:
        out, err = result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace")
        escaped = f"the output is not UTF-8: {exc}"
    return Run(result.returncode, out, err, result.stdout + result.stderr, dog.blocked, escaped)


class Hang(BaseException):
    """Raised in the main thread when a run exceeds its time limit (not an Exception: nothing catches it)."""


def abandon_stuck_workers() -> None:
    """Let the test process exit although worker threads of a run that hung are still stuck: without
    this, the interpreter would wait for them forever at exit (CPython 3.10 to 3.12 internals, each
    looked up with a default)."""
    import concurrent.futures.thread as pool
    import gc

    gc.enable()  # the run may have been interrupted while the collector was off
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon or not thread.name.startswith("ThreadPoolExecutor"):
            continue
        getattr(pool, "_threads_queues", {}).pop(thread, None)
        lock = getattr(thread, "_tstate_lock", None)
        locks = getattr(threading, "_shutdown_locks", None)
        if lock is not None and locks is not None:
            with getattr(threading, "_shutdown_locks_lock", contextlib.nullcontext()):
                locks.discard(lock)


class TimeLimit:
    """Raise :class:`Hang` in the main thread after ``seconds``, then again every second until
    cancelled: the first interrupts the run, the next ones interrupt the wait for its stuck worker
    threads (a thread pool's exit joins them). A timer already running (pytest-timeout's) is put back,
    less the time spent, when this one is cancelled."""

    def __init__(self, seconds: float):
        self.seconds, self.active, self.previous = seconds, False, None
        self.outer, self.started = (0.0, 0.0), 0.0

    def _expired(self, signum, frame):
        if self.active:
            raise Hang(f"still running after {self.seconds} s")

    def __enter__(self):
        self.active = True
        self.started = time.monotonic()
        self.previous = signal.signal(signal.SIGALRM, self._expired)
        self.outer = signal.setitimer(signal.ITIMER_REAL, self.seconds, 1.0)
        return self

    def cancel(self):
        """Stop the timer; safe to call again, and proof against a last Hang arriving meanwhile."""
        while self.previous is not None:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                self.active = False
                signal.signal(signal.SIGALRM, self.previous)
                self.previous = None
            except Hang:
                continue
        delay, interval = self.outer
        if delay > 0:
            left = delay - (time.monotonic() - self.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)
            self.outer = (0.0, 0.0)

    def __exit__(self, *exc):
        self.cancel()
        return False


def main_in_process(*args, fifos=(), limit: float = 60) -> Run:
    """``libya_conflict.cli.main(args)`` in this process, stdout and stderr captured as strict UTF-8
    streams (as a UTF-8 terminal is). An exception escaping main() is recorded, not raised."""
    from libya_conflict.cli import main

    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", newline="\n", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", newline="\n", write_through=True)
    code, escaped = None, ""
    timer = TimeLimit(limit)
    with FifoWatchdog(fifos) as dog:
        try:
            with timer, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main([str(a) for a in args])
        except Hang as exc:
            timer.cancel()
            escaped = f"Hang: {exc}"
            abandon_stuck_workers()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
            if not isinstance(exc.code, int):
                escaped = f"SystemExit({exc.code!r})"
        except BaseException as exc:  # noqa: BLE001 (the point is to see anything that escapes)
            import traceback

            escaped = "".join(traceback.format_exception(exc))
    out.flush()
    err.flush()
    o, e = out_bytes.getvalue(), err_bytes.getvalue()
    return Run(code, o.decode("utf-8"), e.decode("utf-8"), o + e, dog.blocked, escaped)


def api_in_process(folder, fifos=(), limit: float = 60):
    """``libya_conflict.validate(folder)``: (report, escaped exception text, FIFOs it blocked on)."""
    import libya_conflict as lc

    report, escaped = None, ""
    timer = TimeLimit(limit)
    with FifoWatchdog(fifos) as dog:
        try:
            with timer:
                report = lc.validate(folder)
        except Hang as exc:
            timer.cancel()
            escaped = f"Hang: {exc}"
            abandon_stuck_workers()
        except BaseException as exc:  # noqa: BLE001
            import traceback

            escaped = "".join(traceback.format_exception(exc))
    return report, escaped, dog.blocked


# ------------------------------------------------------------------------------------------- Checks


def same_folder(reported, folder) -> bool:
    return reported is not None and Path(reported).is_absolute() and Path(reported).resolve() == Path(folder).resolve()


def check_run(run: Run, fmt: str = "json", folder=None, codes=(0, 1, 2)) -> list[str]:
    """Everything wrong with a validate run by the contract that holds for any input. Empty: all well.

    ``folder``: the folder the report must name (None: not checked)."""
    wrong = []
    if run.escaped:
        wrong.append(f"the run did not end cleanly: {run.escaped[-2000:]}")
    if run.blocked_on:
        wrong.append(f"blocked reading FIFO(s) {run.blocked_on}")
    if run.code not in codes:
        wrong.append(f"exit code {run.code!r}, expected one of {codes}")
    if "Traceback" in run.err or "Traceback" in run.out:
        wrong.append(f"traceback printed: {run.err[-2000:]}")
    if b"\x00" in run.raw:
        wrong.append("raw NUL byte in the output")
    if run.code == 2:
        lines = run.err.splitlines()
        if len(lines) != 1 or not lines[0].startswith(ERROR_PREFIX):
            wrong.append(f"exit 2 must print exactly one line starting {ERROR_PREFIX!r}; stderr was {run.err[:1000]!r}")
    if fmt == "json" and run.code in (0, 1, 2):
        try:
            payload = json.loads(run.out)
        except ValueError as exc:
            return wrong + [f"stdout is not one JSON document ({exc}): {run.out[:500]!r}"]
        if not isinstance(payload, dict):
            return wrong + [f"the JSON report is not an object: {payload!r:.300}"]
        if run.code == 2:
            if payload.get("valid", "absent") is not None or "error" not in payload or "folder" not in payload:
                wrong.append(f"exit 2 JSON must be {{valid: null, folder, error}}: {payload!r:.500}")
            elif not isinstance(payload["error"], str) or "\n" in payload["error"]:
                wrong.append(f"exit 2 JSON error must be one line: {payload['error']!r:.500}")
        else:
            if payload.get("valid") is not (run.code == 0):
                wrong.append(f"exit {run.code} but valid is {payload.get('valid')!r}")
            problems = payload.get("problems")
            if not isinstance(problems, list) or (run.code == 1) != bool(problems):
                wrong.append(f"exit {run.code} with problems {problems!r:.300}")
            else:
                for p in problems:
                    if (
                        not isinstance(p, dict)
                        or set(p) != PROBLEM_KEYS
                        or not all(isinstance(v, str) for k, v in p.items() if k != "line")
                        or not (p["line"] is None or (type(p["line"]) is int and p["line"] >= 1))
                        or not p["file"]
                    ):
                        wrong.append(f"malformed problem {p!r:.300}")
                        break
                internal = [p for p in problems if isinstance(p, dict) and p.get("rule") == "integrity.internal"]
                if internal:
                    wrong.append(f"a rule crashed: {internal[:3]}")
            if "folder" not in payload:
                wrong.append("the JSON report does not name the folder")
            elif folder is not None and not same_folder(payload["folder"], folder):
                wrong.append(f"the report names folder {payload['folder']!r}, not {str(folder)!r}")
    if fmt == "text" and run.code in (0, 1):
        first = run.out.split("\n", 1)[0]
        if run.code == 0 and not first.startswith("valid: no problems found in "):
            wrong.append(f"exit 0, text report starts {first!r}")
        if run.code == 1 and not first.startswith("INVALID:"):
            wrong.append(f"exit 1, text report starts {first!r}")
        if folder is not None and str(Path(folder).resolve()) not in first and str(folder) not in first:
            wrong.append(f"the text report's first line does not name {folder}: {first!r}")
    return wrong


def problems_of(run: Run) -> list[dict]:
    return run.payload["problems"]


def as_dict(problem) -> dict:
    """A problem as a dict, whether it came from the JSON report or from a Report."""
    if isinstance(problem, dict):
        return problem
    return {key: getattr(problem, key) for key in PROBLEM_KEYS}


def found(problems, rule: str) -> set[tuple[str, str, str]]:
    """(table, row, column) of every problem filed under ``rule``."""
    return {(p["table"], p["row"], p["column"]) for p in map(as_dict, problems) if p["rule"] == rule}


def at_cell(problems, table: str, row: str, column: str) -> list[str]:
    """The rules of every problem filed at one cell, in report order."""
    return [p["rule"] for p in map(as_dict, problems) if (p["table"], p["row"], p["column"]) == (table, row, column)]


def messages(problems, rule: str | None = None) -> list[str]:
    return [p["message"] for p in map(as_dict, problems) if rule is None or p["rule"] == rule]


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)[:300]
