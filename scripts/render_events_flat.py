"""Render the events_flat sheet as LibreOffice prints it, and check its Arabic is drawn, not boxed.

    python scripts/render_events_flat.py --out docs/img/events_flat.png [--rows 18]

Writes a one-sheet workbook with the columns a reader scans first (Arabic included), formatted by the
same code as the workbook's events_flat sheet; LibreOffice converts it to PDF, ``pdftoppm`` renders the
first page to PNG. Then ``pdffonts`` lists the fonts embedded in the PDF: at least one must have Arabic
glyphs (per fontconfig), or the Arabic would show as boxes even though ``pdftotext`` still extracts it.
Needs ``soffice``, ``pdftoppm``, ``pdffonts``, ``pdftotext`` and ``fc-list`` (Debian: libreoffice-calc-nogui,
poppler-utils, fontconfig) and an Arabic font (fonts-noto-core). Exits 1 when the check fails.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from libya_conflict import flat
from libya_conflict.workbook import SheetWriter, rtl_columns

COLUMNS = [
    "event_id",
    "date_earliest",
    "event_type",
    "place_en",
    "place_ar",
    "attacker",
    "target",
    "equipment_lost",
    "quotes_ar",
    "claimed_by",
]
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def printable_workbook(rows: int) -> bytes:
    """The first ``rows`` events of events_flat, with COLUMNS only, set up to print on landscape A3."""
    import xlsxwriter

    columns, flat_rows = flat.events_flat()
    chosen = [c for c in columns if c["name"] in COLUMNS]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = SheetWriter(workbook).table("events_flat", chosen, flat_rows[:rows], rtl_columns("events_flat"))
    sheet.set_landscape()
    sheet.set_paper(8)  # A3
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.3, right=0.3, top=0.4, bottom=0.4)
    sheet.set_footer("")  # the picture is of the cells; the workbook's page footer would be cut off
    workbook.close()
    return buffer.getvalue()


def arabic_font_families() -> set[str]:
    """Installed font families with the Arabic letter alef, names squeezed (no spaces, lower case)."""
    out = subprocess.run(["fc-list", ":charset=0627", "family"], capture_output=True, text=True, check=True).stdout
    return {name.replace(" ", "").lower() for line in out.splitlines() for name in line.split(",")}


def embedded_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name without its subset prefix, embedded?) for every font of the PDF, from ``pdffonts``."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID: the emb column is 5th from the end.
        fonts.append((parts[0].split("+")[-1], parts[-5] == "yes"))
    return fonts


def render(out: Path, rows: int) -> int:
    missing = [tool for tool in ("soffice", "pdftoppm", "pdffonts", "pdftotext", "fc-list") if not shutil.which(tool)]
    if missing:
        print(f"missing tools: {', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        book = folder / "events_flat.xlsx"
        book.write_bytes(printable_workbook(rows))
        profile = (folder / "profile").as_uri()
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(book),
            ],
            check=True,
            capture_output=True,
            env=dict(os.environ, HOME=str(folder)),
        )
        pdf = folder / "events_flat.pdf"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / "page")],
            check=True,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / "page.png", out)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        fonts = embedded_fonts(pdf)
    arabic = arabic_font_families()
    print(f"wrote {out}")
    print("fonts in the PDF: " + ", ".join(f"{name} ({'embedded' if emb else 'NOT embedded'})" for name, emb in fonts))
    drawn = [name for name, emb in fonts if emb and any(name.lower().startswith(f) for f in arabic)]
    if not ARABIC_LETTER.search(text):
        print("FAIL: pdftotext finds no Arabic text in the PDF", file=sys.stderr)
        return 1
    if not drawn:
        print("FAIL: no embedded font has Arabic glyphs: the Arabic would show as boxes", file=sys.stderr)
        return 1
    print(f"Arabic drawn with: {', '.join(drawn)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="PNG file to write")
    parser.add_argument("--rows", type=int, default=18, help="events to show (default 18)")
    args = parser.parse_args(argv)
    return render(Path(args.out), args.rows)


if __name__ == "__main__":
    sys.exit(main())
