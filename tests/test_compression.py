"""Pages are gzipped for a browser that asks (GZipMiddleware), and what makes that safe against
BREACH holds: the CSRF token in a page is masked afresh for every response, so a secret never
repeats byte for byte across the responses an attacker would compare."""

import gzip
import re

import pytest

from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

ENTRY = "/es/monitoring/entry/HN/2026/"


def csrf_field(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_entry_page_is_gzipped_when_asked(client, focal_hn):
    client = signed_in(client, focal_hn)
    response = client.get(ENTRY, headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert 'class="entry-form"' in html
    assert len(response.content) < len(html.encode()) / 4


def test_a_page_is_sent_plain_to_a_client_that_does_not_ask(client, focal_hn):
    response = signed_in(client, focal_hn).get(ENTRY)
    assert not response.has_header("Content-Encoding")
    assert 'class="entry-form"' in response.content.decode()


def test_the_csrf_token_differs_in_every_gzipped_page(client, focal_hn):
    client = signed_in(client, focal_hn)
    tokens = {
        csrf_field(
            gzip.decompress(client.get(ENTRY, headers={"accept-encoding": "gzip"}).content).decode()
        )
        for _ in range(3)
    }
    assert len(tokens) == 3
