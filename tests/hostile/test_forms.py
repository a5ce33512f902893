"""Every form of the portal against the hostile corpus (tests/hostile/forms.py says which forms
and which kinds of field; tests/hostile/corpus.py which values).

For each field, every value of its kind is posted with the rest of a valid post, each in a
savepoint rolled back afterwards so that every value meets the same database. A value the field
must refuse gets a 4xx or an error on the page and writes nothing (the whole database compared);
a value the field may take is stored as given and shown escaped. Nothing answers 500, and
nothing typed comes back as markup.
"""

from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse

from tests.test_access_matrix import RULES, url_names

from .browser import form_data
from .conftest import client_as
from .corpus import (
    Unchanged,
    assert_escaped,
    assert_no_server_error,
    fingerprint,
    rolled_back,
    short,
    shows_a_refusal,
)
from .forms import FORMS, NO_FIELDS, ROW_BY_ROW, SET_LANGUAGE, UPLOADS, Context, api_url_names


def url_name(key: str) -> str:
    return key.split()[0]  # "plan:edit axis" is plan:edit for an axis


def start(client, world, key):
    """(client signed in as the form's role, context, the address to post to)."""
    form = FORMS[key]
    ctx = Context(world, form.setup(world))
    client = client_as(client, world, form.role)
    url = reverse(url_name(key), kwargs=form.kwargs(ctx))
    if form.prepare:
        url = form.prepare(client, ctx, url) or url
    if form.page:
        page = client.get(url)
        assert page.status_code == 200
        ctx.shown = form_data(page.content.decode(), url)
    return client, ctx, url


def same(sent: str, stored) -> bool:
    """Is this what the form should have stored for what was sent?"""
    if isinstance(stored, Decimal):
        try:
            return Decimal(sent.strip()) == stored
        except InvalidOperation:
            return False
    if isinstance(stored, str):
        return stored == sent.strip().replace("\r\n", "\n")
    return True  # a choice, a date, a relation: stored in its own form


@pytest.mark.parametrize("key", list(FORMS))
def test_the_valid_post_is_taken(client, world, key):
    """What the hostile tests post around each bad value is itself accepted: a refusal below is
    the bad value's doing."""
    form = FORMS[key]
    client, ctx, url = start(client, world, key)
    before = fingerprint()

    response = client.post(url, form.data(ctx))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert (fingerprint() != before) == form.writes


CASES = [
    pytest.param(key, name, id=f"{key}-{name}")
    for key, form in FORMS.items()
    for name in form.fields
]


@pytest.mark.parametrize("key, name", CASES)
def test_hostile_values(client, world, key, name):
    form = FORMS[key]
    kind = form.fields[name]
    client, ctx, url = start(client, world, key)
    unchanged = Unchanged()
    for value in kind.values:
        with rolled_back():
            data = form.data(ctx)
            data[name] = value
            with unchanged.watch():
                response = client.post(url, data)

            assert_no_server_error(response)
            assert_escaped(response)
            written = not unchanged
            if kind.must_refuse(value):
                assert not written, f"{short(value)} in {name} was written"
                assert shows_a_refusal(response), f"{short(value)} in {name}: no error shown"
            elif written and form.stored:
                row = form.stored(ctx)
                attribute = form.attribute.get(name, name)
                if hasattr(row, attribute):
                    stored = getattr(row, attribute)
                    assert same(value, stored), f"{short(value)} stored as {short(stored)}"
                if form.shown_at:
                    page = client.get(form.shown_at(ctx))
                    assert page.status_code == 200
                    assert_escaped(page)


def test_every_form_is_in_the_corpus():
    """Every URL that takes a POST (per the access matrix's rules) is in the hostile corpus: a new
    form cannot ship without its fields being tried here."""
    posts = {name for name, rule in RULES.items() if "post" in rule.methods} - api_url_names()
    known = {url_name(key) for key in FORMS} | NO_FIELDS | UPLOADS | ROW_BY_ROW | SET_LANGUAGE
    assert posts - known == set(), "add these forms to tests/hostile/forms.py"
    assert known - url_names() == set(), "these names in tests/hostile/forms.py no longer exist"
