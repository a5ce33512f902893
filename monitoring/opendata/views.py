"""The open data's pages and files, public and the same for everyone
(corett.access.OPEN_DATA_READER): the catalogue, an indicator's page, its data.csv and
datapackage.json, and the catalogue's zip.

The files answer with ETag and Last-Modified (Django's `condition`, from
selectors.freshness, without reading the figures): a harvester that sends them back gets 304
until a figure is validated or reopened or the indicator edited. An address with a code the
indicator had before the secretariat renamed it answers 301 to the same file under its code now.
The catalogue's zip, seconds of work at scale, is built once per ETag and kept (Django's cache).
"""

import re

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition

from . import packages, selectors, tables

# What an indicator code can be in an address: no slash, no control character (PostgreSQL
# refuses a NUL), no longer than the column.
CODE = re.compile(r"[^/\x00-\x1f]{1,20}")
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"


def _found(request, code: str) -> selectors.Found:
    """The indicator the address names, looked up once per request."""
    known = request.__dict__.setdefault("_opendata_found", {})
    if code not in known:
        known[code] = selectors.find(code) if CODE.fullmatch(code) else selectors.Found()
    return known[code]


def _freshness(request, code: str | None = None) -> selectors.Freshness | None:
    """The catalogue's (no code) or an indicator's freshness, computed once per request."""
    known = request.__dict__.setdefault("_opendata_freshness", {})
    if code not in known:
        indicator = _found(request, code).indicator if code is not None else None
        known[code] = (
            selectors.freshness(indicator) if code is None or indicator is not None else None
        )
    return known[code]


def _etag(request, code=None):
    fresh = _freshness(request, code)
    return fresh.etag if fresh else None


def _last_modified(request, code=None):
    fresh = _freshness(request, code)
    return fresh.last_modified if fresh else None


fresh = condition(etag_func=_etag, last_modified_func=_last_modified)


def _indicator(request, code: str, name: str):
    """(the indicator, None), or (None, a 301 to its address under its current code); 404 for a
    code no published indicator has or had."""
    found = _found(request, code)
    if found.indicator is not None:
        return found.indicator, None
    if found.renamed_to:
        return None, HttpResponsePermanentRedirect(reverse(name, args=[found.renamed_to]))
    raise Http404


def _file(content: bytes, content_type: str, filename: str = "") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # Anyone may keep it, but asks again each time (the ETag makes that cheap); any site may
    # read it from a browser: it is public and carries no credentials.
    response["Cache-Control"] = "public, no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _package(request, indicator):
    """(its validated values, their breakdowns as published, its descriptor)."""
    values = selectors.validated_values([indicator])[indicator.pk]
    shown = tables.breakdowns(values)
    address = request.build_absolute_uri(reverse("opendata:dataset", args=[indicator.code]))
    package = packages.descriptor(
        indicator, values, shown, countries=selectors.country_codes(), address=address
    )
    return values, shown, package


def catalogue(request):
    return render(request, "opendata/catalogue.html", {"indicators": list(selectors.catalogue())})


@fresh
def catalogue_zip(request):
    fresh = _freshness(request)
    address = request.build_absolute_uri(reverse("opendata:catalogue"))

    def build() -> bytes:
        indicators = list(selectors.published_indicators())
        return packages.catalogue_zip(
            indicators,
            selectors.validated_values(indicators),
            countries=selectors.country_codes(),
            address=lambda indicator: request.build_absolute_uri(
                reverse("opendata:dataset", args=[indicator.code])
            ),
            catalogue=address,
            stamp=fresh.last_modified,
        )

    content = selectors.kept_zip(fresh, address, build)
    return _file(content, "application/zip", "corett-open-data.zip")


def dataset(request, code):
    indicator, moved = _indicator(request, code, "opendata:dataset")
    if moved:
        return moved
    values, _shown, package = _package(request, indicator)
    context = {"indicator": indicator, "package": package, "values": len(values)}
    return render(request, "opendata/dataset.html", context)


@fresh
def dataset_package(request, code):
    indicator, moved = _indicator(request, code, "opendata:dataset_package")
    if moved:
        return moved
    return _file(packages.as_json(_package(request, indicator)[2]), JSON_TYPE)


@fresh
def dataset_csv(request, code):
    indicator, moved = _indicator(request, code, "opendata:dataset_csv")
    if moved:
        return moved
    values = selectors.validated_values([indicator])[indicator.pk]
    content = tables.data_csv(indicator, values, tables.breakdowns(values))
    return _file(content, CSV_TYPE, f"{packages.resource_name(indicator)}.csv")
