"""Screenshots of the explorer for the README and docs: its home page, and an article with its highlights.

    python scripts/render_site_screenshots.py --out docs/img

Builds the site into a temporary folder, opens it from ``file://`` in headless Chromium (through
Selenium and ``/usr/bin/chromedriver``; Debian: chromium, chromium-driver) and writes
``site-home.png`` (the top of the home page) and ``site-article.png`` (art-001's text with its claims
highlighted), 1280 pixels wide, reduced to a 128-colour palette to keep them small.
"""

from __future__ import annotations

import argparse
import io
import shutil
import tempfile
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from libya_conflict.site import build_site

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def shot(driver, url: str, height: int, scroll_to: str | None = None) -> Image.Image:
    driver.set_window_size(1280, height)
    driver.get(url)
    if scroll_to:
        driver.execute_script("document.querySelector(arguments[0]).scrollIntoView()", scroll_to)
    return Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for site-home.png and site-article.png")
    out = Path(parser.parse_args().out)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_site(site)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium")
        for flag in FLAGS + (f"--user-data-dir={Path(tmp) / 'profile'}",):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            pictures = {
                "site-home.png": shot(driver, (site / "index.html").as_uri(), 1000),
                "site-article.png": shot(driver, (site / "articles/art-001.html").as_uri(), 900, "h2"),
            }
        finally:
            driver.quit()
    for name, picture in pictures.items():
        picture.quantize(128).save(out / name, optimize=True)
        print(out / name)


if __name__ == "__main__":
    main()
