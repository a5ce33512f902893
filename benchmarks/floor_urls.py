"""The benchmark's own URLconf (benchmarks/floor.py sets ROOT_URLCONF to it): the project's URLs
and one more, the floor, a trivial page that goes through everything every page goes through —
the whole middleware stack (the session read, and renewed once a minute; CSRF, CSP, the language
from the path, the signed-in user and their second factor) — and does nothing else. Never part of
the portal's own URLs."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.translation import get_language

from corett import urls as portal

handler404 = portal.handler404


def floor(request):
    """What every page does at least: reads the signed-in user, hands out a CSRF token (as every
    page with a form, the sign-out button of the header included) and answers a few bytes."""
    who = request.user.username if request.user.is_authenticated else ""
    token = get_token(request)
    return HttpResponse(
        f'<!doctype html><html lang="{get_language()}"><title>floor</title>'
        f'<p>{who}</p><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    )


urlpatterns = [*i18n_patterns(path("floor/", floor, name="floor")), *portal.urlpatterns]
