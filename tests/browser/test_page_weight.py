"""Light pages for slow connections: what a public page costs to load, measured the way the
network sees it, from Chromium's own log (the bytes each response took on the wire, headers and
compressed body, as DevTools counts them).

A first visit (an empty cache) transfers at most 170 KB in all: the page, its stylesheets, images
and fonts. A repeat visit transfers at most 30 KB: the page again, nothing else, because the static
files have hashed names and a cache header of a year or more (corett/settings.py, STORAGES).
PAGE_WEIGHT_REPORT=path writes the figures (docs/benchmarks.md keeps the last ones).
"""

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KB = 1024
FIRST_VISIT = 170 * KB
REPEAT_VISIT = 30 * KB
YEAR = 365 * 24 * 3600
PAGES = {
    "home": "/es/",
    "country": "/es/countries/GT/",
    "route": "/es/directory/routes/GT/",
    "glossary": "/es/glossary/",
    "dashboard": "/es/monitoring/dashboard/",
}


class NetworkLog:
    """Every response the page's network received, by request, from the DevTools protocol."""

    def __init__(self, page):
        self.responses, self.cached = {}, set()
        session = page.context.new_cdp_session(page)
        session.on("Network.responseReceived", self._response)
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        session.send("Network.enable")

    def _response(self, event):
        response = event["response"]
        self.responses[event["requestId"]] = {
            "url": response["url"],
            "type": event["type"],
            "headers": {k.lower(): v for k, v in response["headers"].items()},
            "from_cache": response.get("fromDiskCache") or response.get("fromMemoryCache"),
            "bytes": 0,
        }

    def _finished(self, event):
        if event["requestId"] in self.responses:
            self.responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

    def visit(self, page, path) -> list[dict]:
        """The responses of one visit of `path`, the page loaded and the network quiet."""
        self.responses.clear()
        self.cached.clear()
        page.goto(path, wait_until="networkidle")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        return [
            response
            for key, response in self.responses.items()
            if key not in self.cached and not response["from_cache"]
        ]


def test_public_pages_are_light_on_the_first_visit_and_lighter_on_the_next(new_context, portal):
    figures = {}
    for name, path in PAGES.items():
        context = new_context(viewport=DESKTOP, locale="es-419", base_url=portal)
        page = context.new_page()
        log = NetworkLog(page)
        first = log.visit(page, path)
        repeat = log.visit(page, path)
        context.close()

        static = [r for r in first if "/static/" in r["url"]]
        assert static, f"{name}: no stylesheet or image loaded"
        for response in static:
            headers = response["headers"]
            max_age = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
            assert max_age and int(max_age[1]) >= YEAR, (response["url"], headers)
            if response["type"] == "Stylesheet":
                assert headers.get("content-encoding") in ("gzip", "br"), response["url"]
        weights = {
            "first": sum(r["bytes"] for r in first),
            "first_requests": len(first),
            "repeat": sum(r["bytes"] for r in repeat),
            "repeat_requests": len(repeat),
            "by_type": {
                kind: sum(r["bytes"] for r in first if r["type"] == kind)
                for kind in sorted({r["type"] for r in first})
            },
        }
        figures[name] = weights
        assert [r["type"] for r in repeat] == ["Document"], (name, [r["url"] for r in repeat])

    if os.environ.get("PAGE_WEIGHT_REPORT"):
        Path(os.environ["PAGE_WEIGHT_REPORT"]).write_text(json.dumps(figures, indent=2))
    too_heavy = {n: f["first"] for n, f in figures.items() if f["first"] > FIRST_VISIT}
    assert not too_heavy, (too_heavy, figures)
    too_heavy = {n: f["repeat"] for n, f in figures.items() if f["repeat"] > REPEAT_VISIT}
    assert not too_heavy, (too_heavy, figures)
