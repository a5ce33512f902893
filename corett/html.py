"""HTML written in Python, where a template per element costs more than the page's own work (the
data-entry page's thousand inputs, long selects): escaping and attributes, one way for all."""

import re
from html import escape

_SPECIAL = re.compile("[&<>\"']")  # what escape() replaces: most texts have none


def esc(value) -> str:
    """Escaped for HTML text and attribute values, markup already safe left as it is: Django's
    conditional_escape() without its lazy string check, which costs more than the escaping at a
    thousand inputs."""
    if type(value) is str:  # plain text (not SafeString, a subclass), the common case
        return escape(value, quote=True) if _SPECIAL.search(value) else value
    if type(value) is int:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape("" if value is None else str(value), quote=True)


def attributes(attrs: dict) -> str:
    """Attributes as Django's django/forms/widgets/attrs.html writes them: each after a space,
    True bare, False left out."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
