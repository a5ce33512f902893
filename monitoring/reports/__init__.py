"""PDF progress reports per country and for the region (issue 6): everything about them is here.

models.py      ReportRequest: a report asked for, its scope, period, language and life
services.py    the life of a request: ask, dispatch to the workers, sweep, schedule
tasks.py       the Celery task that renders a request (from its id)
generation.py  what that task does: start an attempt, render and write, retry or fail
content.py     what a report says: its template context (sections.py: the part per axis), from the
               matrix area's selectors and charts
rendering.py   render_pdf, the one HTML-to-PDF helper, and the URL fetcher that serves only static
storage.py     where files live and how they are written (atomically)
versions.py    the data version that decides when a file can be reused
forms.py       the request form and the archive's filters
views.py, urls.py, api.py, downloads.py   the pages, the REST API and the permission-checked file
Templates: templates/monitoring/reports/ (pages) and templates/reports/ (the PDF).
"""
