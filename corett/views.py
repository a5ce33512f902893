from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # any failure means "not serving": report it, don't raise
        return f"error: {error.__class__.__name__}"


def _broker_state() -> str:
    from corett.celery import app

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


def _storage_state(alias: str) -> str:
    from django.core.files.storage import storages

    from .storages import check_reachable

    try:
        check_reachable(storages[alias])
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


@never_cache
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so that a database or broker outage
    does not get every web process restarted (that is what readiness is for)."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: 200 when the database, the broker (when configured) and the file storages
    answer, 503 otherwise, with the state of each (never the error's text: it may name hosts)."""
    checks = {"database": _database_state()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_state()
    for alias in ("default", "reports"):
        checks[f"storage_{alias}"] = _storage_state(alias)
    ready = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", **checks}, status=200 if ready else 503
    )


def not_found(request, exception):
    """404 in JSON under /api/, where clients read JSON (also for an address no route matches,
    such as /api/v1/values/abc/); the portal's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
