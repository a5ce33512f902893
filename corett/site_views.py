"""Pages about the portal itself: its accessibility statement, and the sources and corrections of
its reference data (the source notes, corett/source_notes.py). Public, in both languages."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from . import source_notes


def accessibility(request):
    return render(
        request,
        "site/accessibility.html",
        {"contact": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


def sources(request):
    return render(request, "site/sources.html", {"areas": source_notes.AREAS.values()})


def source_notes_page(request, area):
    notes = source_notes.AREAS.get(area)
    if notes is None:
        raise Http404
    return render(
        request,
        "site/source_notes.html",
        {"area": notes, "notes": source_notes.render(notes)},
    )
