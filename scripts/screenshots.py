"""Look at pages as a user would: sign in, open each path, save screenshots at 1280 and 360 px.

    python scripts/screenshots.py --base http://127.0.0.1:8000 --user owner \
        --password improving-together-2019 --out screenshots / /my/root-causes/

Uses Debian's Chromium (never `playwright install`). Prints the axe-core violations of each
page with impact serious or critical.
"""

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user")
    parser.add_argument("--password", default="improving-together-2019")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--axe", action="store_true", help="Run axe-core on each page.")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width in (1280, 360):
            page = browser.new_page(viewport={"width": width, "height": 900})
            if options.user:
                page.goto(options.base + "/accounts/login/")
                page.fill("#id_username", options.user)
                page.fill("#id_password", options.password)
                page.click("button[type=submit]")
            for path in options.paths:
                page.goto(options.base + path)
                slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                name = out / f"{options.user or 'anon'}-{slug}-{width}.png"
                page.screenshot(path=str(name), full_page=True)
                print(name)
                if options.axe and width == 1280:
                    from axe_playwright_python.sync_playwright import Axe

                    results = Axe().run(page)
                    for violation in results.response["violations"]:
                        if violation["impact"] in ("serious", "critical"):
                            print(
                                f"  axe {violation['impact']}: {violation['id']} — {violation['help']}"
                            )
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
