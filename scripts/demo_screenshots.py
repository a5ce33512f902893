"""Screenshots of the demonstration figures for the README, taken as `make run` shows them.

    .venv/bin/python scripts/demo_screenshots.py [--keep]

Builds a scratch SQLite database in a temporary folder with the steps of `make load` (migrate,
load_strategy, load_demo, demo; DEBUG on, as `make run`), serves it with `manage.py runserver` on a
free port, and drives Debian's Chromium (the browser tests' launch options) as the demo accounts:
the matrix of the open period, the regional dashboard of this year and last, the secretariat's
review queue, and a country report of last year, three of its pages drawn with poppler's pdftoppm.
Writes docs/screenshots/demo-*.png (256 colours, as the browser tests' screenshots for the docs).
Needs the development environment (Playwright), Chromium and poppler-utils (`make system-deps`);
`--keep` leaves the temporary folder (database, PDF, full-size screenshots) and prints its path.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "screenshots"
PYTHON = sys.executable
PASSWORD = "corett-demo"  # the demo accounts' (corett/management/commands/load_demo.py)
COUNTRY = "Guatemala"
PAGES = (1, 3, 4)  # the report's cover, its summary (every axis) and the first axis


def prepare(folder: Path) -> dict:
    """The environment of `make run`, pointed at a scratch database, and `make load`'s steps."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "DJANGO_SETTINGS_MODULE": "corett.settings",
    }
    env.pop("CELERY_BROKER_URL", None)  # reports render in-process, as in `make run`
    # With DEBUG on, static files are served from the sources: collectstatic is not needed.
    for command in (["migrate", "--noinput"], ["load_strategy"], ["load_demo"], ["demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    return env


def serve(env: dict) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "runserver", "--noreload", address],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://{address}/healthz", timeout=2)
            return server, f"http://{address}"
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("runserver did not answer within a minute")


def main(keep: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="corett-shots-"))
    env = prepare(folder)
    os.environ.update(env)  # the browser tests' helpers read the settings (translations)
    import django

    django.setup()
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import conftest as browser

    server, portal = serve(env)
    expect.set_options(timeout=30_000)
    this_year, last_year = date.today().year, date.today().year - 1

    def shoot(page, name: str, height: int) -> None:
        """The top `height` pixels of the page, full size in the folder, 256 colours in docs."""
        path = folder / f"{name}.png"
        clip = {"x": 0, "y": 0, "width": browser.DESKTOP["width"], "height": height}
        page.screenshot(path=path, full_page=True, clip=clip, animations="disabled", caret="hide")
        browser._save_for_docs(path, DOCS / path.name)

    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=str(browser.CHROMIUM), args=browser.LAUNCH_ARGS
            )

            def signed_in(username: str):
                context = chromium.new_context(
                    viewport=browser.DESKTOP, locale="es-419", base_url=portal
                )
                context.set_default_timeout(30_000)
                page = context.new_page()
                page.goto("/es/")
                browser.sign_in(page, username, PASSWORD)  # no second step in demo mode
                return page

            secretariat = signed_in("secretariat")  # sees values in every state
            secretariat.goto(f"/es/monitoring/?period={this_year}")
            shoot(secretariat, "demo-matrix", 1330)
            secretariat.goto("/es/monitoring/review/")
            shoot(secretariat, "demo-review-queue", 1250)

            observer = signed_in("observer")  # validated figures only
            for year, name in ((this_year, "open"), (last_year, "past")):
                observer.goto(f"/es/monitoring/dashboard/?period={year}")
                shoot(observer, f"demo-dashboard-{name}", 1300)
            pdf = report(observer, folder / "report.pdf", str(last_year), browser.es, expect)
            sheet(pdf, PAGES, folder / "demo-report-pdf.png")
            browser._save_for_docs(folder / "demo-report-pdf.png", DOCS / "demo-report-pdf.png")
            chromium.close()
    finally:
        server.terminate()
        server.wait()
        if keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder)


def report(page, pdf: Path, period: str, es, expect) -> Path:
    """Asks for a country report through the page, as an observer does, and saves the PDF."""
    page.goto("/es/monitoring/reports/new/")
    scope = page.get_by_role("combobox").filter(has=page.get_by_role("option", name=COUNTRY))
    scope.select_option(label=COUNTRY)
    page.get_by_role("combobox", name=es("Reporting period")).select_option(period)
    page.get_by_role("radio", name="Español").check()
    page.get_by_role("button", name=es("Ask for the report")).click()
    link = page.get_by_role("link", name=es("Download the PDF"))
    expect(link).to_be_visible()  # without a broker the report is written within the request
    pdf.write_bytes(page.request.get(link.get_attribute("href")).body())
    return pdf


def sheet(pdf: Path, pages: tuple[int, ...], target: Path) -> None:
    """The given pages of the PDF side by side on a grey sheet, drawn by pdftoppm."""
    drawn = []
    for number in pages:
        prefix = pdf.with_name(f"page-{number}")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                pdf,
                prefix,
            ],
            check=True,
        )
        drawn.append(Image.open(prefix.with_suffix(".png")))
    gap = 16
    width = sum(image.width for image in drawn) + gap * (len(drawn) + 1)
    canvas = Image.new("RGB", (width, max(image.height for image in drawn) + 2 * gap), "#e6e6e6")
    x = gap
    for image in drawn:
        canvas.paste(image, (x, gap))
        x += image.width + gap
    canvas.save(target)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(keep="--keep" in sys.argv)
