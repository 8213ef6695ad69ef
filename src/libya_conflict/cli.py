"""The ``libya-conflict`` command line.

    libya-conflict info                         version, tables and row counts, citation, licence
    libya-conflict validate [DIR] [--format json|github]   DIR, else the package in the current folder, else the bundled data
    libya-conflict build [--check]              regenerate derived files (run in the project folder)
    libya-conflict build --release DIR          ... then write every download, the docs and SHA256SUMS to DIR
    libya-conflict export --format csv|parquet|csv-bom|xlsx|sqlite|acled --out DIR [--root PACKAGE]
                          [--all-countries] [--inter-codes]   (acled: events outside Libya; numeric inter codes)
    libya-conflict plot timeline|map --out FILE.png   figures (needs the plot extra: matplotlib)
    libya-conflict site --out DIR [--root PACKAGE]    the offline explorer, a static site (needs the site extra)
    libya-conflict curate locate ARTICLE_ID "quote"
    libya-conflict curate add-article FILE --published YYYY-MM-DD [--outlet NAME]
    libya-conflict scoreboard [--seed N]        corrupt copies of the data in every catalogued way; all caught?
    libya-conflict synth --events N --out DIR [--seed S]   a synthetic valid package of N events (benchmarks)
    libya-conflict diff OLD NEW [--format text|json|changelog]   rows added, retired and changed between versions

Exit codes: 0 success / valid / identical (diff); 1 problems found or differences (diff) (validate; build --release and export --root refusing
data that does not validate) or stale files (build --check); 2 the command could not run (bad arguments,
no such folder, an optional extra not installed: the line says which ``pip install`` brings it), said in
one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import loader
from . import schema as sch
from .extras import MissingExtra, require


class CommandError(Exception):
    """An error to print as one line, with exit code 2."""


def cmd_info(args) -> int:
    import pyarrow.parquet as pq

    from . import __version__

    meta = loader.datapackage()
    print(f"{meta['title']}\nversion {__version__}\n")
    print("tables (rows):")
    for table in loader.list_tables():
        rows = pq.read_metadata(loader.path(table)).num_rows
        print(f"  {table:<18} {rows:>6}")
    print(f"\nlicence: {', '.join(licence['name'] for licence in meta.get('licenses', []))} (data); MIT (code)")
    print(meta.get("x-licence-note", ""))
    print("\ncite as:")
    for line in loader.citation().splitlines():
        if line.startswith(("title:", "version:", "message:")):
            print("  " + line)
    return 0


def chosen_folder(given: str | None) -> Path:
    """The package folder a command works on: the one given; else the current folder when it holds a
    package (datapackage.json), as in an edited copy or the project folder; else the bundled data."""
    if given:
        folder = Path(given)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder" if folder.exists() else f"{folder} does not exist")
        return folder
    here = Path.cwd()
    if (here / "datapackage.json").exists() or (here / "datapackage.json").is_symlink():
        return here
    return sch.package_root()


def cmd_validate(args) -> int:
    require("validate", "validate")
    from .validators import validate

    report = validate(chosen_folder(args.dir))
    if args.format == "json":
        print(report.to_json())
    elif args.format == "github":
        print(report.to_github())
    else:
        print(report.to_text(show=args.show))
    return 0 if report.valid else 1


def cmd_build(args) -> int:
    from .build import BuildError, build
    from .validators.reference import documents

    root = Path(args.root)
    if not (root / "schemas").is_dir() or not (root / "data").is_dir():
        raise CommandError(f"{root.resolve()} is not a libya-conflict project folder (no schemas/ and data/)")
    if args.check and args.release:
        raise CommandError("--check writes nothing and --release writes a bundle: give one of them")
    if args.release:
        require("release", "build --release")  # before anything is written
    require("build", "build")
    try:
        changed = build(root, check=args.check, documents=documents())
    except BuildError as exc:
        print(f"build failed: {len(exc.problems)} problem(s)", file=sys.stderr)
        for line in exc.problems:
            print(f"  - {line}", file=sys.stderr)
        return 2
    if args.check:
        if changed:
            print("stale (run `libya-conflict build`):\n" + "\n".join(f"  {p}" for p in changed))
            return 1
        print("up to date")
        return 0
    print("\n".join(f"wrote {p}" for p in changed) or "nothing to do: everything is up to date")
    if args.release:
        from .release import InvalidRelease, ReleaseError, build_release

        try:
            written = build_release(root, Path(args.release))
        except InvalidRelease as exc:
            print(exc.report.to_text(show=args.show))
            print(f"release refused: {exc}", file=sys.stderr)
            return 1
        except ReleaseError as exc:
            raise CommandError(str(exc)) from None
        print(f"release: {len(written)} files in {args.release} (check with: sha256sum -c SHA256SUMS)")
    return 0


# Exports that write one file: format -> (file name, module, function writing it).
SINGLE_FILE_EXPORTS = {
    "xlsx": ("libya-conflict.xlsx", "workbook", "write_workbook"),
    "sqlite": ("libya-conflict.sqlite", "sqlite_export", "write_sqlite"),
    "acled": ("libya-conflict-acled.csv", "acled", "write_acled_csv"),
}


def passes_if_edited(root: Path, command: str, show: int) -> bool:
    """Whether ``command`` may go on with the package in ``root``: the bundled data always, an edited copy
    only once it passes validation (its report is printed otherwise). An export or a site of a broken or
    stale copy (its Parquet not rebuilt from its CSV) would hand on what nobody checked."""
    if root.resolve() == sch.package_root().resolve():
        return True
    require("validate", f"{command} --root (an edited copy is validated first)")
    from .validators import validate

    report = validate(root)
    if not report.valid:
        print(report.to_text(show=show))
        print(
            f"libya-conflict {command}: refused: {root} is not valid; fix it (and run `libya-conflict build`)",
            file=sys.stderr,
        )
    return report.valid


def cmd_export(args) -> int:
    import importlib

    from .confine import Confined

    root = chosen_folder(args.root)
    if args.format == "xlsx":
        require("xlsx", "export --format xlsx")
    if not passes_if_edited(root, "export", args.show):
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.format in SINGLE_FILE_EXPORTS:
        name, module, function = SINGLE_FILE_EXPORTS[args.format]
        write = getattr(importlib.import_module(f".{module}", __package__), function)
        options = (
            {"all_countries": args.all_countries, "inter_codes": args.inter_codes} if args.format == "acled" else {}
        )
        print(write(out / name, root, **options))
        return 0
    if args.all_countries or args.inter_codes:
        raise CommandError("--all-countries and --inter-codes apply to --format acled only")
    if args.format == "csv-bom":
        from .csvfiles import spreadsheet_csv_files

        for name, data in spreadsheet_csv_files(root).items():
            (out / name).write_bytes(data)
            print(out / name)
        return 0
    if args.format == "csv":
        from .csvfiles import package_csv_files

        # The package laid out as its datapackage.json describes it (data/<table>.csv, data/sources/), so
        # that the folder is itself a data package that frictionless and `validate` accept.
        for relative, data in package_csv_files(root).items():
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(target)
        return 0
    folder = Confined(root)
    for relative in (f"data/parquet/{t}.parquet" for t in loader.list_tables()):
        target = out / Path(relative).name
        target.write_bytes(folder.read_bytes(relative))
        print(target)
    return 0


def cmd_plot(args) -> int:
    from . import figures

    require("plot", "plot")
    plot = {"timeline": figures.plot_timeline, "map": figures.plot_map}[args.figure]
    print(plot(Path(args.out)))
    return 0


def cmd_site(args) -> int:
    require("site", "site")
    from .site import SiteError, build_site

    root = chosen_folder(args.root)
    if not passes_if_edited(root, "site", args.show):
        return 1
    try:
        written = build_site(Path(args.out), root)
    except SiteError as exc:
        raise CommandError(str(exc)) from None
    pages = sum(1 for p in written if p.suffix == ".html")
    size = sum(p.stat().st_size for p in written)
    print(
        f"wrote {pages} pages ({len(written)} files, {size / 1e6:.1f} MB) to {args.out}; "
        f"open {Path(args.out) / 'index.html'}"
    )
    return 0


def cmd_curate_locate(args) -> int:
    from .curate import locate_quote
    from .quotes import QuoteError

    try:
        start, end = locate_quote(Path(args.root), args.article_id, args.quote)
    except QuoteError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"quote_start={start} quote_end={end}")
    return 0


def cmd_curate_add(args) -> int:
    from .curate import add_article

    article_id = add_article(
        Path(args.root),
        Path(args.file),
        args.published,
        args.published_latest,
        args.precision,
        args.outlet or "",
        args.basis or "",
    )
    print(f"registered {article_id}; now run `libya-conflict build`")
    return 0


def cmd_scoreboard(args) -> int:
    require("validate", "scoreboard")
    from .scoreboard import run

    return run(seed=args.seed)


def cmd_diff(args) -> int:
    import json

    from .diff import DiffError, diff_packages, to_changelog, to_json, to_text

    try:
        d = diff_packages(Path(args.old), Path(args.new))
    except DiffError as exc:
        if args.format == "json":
            print(json.dumps({"identical": None, "error": one_line(exc)}, ensure_ascii=False))
        print(f"libya-conflict diff: error: {one_line(exc)}", file=sys.stderr)
        return 2
    print({"text": to_text, "json": to_json, "changelog": to_changelog}[args.format](d), end="")
    return 0 if d.identical else 1


def cmd_synth(args) -> int:
    from .synth import synthesize

    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CommandError(f"{out} is not an empty folder: synth writes a whole package and overwrites nothing")
    rows = synthesize(out, events=args.events, seed=args.seed)
    print(f"wrote {out}: " + ", ".join(f"{table} {n}" for table, n in rows.items()))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="libya-conflict", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("info", help="version, tables with row counts, citation, licence")
    s.set_defaults(func=cmd_info)

    s = sub.add_parser("validate", help="validate the bundled data or a data package folder")
    s.add_argument(
        "dir",
        nargs="?",
        help="folder holding datapackage.json (default: the current folder when it holds one, else the bundled data)",
    )
    s.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="report format (default text; github: GitHub Actions annotations on each file and line)",
    )
    s.add_argument("--show", type=int, default=5, help="problems shown per rule in the text report")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser(
        "build", help="regenerate derived files (CSV canonical form, Parquet, datapackage.json, codebook)"
    )
    s.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the stale files")
    s.add_argument(
        "--release",
        metavar="DIR",
        help="then write the release bundle (every download, the "
        "documentation, SHA256SUMS) into the empty or new folder DIR",
    )
    s.add_argument("--root", default=".", help="project folder (default: current folder)")
    s.add_argument("--show", type=int, default=5, help="problems shown per rule when a release is refused")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser(
        "export",
        help="write every table to a folder in one format",
        description="csv, parquet: the package's own files; csv-bom: CSV with a byte-order mark "
        "for spreadsheets; xlsx: one workbook; sqlite: one database; acled: the events in "
        "ACLED's layout and vocabulary.",
    )
    s.add_argument("--format", choices=["csv", "parquet", "csv-bom", *SINGLE_FILE_EXPORTS], required=True)
    s.add_argument("--out", required=True, help="output folder")
    s.add_argument(
        "--root",
        help="package folder to export, validated first (default: the current folder when it "
        "holds datapackage.json, else the bundled data)",
    )
    s.add_argument("--show", type=int, default=5, help="problems shown per rule when the package is refused")
    s.add_argument(
        "--all-countries",
        action="store_true",
        help="acled: also the events located outside Libya, or not located at all (default: Libya only)",
    )
    s.add_argument(
        "--inter-codes",
        action="store_true",
        help="acled: inter1, inter2 and interaction as ACLED's former numeric codes (default: its labels)",
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("plot", help="draw a figure: timeline of events by type and side, or map of places")
    s.add_argument("figure", choices=["timeline", "map"])
    s.add_argument("--out", required=True, help="PNG file to write")
    s.set_defaults(func=cmd_plot)

    s = sub.add_parser(
        "site",
        help="write the offline explorer: a static site of every row beside its quotes",
        description="Plain HTML, CSS and a little JavaScript, with relative links: it works opened "
        "from file:// and fetches nothing. Needs the site extra (Jinja2).",
    )
    s.add_argument("--out", required=True, help="folder to write (made if missing)")
    s.add_argument(
        "--root",
        help="package folder to show, validated first (default: the current folder when it "
        "holds datapackage.json, else the bundled data)",
    )
    s.add_argument("--show", type=int, default=5, help="problems shown per rule when the package is refused")
    s.set_defaults(func=cmd_site)

    s = sub.add_parser("curate", help="curation helpers")
    cur = s.add_subparsers(dest="curate_command", required=True)
    c = cur.add_parser("locate", help="offsets of an exact quote in an article; refuses absent or ambiguous quotes")
    c.add_argument("article_id")
    c.add_argument("quote")
    c.add_argument("--root", default=".", help="project folder (default: current folder)")
    c.set_defaults(func=cmd_curate_locate)
    c = cur.add_parser("add-article", help="copy a new source text into the package and register it")
    c.add_argument("file")
    c.add_argument("--published", required=True, help="earliest publication date, YYYY-MM-DD")
    c.add_argument("--published-latest", help="latest publication date when the day is uncertain")
    c.add_argument("--precision", default="day", choices=["day", "week", "month", "year", "range"])
    c.add_argument("--outlet", help="publishing outlet, in English")
    c.add_argument("--basis", help="how the publication date was established")
    c.add_argument("--root", default=".", help="project folder (default: current folder)")
    c.set_defaults(func=cmd_curate_add)

    s = sub.add_parser(
        "scoreboard", help="apply every catalogued corruption to a copy of the data; exit 1 if one is missed"
    )
    s.add_argument("--seed", type=int, default=0, help="choose other rows to corrupt (default 0)")
    s.set_defaults(func=cmd_scoreboard)

    s = sub.add_parser(
        "diff",
        help="what changed between two package folders or release bundles: rows added, "
        "retired and changed, table by table; exit 0 when identical, 1 when not",
    )
    s.add_argument("old", metavar="OLD", help="the older package folder or release bundle")
    s.add_argument("new", metavar="NEW", help="the newer package folder or release bundle")
    s.add_argument(
        "--format",
        choices=["text", "json", "changelog"],
        default="text",
        help="text (default), json, or changelog (the CHANGELOG's data section for NEW)",
    )
    s.set_defaults(func=cmd_diff)

    s = sub.add_parser(
        "synth",
        help="write a synthetic, valid data package of any size (for benchmarks)",
        description="Every table in the proportions of the curated data, generated Arabic article "
        "texts with exact quote offsets, Parquet copies and datapackage.json. The same "
        "seed and size give the same bytes.",
    )
    s.add_argument("--events", type=int, required=True, help="number of events (other tables in proportion)")
    s.add_argument("--out", required=True, help="folder to write (new or empty)")
    s.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    s.set_defaults(func=cmd_synth)
    return p


def one_line(exc: BaseException) -> str:
    """An error as one line: its message, or its kind when it has none."""
    text = " ".join(str(exc).split())
    if isinstance(exc, (CommandError, MissingExtra, ValueError, OSError)):
        return text[:500] or type(exc).__name__
    # Anything else is a fault of this program, not of the input: say so, without a traceback.
    return f"internal error ({type(exc).__name__}{': ' + text[:300] if text else ''}); please report it"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code. Every failure ends as one line on stderr and exit 2
    (with ``--format json``, also as JSON on stdout)."""
    import json

    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except Exception as exc:  # noqa: BLE001 - one clear line, never a traceback
        message = one_line(exc)
        if getattr(args, "format", None) == "json":
            folder = getattr(args, "dir", None)
            print(
                json.dumps(
                    {"valid": None, "folder": str(Path(folder).absolute()) if folder else None, "error": message},
                    ensure_ascii=False,
                )
            )
        print(f"libya-conflict {args.command}: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
