"""How API requests authenticate (settings.REST_FRAMEWORK): DRF's token, and the session for
the browsable API. Kept apart from corett/api_auth.py, whose views DRF cannot import while it
loads these classes."""

import re

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication; a key that cannot be a token (40 hexadecimal digits) is refused
    as invalid (401) without looking it up: a NUL in it made PostgreSQL fail the lookup (a 500)."""

    def authenticate_credentials(self, key):
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
