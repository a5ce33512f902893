"""Real-browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

Each journey is one test in a module of its own. The live server answers from another thread, so
journeys commit for real and Django empties every table after each one: they are marked
`django_db(transaction=True, serialized_rollback=True)` to get the shared world (the snapshot
tests/conftest.py takes once the strategy is loaded) back before they start, and the world is put
back after the last of them, so that whatever runs next finds it whole.
"""

import os
import re
from pathlib import Path

import pytest
from django.db import connections
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer
from pytest_django.plugin import blocking_manager_key

from strategy.models import Country

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).parent
DOCS = HERE.parent.parent / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

TIMEOUT_MS = 15_000  # on a loaded machine: a report is rendered within its request in tests
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: a journey in a real browser (tests/browser)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE not in Path(item.path).parents:
            continue
        item.add_marker(pytest.mark.browser)
        if not CHROMIUM.exists():
            item.add_marker(
                pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt install chromium")
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright's own browser download is not used), as CI runs it."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


# pytest-playwright starts Playwright once per session, and its synchronous API keeps an event loop
# running in the main thread from then on: every later test, journey or not, would run inside it
# (Django refuses ORM calls there, or, told to allow them, hands out other connection objects;
# asyncio.run fails). These overrides keep Playwright to this package: it stops after the journeys.


@pytest.fixture(scope="package")
def playwright(django_db_setup):
    os.environ[ASYNC_UNSAFE] = "true"  # the ORM in the journeys' thread, loop or not: one thread
    snapshot = _snapshot()
    pw = sync_playwright().start()
    _hand_over(snapshot)
    expect.set_options(timeout=TIMEOUT_MS)
    yield pw
    pw.stop()
    del os.environ[ASYNC_UNSAFE]


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args)
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def browser_context_args():
    return {}


# --- The shared world, whole for every test -------------------------------------------------------


def _restores_the_world(item) -> bool:
    marker = item.get_closest_marker("django_db") if item is not None else None
    return bool(marker and marker.kwargs.get("serialized_rollback"))


def _snapshot() -> dict:
    """The database as tests/conftest.py left it once the strategy was loaded, by alias."""
    return {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }


def _hand_over(snapshot: dict) -> None:
    """While Playwright's loop runs, Django gives this thread new connection objects (one per
    context instead of per thread), which lack the snapshot serialized_rollback puts back."""
    for connection in connections.all():
        if connection.alias in snapshot:
            connection._test_serialized_contents = snapshot[connection.alias]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A journey ends with Django emptying every table. A next test marked serialized_rollback
    gets the snapshot back before it starts; for any other test, it is put back now."""
    result = yield
    # No next test: the session's teardown has just removed the test database anyway.
    if nextitem is not None and not _restores_the_world(nextitem):
        with item.config.stash[blocking_manager_key].unblock():
            if not Country.objects.exists():
                for alias, contents in _snapshot().items():
                    connections[alias].creation.deserialize_db_from_string(contents)
    return result


# --- Browsing -----------------------------------------------------------------------------------


def _as_deployed(application):
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, except that static files reach the browser as in production:
    through WhiteNoise (hashed names, compressed copies, cache headers: corett/settings.py), not
    through Django's development handler, which knows neither the hashed names nor the headers."""
    server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost", start=False)
    server.thread.static_handler = _as_deployed
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def spanish_in_the_test_thread():
    """Journeys open Spanish pages and compare them with the models' texts read in this thread:
    read them in Spanish whatever language an earlier test's request left active here (Django's
    LocaleMiddleware activates a request's language in the thread that serves it and leaves it)."""
    with translation.override("es"):
        yield


@pytest.fixture
def portal(request, live_server):
    """The live server's address. Journeys commit for real (the server runs in another thread), so
    they must be marked to get the shared world back before they start: see the hook above."""
    if not _restores_the_world(request.node):
        pytest.fail("Mark journeys django_db(transaction=True, serialized_rollback=True).")
    return live_server.url


@pytest.fixture
def open_page(new_context, portal):
    """A new browser (its own cookies) showing `path`: open_page("/es/", viewport=PHONE)."""

    def _open(path="/es/", *, viewport=DESKTOP, locale="es-419"):
        context = new_context(viewport=viewport, locale=locale, base_url=portal)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.goto(path)
        return page

    return _open


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    """Where journeys leave their screenshots: $BROWSER_SCREENSHOTS, or a temporary folder."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shoot(screenshots):
    """shoot(page, "focal-entry-error"): a PNG of what the person sees (or of the whole page).
    With docs=True and UPDATE_SCREENSHOTS=1 in the environment, also a smaller copy (256 colours)
    in docs/screenshots/, for the README: refresh them after the interface changes with
    `UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser`."""

    def _shoot(page, name, *, full_page=False, docs=False):
        path = screenshots / f"{name}.png"
        page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
        if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
            _save_for_docs(path, DOCS / path.name)

    return _shoot


def _save_for_docs(source: Path, target: Path) -> None:
    """Interface screenshots have few colours: a palette PNG is a third of the size or less."""
    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    target.parent.mkdir(parents=True, exist_ok=True)
    small.save(target, optimize=True)


def es(message: str) -> str:
    """The Spanish the portal shows for an interface string (the string itself until translated),
    so that journeys find buttons and labels by the words people read."""
    with translation.override("es"):
        return translation.gettext(message)


def es_count(singular: str, plural: str, count: int) -> str:
    """The same for a message that depends on a number, with the number in it."""
    with translation.override("es"):
        return translation.ngettext(singular, plural, count) % {"count": count}


# --- Signing in ---------------------------------------------------------------------------------


def current_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now."""
    device.refresh_from_db()
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return str(code).zfill(device.digits)


def sign_in(page, username: str, password: str, *, device: TOTPDevice | None = None) -> None:
    """Through the real sign-in form, and the second step when the account has a device."""
    page.get_by_role("link", name=es("Sign in"), exact=True).first.click()
    page.get_by_label(es("Username")).fill(username)
    page.get_by_label(es("Password")).fill(password)
    page.get_by_role("button", name=es("Sign in")).click()
    if device is not None:
        page.get_by_label(es("Code")).fill(current_code(device))
        page.get_by_role("button", name=es("Verify")).click()
    expect(page.get_by_role("button", name=es("Sign out"))).to_be_visible()


def follow_menu(page, item: str) -> None:
    """Clicks an item of the main navigation (whose name may end in a count, like the queue's)."""
    menu = page.get_by_role("navigation", name=es("Main"))
    menu.get_by_role("link", name=re.compile(rf"^{re.escape(es(item))}\b")).click()
