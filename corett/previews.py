"""Import previews kept in the session between "preview" and "confirm", under random tokens.

What is kept is the checked result, never the uploaded file: confirm writes exactly what was shown.
"""

import secrets
import time


def keep_preview(session, key: str, result: dict, *, lifetime: float, most: int) -> str:
    """Keeps a preview (the `most` newest at most) and returns its token."""
    kept = _fresh(session.get(key, {}), lifetime)
    token = secrets.token_urlsafe(24)
    kept[token] = {**result, "created": time.time()}
    newest = sorted(kept, key=lambda t: kept[t]["created"])[-most:]
    session[key] = {t: kept[t] for t in newest}
    return token


def kept_preview(session, key: str, token: str, *, lifetime: float, remove: bool = False):
    """The preview kept under `token`, or None once it has expired or been used."""
    kept = _fresh(session.get(key, {}), lifetime)
    stored = kept.pop(token, None) if remove else kept.get(token)
    session[key] = kept
    return stored


def _fresh(kept: dict, lifetime: float) -> dict:
    now = time.time()
    return {t: p for t, p in kept.items() if now - p.get("created", 0) < lifetime}
