"""Screenshots of a service page for the README, at a phone's and a desktop's width.

    python3 cli.py build --no-print && python3 scripts/screenshots.py [site] [service-id]

Writes docs/screenshots/service-390.png (390 x 844, the first screen of a phone) and
service-1280.png (1280 x 900), reduced to a 128-colour palette to stay small.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, serve_dir  # noqa: E402

SIZES = ((390, 844), (1280, 900))


def main() -> None:
    from PIL import Image
    from playwright import sync_api

    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    sid = sys.argv[2] if len(sys.argv) > 2 else "passport"
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    srv = serve_dir(site)
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for width, height in SIZES:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                page.goto(srv.url + f"services/{sid}/")
                png = out / f"service-{width}.png"
                page.screenshot(path=str(png))
                context.close()
                with Image.open(png) as im:
                    im.convert("RGB").quantize(colors=128).save(png, optimize=True)
                print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
            browser.close()
    finally:
        srv.close()


if __name__ == "__main__":
    main()
