"""Screenshots of a report page in headless Chromium (Debian's /usr/bin/chromium via Playwright),
for the README: the top of the page and its figures section.

    python scripts/report_screenshots.py RESULTS_DIR/report.html docs/img/report-th
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def screenshots(page_file: Path, stem: Path, width: int = 1100, height: int = 1300) -> list[Path]:
    """`stem`.png (the top of the page) and `stem`-figures.png (the figures section)."""
    out = [stem.with_name(stem.name + ".png"), stem.with_name(stem.name + "-figures.png")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_file.resolve().as_uri())
        page.wait_for_load_state("load")
        page.screenshot(path=str(out[0]))
        heading = page.locator("section:has(figure) h2").last  # the figures section
        heading.evaluate("(el) => el.scrollIntoView()")
        page.screenshot(path=str(out[1]))
        browser.close()
    return out


if __name__ == "__main__":
    for path in screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
