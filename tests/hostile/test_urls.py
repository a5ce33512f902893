"""Every URL of the portal, found by walking the URL patterns (with the access matrix's rules for
their parameters and methods), with hostile values in its path parameters: numbers beyond the
database's integers, NUL, right-to-left marks, digits of other scripts, long and odd text. The
answer is a 4xx (or a page), never a 500, nothing is written, and nothing is echoed unescaped."""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter

from strategy import services as plan_services
from strategy.models import Activity
from tests.test_access_matrix import RULES

from .browser import query_fields
from .conftest import client_as
from .corpus import (
    LONG,
    NUL,
    RTL,
    SCRIPT,
    Unchanged,
    assert_escaped,
    assert_no_server_error,
    short,
)
from .forms import api_url_names

API_NAMES = api_url_names()

HOSTILE = {
    IntConverter: [2**31, 10**30],  # beyond PostgreSQL's integer, and any integer
    StringConverter: [NUL, LONG[:3000], RTL, "١٢٣", "%00", "<b>{{ 7 }}</b>"],
    SlugConverter: ["x" * 3000, "-" * 50],
    PathConverter: [NUL, "../../etc/passwd", LONG[:3000]],
}


def converters() -> dict[str, dict]:
    """{URL name: {parameter: converter}} for every named pattern."""

    def walk(patterns, namespace=None, inherited=None):
        for pattern in patterns:
            found = {**(inherited or {}), **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, found)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), found

    return dict(walk(get_resolver().url_patterns))


CONVERTERS = converters()
CASES = [
    pytest.param(name, id=name)
    for name in RULES
    if any(type(c) in HOSTILE for c in CONVERTERS.get(name, {}).values())
]


@pytest.fixture
def edited_plan(world):
    """One change to the plan, so that its history has a version to revert to."""
    activity = Activity.objects.current().order_by("pk").first()
    plan_services.plan_item_update(
        user=world["secretariat"],
        instance=activity,
        data={"text_en": activity.text_en + " "},
        version=activity.version,
    )


@pytest.mark.parametrize("name", CASES)
def test_hostile_path_parameters(client, world, edited_plan, name):
    rule = RULES[name]
    client = client_as(client, world, "secretariat")
    kwargs = rule.kwargs() if callable(rule.kwargs) else dict(rule.kwargs)
    unchanged = Unchanged()
    tried = 0
    for parameter, converter in CONVERTERS[name].items():
        for value in HOSTILE.get(type(converter), []):
            try:
                url = reverse(name, kwargs={**kwargs, parameter: value})
            except NoReverseMatch:
                continue  # the pattern itself refuses the value: no request can reach a view
            tried += 1
            for method in rule.methods:
                with unchanged.watch():
                    if method == "get":
                        response = client.get(url)
                    else:
                        response = getattr(client, method)(url, rule.data)
                assert_no_server_error(response)
                assert_escaped(response)
                assert response.status_code != 200 or method == "get", (method, short(value))
                assert unchanged, f"{method} {short(value)} wrote to the database"
    assert tried, "no hostile value fits this URL's parameters"


QUERY = [NUL, "9" * 400, "١٢٣", SCRIPT, "-1"]
# Downloads read the filters of the page they are linked from.
LINKED_QUERIES = {
    "monitoring:spreadsheet_values_csv": {"period", "country"},
    "monitoring:spreadsheet_values_xlsx": {"period", "country"},
    "referrals:export_csv": {"country", "population", "q", "role", "sector"},
    "referrals:export_xlsx": {"country", "population", "q", "role", "sector"},
    "referrals:print": {"country", "population", "q", "role", "sector"},
}
PAGES = [
    pytest.param(name, id=name)
    for name, rule in RULES.items()
    if "get" in rule.methods and not name.startswith("admin:") and name not in API_NAMES
]


@pytest.mark.parametrize("name", PAGES)
def test_hostile_query_parameters(client, world, edited_plan, name):
    """Every page's GET forms (filters, searches, period choosers) with hostile values in all
    their fields at once: a page or a 4xx, never a 500, nothing echoed unescaped."""
    rule = RULES[name]
    client = client_as(client, world, "secretariat")
    url = reverse(name, kwargs=rule.kwargs() if callable(rule.kwargs) else rule.kwargs)
    page = client.get(url)
    assert_no_server_error(page)
    html = page.content.decode(errors="replace") if page.status_code == 200 else ""
    fields = query_fields(html) | LINKED_QUERIES.get(name, set())
    for value in QUERY if fields else []:
        response = client.get(url, {field: value for field in fields})
        assert_no_server_error(response)
        assert_escaped(response)
        assert response.status_code in (200, 302, 400, 404), (response.status_code, short(value))
