"""The error answers that every API operation can give, added to the OpenAPI schema by a
drf-spectacular post-processing hook (settings.SPECTACULAR_SETTINGS), so that the schema tells
clients everything the API may answer (schemathesis checks it: tests/hostile/test_schemathesis.py):

- 404 where the path names an item (`/values/{id}/`) or the query a page (`?page=`) that may not
  exist;
- 400 where query parameters filter a list: an unknown country code or a malformed number;
- 401 wherever credentials are read: a wrong token is refused even where none is needed;
- 415 wherever a body is read: a media type the API does not read, or a multipart body too broken
  to say what it holds.

An operation that already documents an answer for one of these codes keeps its own.
"""

from django.utils.translation import gettext_lazy as _

METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_MESSAGES_PER_PARAMETER = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def _answer(description, schema) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def document_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if "{" in path or "page" in queries:
                responses.setdefault(
                    "404", _answer(_("No such item, or no such page of the list."), _DETAIL)
                )
            if any(name != "page" for name in queries):
                responses.setdefault(
                    "400",
                    _answer(
                        _("A query parameter is not valid: a list of messages for each."),
                        _MESSAGES_PER_PARAMETER,
                    ),
                )
            if any(operation.get("security") or []):
                responses.setdefault(
                    "401", _answer(_("No credentials, or a wrong token."), _DETAIL)
                )
            if method in {"post", "put", "patch"}:
                responses.setdefault(
                    "415", _answer(_("The body is not in a form the API reads (JSON)."), _DETAIL)
                )
    return result
