"""PDF progress reports per country and for the region (issue 6).

services.py   the life of a request: ask, dispatch, render (the Celery task's work), sweep, schedule
content.py    what a report says: its template context, from the dashboards' selectors and charts
rendering.py  render_pdf, the one HTML-to-PDF helper, and the URL fetcher that serves only static
storage.py    where files live and how they are written (atomically)
versions.py   the data version that decides when a file can be reused
forms.py      the request form and the archive's filters; api.py: the REST API
"""
