"""The logging configuration, built by corett/settings.py from LOG_FORMAT and LOG_LEVEL."""


def logging_config(log_format: str, level: str) -> dict:
    """One line per request and per task, as JSON or as text, through corett/logs.py."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "corett.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "corett.logs.JsonLinesFormatter"},
            "text": {
                "format": "%(asctime)s %(levelname)s %(name)s "
                "[request %(request_id)s user %(user_id)s] %(message)s"
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # The request's and the task's line are ours: Django's and Celery's own lines for each are
        # turned down (errors, with their tracebacks, still come through).
        "loggers": {
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            "celery.app.trace": {"level": "WARNING"},
            "celery.worker.strategy": {"level": "WARNING"},
        },
    }
