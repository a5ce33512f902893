"""The REST API's settings (Django REST framework, drf-spectacular, django-rest-knox), imported by
corett/settings.py under the same names."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from ..env import env_int

# API tokens (django-rest-knox): stored as digests, each with an expiry, revocable one by one or
# all at once; a new one at every sign-in. Days a token lives:
API_TOKEN_TTL = env_int("API_TOKEN_TTL", 30)
if API_TOKEN_TTL < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL must be a number of days, 1 or more.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": None,
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # A token (POST /api/v1/auth/token/) for API clients; the session, CSRF enforced, for the
    # browsable API. Token first: a request without credentials gets 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "corett.api_authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CORETT portal API",
    "DESCRIPTION": "The Regional Strategy for the Prevention of Trafficking in Persons and "
    "Smuggling of Migrants, as data, and its monitoring matrix. Answers follow Accept-Language "
    "or ?lang=es|en. Reads are public (values: validated ones, small breakdown cells protected); "
    "writes need a token: plan items for the secretariat, values for the country's focal point.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Hostile input (issue 7): JSON that Python reads oddly is a 400 (corett/api_parsers.py); the
# schema also documents the 404s, 400s and 401s every operation can give (corett/api_schema.py).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "corett.api_parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "corett.api_schema.document_error_responses",
]
