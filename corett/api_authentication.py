"""How API requests authenticate (settings.REST_FRAMEWORK): a knox token, and the session for
the browsable API. Kept apart from corett/api_auth.py, whose views DRF cannot import while it
loads these classes."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from knox.settings import knox_settings
from rest_framework import exceptions

TOKEN = re.compile(rb"[0-9a-f]{%d}" % knox_settings.AUTH_TOKEN_CHARACTER_LENGTH)


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token authentication (expired and revoked tokens get 401); a header that cannot hold
    a token (64 hexadecimal digits) is refused as invalid (401) without a lookup: a NUL made
    PostgreSQL fail the lookup, and bytes that are not UTF-8 made knox fail decoding them (500s)."""

    def authenticate_credentials(self, token: bytes):
        if not TOKEN.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token) -> bool:
        """Only the token sent: expired, it is deleted and refused. (knox also reads every other
        token of the user on every request to delete the expired ones: one query more on every
        API call; corett.api_tokens does that at each sign-in instead.)"""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (drf-spectacular knows knox's class, not this
    one): `Authorization: Token <token>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
