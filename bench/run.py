"""Benchmark: does validation and loading stay fast as the dataset grows?

    python bench/run.py             # 10k, 100k and 1M events (about half an hour on 2 cores)
    python bench/run.py --quick     # 1k and 5k events, one run each: checks the benchmark still works
    python bench/run.py --against OTHER/bin --work DIR   # validation beside another install, alternating: the ratio
    python bench/run.py --loader    # only the loader beside bare pandas + pyarrow (about a minute)

On synthetic packages (``libya-conflict synth``) of each size it times, as whole processes:

- ``libya-conflict validate DIR`` and ``frictionless validate datapackage.json`` on the same package
  (frictionless is capped by a timeout; a capped time is extrapolated from the largest size it finished,
  and the table says so), with the peak memory of each (resident set size of the child process);
- ``libya-conflict build`` on the package made a project folder (schemas/ and pyproject.toml copied in);
- on the bundled data, ``import libya_conflict`` + ``load_events()`` against a bare ``import pandas`` +
  ``pyarrow.parquet.read_table(...).to_pandas()`` of the same file.

Times are medians of several runs. It prints a Markdown table and writes the figures as JSON
(``bench/results.json``, or ``--json PATH``). Only the standard library is imported here, so that the
benchmark process itself stays small beside the processes it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# What the issue asks of a full run, on a 2-core machine.
TARGETS = {
    "validate_1m_s": 10.0,  # whole-process validation of 1M events, at most
    "speedup_vs_frictionless": 20.0,  # at least, on the 1M package
    "validate_1m_peak_gib": 3.0,  # at most
    "loader_ratio": 1.1,  # import + load_events() vs bare pandas + pyarrow, at most
    "scaling_1m_over_100k": 12.0,  # at most (linear is 10)
}

FULL = dict(
    sizes=[10_000, 100_000, 1_000_000],
    runs=5,
    frictionless_runs=3,
    frictionless_timeout=600,
    build_sizes=[100_000, 1_000_000],
    build_runs=3,
    loader_runs=15,
)
QUICK = dict(
    sizes=[1_000, 5_000],
    runs=1,
    frictionless_runs=1,
    frictionless_timeout=120,
    build_sizes=[1_000, 5_000],
    build_runs=1,
    loader_runs=3,
)


@dataclass
class Run:
    """One whole-process run: wall time, peak resident memory, exit code; ``capped`` if it was killed."""

    seconds: float
    peak_mib: float
    returncode: int
    capped: bool = False


@dataclass
class Measure:
    """Several runs of one command, and their medians."""

    runs: list[Run] = field(default_factory=list)

    @property
    def median_s(self) -> float | None:
        """Median wall time of the runs that finished."""
        done = [r.seconds for r in self.runs if not r.capped]
        return statistics.median(done) if done else None

    @property
    def peak_mib(self) -> float | None:
        """Highest peak memory of the runs that finished."""
        done = [r.peak_mib for r in self.runs if not r.capped]
        return max(done) if done else None

    @property
    def capped(self) -> bool:
        """Whether a run was stopped by its timeout."""
        return any(r.capped for r in self.runs)

    def as_dict(self) -> dict:
        """The figures and every run, for the JSON file."""
        return {
            "median_s": self.median_s,
            "peak_mib": self.peak_mib,
            "capped": self.capped,
            "runs": [asdict(r) for r in self.runs],
        }


def run_once(argv: list[str], cwd: Path | None = None, timeout: float | None = None) -> Run:
    """Run a command to completion (or until ``timeout``), timing it and reading its peak memory.

    ``os.wait4`` gives the resource usage of that one child, so runs do not mix their peaks.
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        killed = threading.Event()

        def kill():
            killed.set()
            os.killpg(process.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0 and not killed.is_set():
            out.seek(0)
            tail = out.read()[-2000:].decode("utf-8", "replace")
            print(f"  ! exit {process.returncode}: {' '.join(map(str, argv))}\n{tail}", file=sys.stderr)
    return Run(round(seconds, 3), round(usage.ru_maxrss / 1024, 1), process.returncode, killed.is_set())


def measure(argv: list[str], runs: int, cwd: Path | None = None, timeout: float | None = None) -> Measure:
    """``runs`` runs of a command; stops early once one is capped (the next would be too)."""
    result = Measure()
    for _ in range(runs):
        result.runs.append(run_once(argv, cwd, timeout))
        if result.runs[-1].capped:
            break
    return result


def tool(name: str, module: str) -> list[str]:
    """The console script installed beside this Python, else ``python -m module``."""
    script = shutil.which(name, path=str(BIN))
    return [script] if script else [sys.executable, "-m", module]


def total_rows(events: int) -> int:
    """Rows of every table of a synthetic package of ``events`` events."""
    from libya_conflict.synth import table_sizes

    return sum(table_sizes(events).values())


def folder_bytes(folder: Path) -> int:
    """Size of every file under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------ Sections


def synthesize(work: Path, events: int) -> tuple[Path, float | None]:
    """A synthetic package of ``events`` events in ``work`` (reused when already there)."""
    folder = work / f"synth-{events}"
    if (folder / "datapackage.json").is_file():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    made = run_once(
        [*tool("libya-conflict", "libya_conflict.cli"), "synth", "--events", str(events), "--out", str(folder)]
    )
    if made.returncode != 0:
        raise SystemExit(f"synth of {events} events failed")
    return folder, made.seconds


def validation(work: Path, config: dict, log) -> dict:
    """Our validator and frictionless on each size."""
    results, finished = {}, None  # finished: (events, seconds) of the largest size frictionless completed
    for events in config["sizes"]:
        folder, synth_s = synthesize(work, events)
        log(f"validate {events:,} events ({folder_bytes(folder) / 2**20:,.0f} MiB)")
        ours = measure([*tool("libya-conflict", "libya_conflict.cli"), "validate", str(folder)], config["runs"])
        theirs = measure(
            [*tool("frictionless", "frictionless"), "validate", "datapackage.json"],
            config["frictionless_runs"],
            cwd=folder,
            timeout=config["frictionless_timeout"],
        )
        entry = {
            "rows": total_rows(events),
            "bytes": folder_bytes(folder),
            "synth_s": synth_s,
            "ours": ours.as_dict(),
            "frictionless": theirs.as_dict(),
            "valid": all(r.returncode == 0 for r in ours.runs + [r for r in theirs.runs if not r.capped]),
        }
        frictionless_s = theirs.median_s
        if frictionless_s is not None:
            finished = (events, frictionless_s)
            entry["frictionless_basis"] = "measured"
        elif finished:
            # Linear in rows from the largest size it finished: frictionless checks row by row.
            frictionless_s = finished[1] * total_rows(events) / total_rows(finished[0])
            entry["frictionless_basis"] = (
                f"capped at {config['frictionless_timeout']} s; extrapolated linearly from {finished[0]:,} events"
            )
        else:
            entry["frictionless_basis"] = f"capped at {config['frictionless_timeout']} s"
        entry["frictionless_s"] = frictionless_s
        entry["ratio"] = frictionless_s / ours.median_s if frictionless_s and ours.median_s else None
        if theirs.capped:
            # What was proven: frictionless took longer than the cap.
            entry["ratio_at_least"] = config["frictionless_timeout"] / ours.median_s
        results[events] = entry
        log(f"  ours {ours.median_s} s, frictionless {frictionless_s} s ({entry['frictionless_basis']})")
    return results


def loader(config: dict, log) -> dict:
    """``import libya_conflict`` + ``load_events()`` against bare pandas + pyarrow on the same file."""
    import libya_conflict  # light: only the standard library is imported with it

    path = str(libya_conflict.path("events"))
    commands = {
        "import": [sys.executable, "-c", "import libya_conflict"],
        "package": [sys.executable, "-c", "import libya_conflict as lc; lc.load_events()"],
        "bare": [sys.executable, "-c", f"import pandas, pyarrow.parquet as pq; pq.read_table({path!r}).to_pandas()"],
        "python": [sys.executable, "-c", "pass"],
    }
    log("loader")
    runs = {name: Measure() for name in commands}
    for _ in range(config["loader_runs"]):  # interleaved, so that drift in the machine's load hits all alike
        for name, argv in commands.items():
            runs[name].runs.append(run_once(argv))
    out = {name: m.as_dict() for name, m in runs.items()}
    out["ratio"] = runs["package"].median_s / runs["bare"].median_s
    return out


def loader_line(lo: dict) -> str:
    """The loader's figures in one line of Markdown."""
    return (
        f"Loader (bundled data): `import libya_conflict` + `load_events()` {_s(lo['package']['median_s'])} s; "
        f"bare `import pandas` + `pyarrow.parquet.read_table(...).to_pandas()` {_s(lo['bare']['median_s'])} s; "
        f"ratio {lo['ratio']:.2f}. (`import libya_conflict` alone {_s(lo['import']['median_s'])} s; "
        f"`python -c pass` {_s(lo['python']['median_s'])} s.)"
    )


def loader_only(config: dict, log) -> int:
    """``--loader``: the loader side by side with bare pandas + pyarrow, nothing else; exit 1 when the
    ratio misses its target."""
    lo = loader(config, log)
    runs = len(lo["package"]["runs"])
    print(
        f"{loader_line(lo)} Medians of {runs} interleaved runs; load average before: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}."
    )
    met = lo["ratio"] <= TARGETS["loader_ratio"]
    print(f"target: ratio <= {TARGETS['loader_ratio']}: {'met' if met else 'NOT met'}")
    return 0 if met else 1


def available_gib() -> float:
    """Memory the system could give a new process now (MemAvailable), in GiB."""
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 2**20
    return float("inf")


# The build holds every row as Python strings: about 12 GiB for a million events (3.6 GiB measured at
# 300,000). It is not run when the machine has not that much to spare, rather than risk exhausting it.
BUILD_GIB_PER_MILLION_EVENTS = 14


def build(work: Path, config: dict, log) -> dict:
    """``libya-conflict build`` on a synthetic package made a project folder."""
    results = {}
    for events in config["build_sizes"]:
        needed = BUILD_GIB_PER_MILLION_EVENTS * events / 1_000_000
        if needed > 2 and available_gib() < needed:
            results[events] = {
                "skipped": f"needs about {needed:.0f} GiB of memory, {available_gib():.0f} GiB available"
            }
            log(f"build {events:,} events skipped: {results[events]['skipped']}")
            continue
        folder, _ = synthesize(work, events)
        project = work / f"project-{events}"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree(folder, project)
        shutil.copytree(ROOT / "schemas", project / "schemas")
        shutil.copy(ROOT / "pyproject.toml", project)
        log(f"build {events:,} events")
        # The first run writes the codebook and citation; every run plans and checks everything.
        result = measure(
            [*tool("libya-conflict", "libya_conflict.cli"), "build", "--root", str(project)],
            config["build_runs"] if events < 1_000_000 else 1,
            timeout=3600,
        )
        results[events] = result.as_dict()
        shutil.rmtree(project, ignore_errors=True)
        log(f"  {result.median_s} s")
    return results


# ------------------------------------------------------------------------------------------ Report


def targets(results: dict) -> dict:
    """Each target of the issue with the measured value and whether it is met (full runs only)."""
    v = results["validation"]
    out = {}
    ratio = results["loader"]["ratio"]
    out["loader_ratio"] = {
        "target": f"<= {TARGETS['loader_ratio']}",
        "value": round(ratio, 2),
        "met": ratio <= TARGETS["loader_ratio"],
    }
    if 1_000_000 not in v:
        return out
    big = v[1_000_000]
    seconds, peak = big["ours"]["median_s"], big["ours"]["peak_mib"] / 1024
    out["validate_1m_s"] = {
        "target": f"<= {TARGETS['validate_1m_s']}",
        "value": seconds,
        "met": seconds <= TARGETS["validate_1m_s"],
    }
    speedup = big.get("ratio_at_least") or big["ratio"]
    out["speedup_vs_frictionless"] = {
        "target": f">= {TARGETS['speedup_vs_frictionless']}",
        "value": round(big["ratio"], 1),
        "proven_at_least": round(big["ratio_at_least"], 1) if "ratio_at_least" in big else None,
        "met": speedup >= TARGETS["speedup_vs_frictionless"],
    }
    out["validate_1m_peak_gib"] = {
        "target": f"<= {TARGETS['validate_1m_peak_gib']}",
        "value": round(peak, 2),
        "met": peak <= TARGETS["validate_1m_peak_gib"],
    }
    scaling = results["scaling"]["ratio"]
    out["scaling_1m_over_100k"] = {
        "target": f"<= {TARGETS['scaling_1m_over_100k']}",
        "value": round(scaling, 2),
        "met": scaling <= TARGETS["scaling_1m_over_100k"],
    }
    return out


def _s(seconds) -> str:
    return "-" if seconds is None else f"{seconds:.2f}" if seconds < 100 else f"{seconds:,.0f}"


def _mib(mib) -> str:
    return "-" if mib is None else f"{mib:,.0f}"


def table(results: dict) -> str:
    """The results as Markdown."""
    lines = [
        f"Mode: {results['mode']}; {results['machine']['cpus']} CPUs; Python {results['machine']['python']}; "
        f"load average before: {results['machine']['loadavg_before']}",
        "",
        "| events | rows (all tables) | data MiB | ours: validate s | ours: peak MiB | frictionless s | "
        "frictionless peak MiB | frictionless / ours |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for events, e in results["validation"].items():
        fr = _s(e["frictionless_s"])
        if e["frictionless_basis"] != "measured":
            fr = f"~{fr} *" if e["frictionless_s"] else f"> {results['config']['frictionless_timeout']} *"
            notes.append(f"\\* {int(events):,} events: frictionless {e['frictionless_basis']}.")
        ratio = "-" if e["ratio"] is None else f"{e['ratio']:.1f}x"
        if "ratio_at_least" in e:
            ratio = f"{ratio} (proven > {e['ratio_at_least']:.1f}x)"
        lines.append(
            f"| {int(events):,} | {e['rows']:,} | {e['bytes'] / 2**20:,.0f} | {_s(e['ours']['median_s'])} | "
            f"{_mib(e['ours']['peak_mib'])} | {fr} | {_mib(e['frictionless']['peak_mib'])} | {ratio} |"
        )
    lines += [""] + notes + ([""] if notes else [])
    s = results["scaling"]
    lines.append(f"Scaling: time({s['to']:,}) / time({s['from']:,}) = {s['ratio']:.2f} (linear: {s['linear']:g}).")
    lo = results["loader"]
    lines.append(loader_line(lo))
    for events, b in results["build"].items():
        if "skipped" in b:
            lines.append(f"Build, {int(events):,} events: skipped ({b['skipped']}).")
        else:
            lines.append(f"Build, {int(events):,} events: {_s(b['median_s'])} s, peak {_mib(b['peak_mib'])} MiB.")
    if results["targets"]:
        lines += ["", "| target | wanted | measured | met |", "|---|---|---|---|"]
        for name, t in results["targets"].items():
            value = (
                t["value"] if t.get("proven_at_least") is None else f"{t['value']} (proven >= {t['proven_at_least']})"
            )
            lines.append(f"| {name} | {t['target']} | {value} | {'yes' if t['met'] else 'NO'} |")
    return "\n".join(lines)


# Prints {distribution: version} of the Python that runs it.
_DISTRIBUTIONS = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d.metadata['Name'].lower(): d.version for d in m.distributions()}))"
)


def installs_differ(ours: Path, other: Path) -> dict[str, list[str | None]]:
    """The distributions whose versions differ between two Pythons (None where one lacks it), but
    libya-conflict itself: the thing compared.

    A side-by-side ratio holds only between installs of the same extras. pandera, for one, imports
    hypothesis (and through it every hypothesis plugin installed, trio's among them) when it is
    installed: about 0.3 s more in every validation of a development install (``.[test]``) than in a
    ``.[validate]`` one, whatever the version of this package."""
    found = []
    for python in (ours, other):
        done = subprocess.run([str(python), "-c", _DISTRIBUTIONS], capture_output=True, text=True, check=True)
        found.append(json.loads(done.stdout))
    names = sorted((set(found[0]) | set(found[1])) - {"libya-conflict", "libya_conflict"})
    return {n: [found[0].get(n), found[1].get(n)] for n in names if found[0].get(n) != found[1].get(n)}


def side_by_side(work: Path, events: int, other: Path, runs: int, log) -> dict:
    """This version's ``validate`` and another install's (``other``: the folder of its console scripts) on
    the same package, run alternately so that both see the same machine: the ratio of their medians is the
    figure to quote (absolute times here drift by a third within an hour)."""
    differ = installs_differ(Path(sys.executable), other / "python")
    if differ:
        shown = ", ".join(
            f"{n} ({a or 'absent'} here, {b or 'absent'} there)" for n, (a, b) in list(differ.items())[:8]
        )
        log(
            f"the two installs differ in {len(differ)} distributions: {shown}; the ratio is fair only between "
            "installs of the same extras (pip install -e '.[validate]' in both)"
        )
    folder, _ = synthesize(work, events)
    ours_cmd = [*tool("libya-conflict", "libya_conflict.cli"), "validate", str(folder)]
    theirs_cmd = [str(other / "libya-conflict"), "validate", str(folder)]
    ours, theirs = Measure(), Measure()
    for k in range(runs):
        # Alternate which goes first, so neither always runs on a cache the other warmed.
        pair = [(ours, ours_cmd), (theirs, theirs_cmd)]
        for measure_, argv in pair if k % 2 == 0 else pair[::-1]:
            measure_.runs.append(run_once(argv))
        log(f"  run {k + 1}: ours {ours.runs[-1].seconds} s, other {theirs.runs[-1].seconds} s")
    return {
        "events": events,
        "other": str(other),
        "ours": ours.as_dict(),
        "other_version": theirs.as_dict(),
        "ratio": ours.median_s / theirs.median_s if ours.median_s and theirs.median_s else None,
        "valid": all(r.returncode == 0 for r in ours.runs + theirs.runs),
        "installs_differ": differ,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; exit 1 if a package was found invalid."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes, one run each (for CI)")
    p.add_argument("--json", default=str(ROOT / "bench" / "results.json"), help="where to write the results")
    p.add_argument("--work", help="folder for the synthetic packages, kept for the next run (default: a temporary one)")
    p.add_argument(
        "--loader",
        action="store_true",
        help="only time the loader beside bare pandas + pyarrow on the "
        f"bundled events ({FULL['loader_runs']} interleaved runs)",
    )
    p.add_argument(
        "--against",
        metavar="BIN",
        help="only compare validation side by side with another install of "
        "libya-conflict (the folder holding its console scripts), at the "
        "largest size, runs alternating",
    )
    args = p.parse_args(argv)
    config = dict(QUICK if args.quick else FULL)
    started = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", file=sys.stderr, flush=True)

    if args.loader:
        return loader_only(config, log)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="lc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.against:
        try:
            compared = side_by_side(work, config["sizes"][-1], Path(args.against), max(config["runs"], 2), log)
        finally:
            if not args.work:
                shutil.rmtree(work, ignore_errors=True)
        print(
            f"validate {compared['events']:,} events: ours {compared['ours']['median_s']:.2f} s, other "
            f"{compared['other_version']['median_s']:.2f} s (medians of {len(compared['ours']['runs'])} alternating runs): "
            f"ratio {compared['ratio']:.3f}"
        )
        return 0 if compared["valid"] else 1
    try:
        results = {
            "mode": "quick" if args.quick else "full",
            "config": config,
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "loadavg_before": [round(x, 2) for x in os.getloadavg()],
                "versions": {m: version(m) for m in ("libya-conflict", "pandas", "pyarrow", "pandera", "frictionless")},
            },
        }
        results["validation"] = validation(work, config, log)
        small, large = config["sizes"][-2], config["sizes"][-1]
        v = results["validation"]
        results["scaling"] = {
            "from": small,
            "to": large,
            "linear": large / small,
            "ratio": v[large]["ours"]["median_s"] / v[small]["ours"]["median_s"],
        }
        results["loader"] = loader(config, log)
        results["build"] = build(work, config, log)
        results["targets"] = targets(results)
        results["seconds"] = round(time.perf_counter() - started, 1)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    valid = all(e["valid"] for e in results["validation"].values())
    if not valid:
        print("a synthetic package was reported invalid: the figures are not comparable", file=sys.stderr)
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
