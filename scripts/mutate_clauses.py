"""Break each clause of every rule, one at a time, in a copy of the repository, and check that the tests notice.

The clauses and the mutation that breaks each are listed in ``scripts/clause_mutations.py``. For each
mutation this script edits a copy of the repository (never the working tree), then runs, from that copy,
the tests that prove rules: the mutation tests (tests/test_properties.py) of the broken rule's
corruptions, tests/test_validate.py and tests/test_catalogue.py (not slow). A mutant is killed when a test
fails (pytest exit code 1); it survives when they all pass; any other outcome (a collection error, a
timeout) is reported as an error and is not counted as killed.

    .venv/bin/python scripts/mutate_clauses.py                    # every mutation, two at a time
    .venv/bin/python scripts/mutate_clauses.py --rule row.coverage # the mutations of one rule
    .venv/bin/python scripts/mutate_clauses.py --jobs 1 --list     # list the mutations, run nothing

Before any mutant it checks that the copy is what Python imports (libya_conflict and
libya_conflict.validators resolve into the copy), that the unmutated copy passes the tests, and that a
sanity mutant (no record rule reports anything) is killed. Hypothesis runs the default profile's examples
with a fixed seed, without shrinking, and with an empty example database for each mutant (a failure found
for one mutant is never replayed for another).

The last line reads ``N clauses broken, K killed, S survived`` (and the errors, if any); the exit code is
0 when every mutant was killed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from clause_mutations import ELSEWHERE, MUTATIONS, SANITY, M  # noqa: E402

# What is left out of the copy: the environment, git, and what tests and builds leave behind.
IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "node",
    "dist",
    "build",
)
PROPERTY_TEST = "tests/test_properties.py::test_each_corruption_is_reported_under_its_rule_at_its_row"
ALWAYS = ["tests/test_validate.py", "tests/test_catalogue.py"]
TIMEOUT = 900


def make_copy(where: Path) -> Path:
    """A copy of the repository in ``where``, laid out so that ``PYTHONPATH=<copy>/src`` imports it whole:
    ``libya_conflict.validators`` is ``<copy>/validators`` (a link inside the copy's package)."""
    copy = where / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    link = copy / "src" / "libya_conflict" / "validators"
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(copy / "validators", target_is_directory=True)
    # The default profile's examples, without shrinking: a mutant is killed by its first failing example, and
    # shrinking it (hundreds of validations) would tell nothing more.
    with open(copy / "tests" / "conftest.py", "a", encoding="utf-8") as conftest:
        conftest.write(
            "\n\nfrom hypothesis import HealthCheck, Phase, settings\n\n"
            'settings.register_profile("mutants", max_examples=15, deadline=None, '
            "suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], "
            "phases=[Phase.explicit, Phase.reuse, Phase.generate])\n"
        )
    return copy


def environment(copy: Path, storage: Path) -> dict[str, str]:
    """The environment the copy's tests run in: its sources first, a fresh hypothesis database."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(copy / "src")
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(storage)
    env["HYPOTHESIS_PROFILE"] = "mutants"
    return env


def check_imports(copy: Path) -> None:
    """Fail unless the copy's modules are the ones Python imports."""
    code = (
        "import libya_conflict, libya_conflict.validators.rows as r, libya_conflict.validators.catalogue as c;"
        "print(libya_conflict.__file__); print(r.__file__); print(c.__file__)"
    )
    with tempfile.TemporaryDirectory() as storage:
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=copy, env=environment(copy, Path(storage)), capture_output=True, text=True
        )
    files = out.stdout.split()
    if out.returncode or len(files) != 3 or not all(str(copy) in f for f in files):
        raise SystemExit(f"the copy is not what Python imports:\n{out.stdout}{out.stderr}")


def corruptions_of(rule: str) -> list[str]:
    """The ids of the corruptions that prove ``rule`` (its record in the registry)."""
    from libya_conflict.validators.registry import RULES

    return [c for r in RULES if r.id == rule for c in r.corruptions]


def tests_for(rule: str) -> list[str]:
    """The tests run for a mutant of ``rule``."""
    return [f"{PROPERTY_TEST}[{c}]" for c in corruptions_of(rule)] + ALWAYS


def run_tests(copy: Path, tests: list[str]) -> tuple[int, str]:
    """pytest's exit code and the last lines of its output, for ``tests`` in the copy."""
    with tempfile.TemporaryDirectory() as storage:
        try:
            out = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow"]
                + ["--hypothesis-seed=0", *tests],
                cwd=copy,
                env=environment(copy, Path(storage)),
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return -1, "timed out"
    failed = [line for line in out.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    return out.returncode, (failed[0] if failed else out.stdout.strip().splitlines()[-1] if out.stdout.strip() else "")


def apply(copy: Path, mutation: M) -> str:
    """Apply ``mutation`` to the copy; returns the file's original text (to restore it)."""
    path = copy / "validators" / mutation.file
    text = path.read_text(encoding="utf-8")
    count = text.count(mutation.old)
    if count != 1:
        raise SystemExit(
            f"{mutation.rule} ({mutation.clause}): the snippet is in {mutation.file} {count} times, not once"
        )
    path.write_text(text.replace(mutation.old, mutation.new), encoding="utf-8")
    return text


def mutant(copy: Path, mutation: M) -> tuple[str, str]:
    """('killed' | 'survived' | 'error', what pytest said) for one mutation, the copy restored after."""
    original = apply(copy, mutation)
    try:
        code, said = run_tests(copy, tests_for(mutation.rule))
    finally:
        (copy / "validators" / mutation.file).write_text(original, encoding="utf-8")
    return {0: "survived", 1: "killed"}.get(code, "error"), said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rule", action="append", help="only the mutations of this rule (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once, each in its own copy (default 2)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.rule or m.rule in args.rule]
    if args.list:
        for m in chosen:
            print(f"{m.rule:32} {m.clause}")
        print(f"{len(chosen)} clauses; not here: {', '.join(sorted(ELSEWHERE))}")
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutate-clauses-") as tmp:
        copies = [make_copy(Path(tmp) / f"copy{k}") for k in range(max(1, args.jobs))]
        for copy in copies:
            check_imports(copy)
            for m in chosen:  # every snippet exactly once, before anything runs
                apply(copy, m)
                (copy / "validators" / m.file).write_text((ROOT / "validators" / m.file).read_text(encoding="utf-8"))
        code, said = run_tests(copies[0], ALWAYS)
        if code != 0:
            raise SystemExit(f"the unmutated copy fails its tests: {said}")
        status, said = mutant(copies[0], SANITY)
        if status != "killed":
            raise SystemExit(f"the sanity mutant was not killed ({status}: {said}): the copy is not what runs")
        print(f"sanity mutant killed ({said})", flush=True)
        free = list(copies)

        def one(m: M) -> tuple[M, str, str]:
            copy = free.pop()
            try:
                return (m, *mutant(copy, m))
            finally:
                free.append(copy)

        outcomes = []
        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            for m, status, said in pool.map(one, chosen):
                outcomes.append(status)
                print(f"{status:8} {m.rule:32} {m.clause}" + (f"  [{said}]" if status != "killed" else ""), flush=True)
    killed, survived, errors = (outcomes.count(s) for s in ("killed", "survived", "error"))
    print(f"({time.monotonic() - started:.0f} s)")
    print(
        f"{len(chosen)} clauses broken, {killed} killed, {survived} survived" + (f", {errors} errors" if errors else "")
    )
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
