"""The security settings as production runs them, and what they put on the wire.

`tests/test_settings.py` runs `check --deploy` with production settings; here the same production
settings, read from a separate process, are applied to requests to show the headers and cookies
they produce. The throttled sign-in is in tests/test_accounts.py."""

import json
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD, make_user
from tests.test_settings import PRODUCTION, ROOT

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SECURE",
]


@pytest.fixture(scope="module")
def production():
    """The security settings exactly as corett.settings computes them in production."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "corett.settings", **PRODUCTION}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def as_in_production(settings, production):
    for name, value in production.items():
        setattr(settings, name, value)
    settings.ALLOWED_HOSTS = ["portal.corett.example"]
    return settings


def get(client, path, **extra):
    return client.get(path, secure=True, headers={"host": "portal.corett.example"}, **extra)


def test_production_is_not_debug_and_redirects_plain_http(client, as_in_production):
    assert as_in_production.DEBUG is False
    response = client.get("/es/", headers={"host": "portal.corett.example"})
    assert response.status_code == 301
    assert response["Location"] == "https://portal.corett.example/es/"


def test_production_headers(client, as_in_production):
    response = get(client, "/es/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/es/", "/api/docs/"])
def test_the_content_security_policy_allows_scripts_from_the_portal_only(
    client, as_in_production, path
):
    response = get(client, path)
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    # A nonce appears in the header only on pages whose templates use one.
    assert re.fullmatch(r"'self'( 'nonce-[\w+/=-]+')?", policy["script-src"])
    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"  # no 'unsafe-inline'
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["base-uri"] == "'self'"
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert all(re.search(r'\ssrc="/', tag) for tag in scripts), scripts


PAGES = [
    "/es/",
    "/en/",
    "/es/strategy/",
    "/es/countries/GT/",
    "/es/normative-framework/",
    "/es/glossary/",
    "/es/monitoring/",
    "/es/accounts/login/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_carries_inline_script_style_or_handlers(client, path):
    html = client.get(path, follow=True).content.decode()
    assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert not re.search(r"<style\b", html), "inline <style>"
    assert not re.search(r"\son[a-z]+\s*=\s*[\"']", html), "inline event handler"


def test_cookies_are_secure_and_http_only_in_production(client, as_in_production):
    make_user("observer", "observer")
    page = get(client, reverse("accounts:login"))
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        reverse("accounts:login"),
        {"username": "observer", "password": PASSWORD},
        secure=True,
        headers={"host": "portal.corett.example", "referer": "https://portal.corett.example/"},
    )
    assert response.status_code == 302, response.content[:500]
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
