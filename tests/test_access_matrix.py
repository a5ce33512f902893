"""Every URL against every role: who may reach it; refused writes leave the database unchanged.

RULES names every URL of the portal. The meta-test walks the URL resolver and fails when a URL has
no rule here, so a new view cannot ship without its access being tested.
"""

import hashlib
import importlib
import pkgutil

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from corett.models import User
from strategy import services
from strategy.models import Activity, Goal, Indicator, OperationalObjective
from tests import access_rules
from tests.access_rules import (
    API_COUNTRY,
    API_READ,
    API_SIGNED_IN,
    API_TOKEN,
    API_WRITE,
    COUNTRY,
    OPERATOR,
    PUBLIC,
    SECRETARIAT,
    SIGNED_IN,
    SUPERUSER,
    Rule,
)
from tests.conftest import make_user, signed_in


def activity():
    return Activity.objects.current().order_by("pk").first()


def plan_kwargs(kind="activity"):
    item = activity() if kind == "activity" else Indicator.objects.current().first()
    return {"kind": kind, "pk": item.pk}


# kwargs are callables when they need rows that only exist once the test world is built.
RULES = {
    # Public pages.
    "strategy:home": Rule(PUBLIC),
    "strategy:about": Rule(PUBLIC),
    "strategy:axis": Rule(PUBLIC, {"slug": "training"}),
    "strategy:countries": Rule(PUBLIC),
    "strategy:country": Rule(PUBLIC, {"code": "HN"}),
    "strategy:normative": Rule(PUBLIC),
    "strategy:conceptual": Rule(PUBLIC),
    "strategy:glossary": Rule(PUBLIC),
    "strategy:small_figures": Rule(PUBLIC),
    "site:accessibility": Rule(PUBLIC),
    "site:sources": Rule(PUBLIC),
    "site:source_notes": Rule(PUBLIC, {"area": "normative"}),
    "healthz": Rule(PUBLIC),
    "set_language": Rule(PUBLIC, methods=("post",), data={"language": "en"}),
    # Signing in and out.
    "accounts:login": Rule(PUBLIC),
    "accounts:logout": Rule(PUBLIC, methods=("post",)),
    "accounts:verify": Rule(PUBLIC),
    "accounts:password_reset": Rule(PUBLIC),
    "accounts:password_reset_done": Rule(PUBLIC),
    "accounts:password_reset_confirm": Rule(PUBLIC, {"uidb64": "MQ", "token": "bad-token"}),
    "accounts:password_reset_complete": Rule(PUBLIC),
    "accounts:security": Rule(SIGNED_IN),
    "accounts:two_factor_remove": Rule(SIGNED_IN, methods=("post",)),
    "accounts:api_token_revoke": Rule(SIGNED_IN, methods=("post",), data={"token": "0" * 128}),
    "accounts:password_change": Rule(SIGNED_IN),
    "accounts:password_change_done": Rule(SIGNED_IN),
    # User management.
    "accounts:users": Rule(SECRETARIAT),
    "accounts:user_create": Rule(
        SECRETARIAT, methods=("get", "post"), data={"username": "intruder", "role": "secretariat"}
    ),
    "accounts:user_edit": Rule(
        SECRETARIAT,
        lambda: {"pk": User.objects.get(username="observer").pk},
        methods=("get", "post"),
        data={"username": "observer", "role": "secretariat", "is_active": "on"},
    ),
    "accounts:user_invite": Rule(
        SECRETARIAT, lambda: {"pk": User.objects.get(username="observer").pk}, methods=("post",)
    ),
    "accounts:user_two_factor_reset": Rule(
        SECRETARIAT, lambda: {"pk": User.objects.get(username="observer").pk}, methods=("post",)
    ),
    # The plan workspace.
    "plan:index": Rule(SECRETARIAT),
    "plan:edit": Rule(
        SECRETARIAT, plan_kwargs, methods=("get", "post"), data={"text_es": "x", "version": "1"}
    ),
    "plan:history": Rule(SECRETARIAT, plan_kwargs),
    "plan:revert": Rule(
        SECRETARIAT,
        lambda: {**plan_kwargs(), "history_id": activity().history.earliest().history_id},
        methods=("post",),
    ),
    "plan:create": Rule(
        SECRETARIAT,
        lambda: {"kind": "goal", "parent_pk": activity().pk},
        methods=("get", "post"),
        data={"code": "9.9.9", "text_es": "x", "text_en": "x"},
    ),
    "plan:create_context": Rule(SECRETARIAT, methods=("get", "post"), data={"code": "X"}),
    "plan:retire": Rule(SECRETARIAT, plan_kwargs, methods=("post",), data={"version": "1"}),
    "plan:restore": Rule(SECRETARIAT, plan_kwargs, methods=("post",), data={"version": "1"}),
    "plan:move": Rule(SECRETARIAT, lambda: {**plan_kwargs(), "direction": "down"}, ("post",)),
    "spreadsheet:index": Rule(SECRETARIAT),
    "spreadsheet:export_xlsx": Rule(SECRETARIAT),
    "spreadsheet:export_csv": Rule(SECRETARIAT),
    "spreadsheet:preview": Rule(SECRETARIAT, {"token": "no-such-import"}),
    "spreadsheet:confirm": Rule(SECRETARIAT, {"token": "no-such-import"}, methods=("post",)),
    # The API.
    "api-root": Rule(API_READ),
    "api-schema": Rule(API_READ),
    "api-docs": Rule(API_READ),
    "api-token": Rule(PUBLIC, methods=("post",), data={"username": "x", "password": "y"}),
    "api-logout": Rule(API_TOKEN, methods=("post",)),
    "api-logoutall": Rule(API_TOKEN, methods=("post",)),
    "country-list": Rule(API_READ),
    "country-detail": Rule(API_READ, {"code": "HN"}),
    "axis-list": Rule(API_READ),
    "axis-detail": Rule(API_WRITE, {"number": 1}, methods=("get", "patch"), data={"version": 1}),
    "objective-list": Rule(API_WRITE, methods=("get", "post"), data={"text_es": "x"}),
    "objective-detail": Rule(
        API_WRITE,
        lambda: {"pk": OperationalObjective.objects.first().pk},
        methods=("get", "patch"),
        data={"version": 1, "text_es": "x"},
    ),
    "objective-retire": Rule(
        API_WRITE, lambda: {"pk": OperationalObjective.objects.first().pk}, methods=("post",)
    ),
    "activity-list": Rule(API_WRITE, methods=("get", "post"), data={"text_es": "x"}),
    "activity-detail": Rule(
        API_WRITE,
        lambda: {"pk": activity().pk},
        methods=("get", "patch"),
        data={"version": 1, "text_es": "x"},
    ),
    "activity-retire": Rule(API_WRITE, lambda: {"pk": activity().pk}, methods=("post",)),
    "goal-list": Rule(API_WRITE, methods=("get", "post"), data={"text_es": "x"}),
    "goal-detail": Rule(
        API_WRITE,
        lambda: {"pk": Goal.objects.first().pk},
        methods=("get", "patch"),
        data={"version": 1, "text_es": "x"},
    ),
    "goal-retire": Rule(API_WRITE, lambda: {"pk": Goal.objects.first().pk}, methods=("post",)),
    "indicator-list": Rule(API_WRITE, methods=("get", "post"), data={"name_es": "x"}),
    "indicator-detail": Rule(
        API_WRITE, {"code": "SEN-1.1.1-a"}, methods=("get", "patch"), data={"version": 1}
    ),
    "indicator-retire": Rule(API_WRITE, {"code": "SEN-1.1.1-a"}, methods=("post",)),
    "instrument-list": Rule(API_READ),
    "instrument-detail": Rule(API_READ, {"pk": 1}),
    "ratification-list": Rule(API_READ),
    "ratification-detail": Rule(API_READ, {"pk": 1}),
    "glossary-term-list": Rule(API_READ),
    "glossary-term-detail": Rule(API_READ, {"slug": "migration"}),
    # The Django admin (one rule stands for all its pages).
    "admin:index": Rule(SUPERUSER),
}

# The rules of the other areas, each in its own module of tests/access_rules.
for module in pkgutil.iter_modules(access_rules.__path__):
    RULES.update(importlib.import_module(f"tests.access_rules.{module.name}").RULES)

ROLES = ["anonymous", "observer", *[f"focal-{c}" for c in "bz cr sv gt hn mx ni pa do".split()]]
ROLES += ["secretariat", "superuser"]


def url_names():
    """Every named URL of the portal; the admin counts as one."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner == "admin":
                    yield "admin:index"
                else:
                    yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_has_an_access_rule():
    names = url_names()
    assert names - RULES.keys() == set(), "add these URLs to RULES with who may reach them"
    assert RULES.keys() - names == set(), "these RULES name URLs that no longer exist"


def database_fingerprint():
    """A digest of every row of the portal's own tables: equal digests, nothing written."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in {"corett", "strategy", "monitoring", "referrals", "knox"}:
            for row in model.objects.order_by("pk").values_list():
                digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture
def world(db, secretariat, observer, focal_points):
    superuser = make_user("root", User.Role.OBSERVER, is_superuser=True, is_staff=True)
    # One change in the portal, so that histories and reverts have something to show.
    item = activity()
    services.plan_item_update(
        user=secretariat, instance=item, data={"text_en": item.text_en + " "}, version=item.version
    )
    users = {"observer": observer, "secretariat": secretariat, "superuser": superuser}
    users.update({f"focal-{code.lower()}": user for code, user in focal_points.items()})
    return users


def client_for(client, world, role):
    if role == "anonymous":
        return client
    return signed_in(client, world[role])


def expected(rule, role, method):
    """What a role must get: a status code, or 'login' for a redirect to the sign-in page."""
    anonymous = role == "anonymous"
    if rule.access == PUBLIC or (rule.access == API_READ and method == "get"):
        return "any"
    if rule.access == SIGNED_IN:
        return "login" if anonymous else "any"
    if rule.access == SECRETARIAT:
        if anonymous:
            return "login"
        return "any" if role in {"secretariat", "superuser"} else 403
    if rule.access == API_WRITE:
        if method == "get":
            return "any"
        if anonymous:
            return 401
        return "any" if role in {"secretariat", "superuser"} else 403
    if rule.access == API_TOKEN:
        return 401
    if rule.access == API_SIGNED_IN:
        return 401 if anonymous else "any"
    if rule.access == SUPERUSER:
        return "any" if role == "superuser" else "admin login"
    if rule.access == OPERATOR:
        return "refused"
    if rule.access in {COUNTRY, API_COUNTRY}:
        if role in {"secretariat", "superuser", f"focal-{rule.country.lower()}"}:
            return "any"
        if anonymous:
            return "login" if rule.access == COUNTRY else 401
        return "refused"  # 403, or 404 where even the existence of the item is not told
    raise AssertionError(rule.access)


def request(client, name, rule, method):
    kwargs = rule.kwargs() if callable(rule.kwargs) else rule.kwargs
    url = reverse(name, kwargs=kwargs)
    if method == "get":
        return client.get(url)
    if not url.startswith(("/es/", "/en/")) and url.startswith("/api/"):
        return getattr(client, method)(url, rule.data, content_type="application/json")
    return getattr(client, method)(url, rule.data)


CASES = [(name, method) for name, rule in RULES.items() for method in rule.methods]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method", CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_role_against_url(client, world, role, name, method):
    rule = RULES[name]
    outcome = expected(rule, role, method)
    refused = outcome not in {"any"}
    client = client_for(client, world, role)
    before = database_fingerprint() if refused and method != "get" else None

    response = request(client, name, rule, method)

    assert response.status_code < 500
    if outcome == "login":
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    elif outcome == "admin login":
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
    elif outcome == "refused":
        assert response.status_code in {403, 404}
    elif outcome != "any":
        assert response.status_code == outcome
    if before is not None:
        assert database_fingerprint() == before, "a refused request wrote to the database"


@pytest.mark.parametrize("role", ["observer", "focal-hn", "focal-sv"])
def test_no_account_but_the_secretariat_sees_a_way_into_the_workspace(client, world, role):
    html = signed_in(client, world[role]).get("/es/").content.decode()
    assert reverse("plan:index") not in html
    assert reverse("accounts:users") not in html
