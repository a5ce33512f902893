"""API tokens (django-rest-knox): issued at each API sign-in, each with its own expiry
(settings.API_TOKEN_TTL days), stored only as a digest. Every way a token ends goes through here:
the owner's logout and logout-all (API), a revoke on the security page, and the events after which
no token of the account may be trusted any more (revoke_all_api_tokens): a password change or
reset, a deactivation, a reset of two-step verification."""

from django.utils import timezone
from knox.models import AuthToken

# How much of a token the security page shows, to tell tokens apart: never enough to use one.
SHOWN_CHARACTERS = 8


def issue_api_token(*, user) -> tuple[AuthToken, str]:
    """A new token for user: (its row, the token itself, which only the answer ever holds).
    The user's expired tokens, refused already, are deleted on the way."""
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


def api_tokens_of(user):
    """The user's tokens still in force, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def revoke_api_token(*, user, digest: str) -> bool:
    """End one of user's own tokens; False if user has no such token."""
    deleted, _rows = AuthToken.objects.filter(user=user, digest=digest).delete()
    return deleted > 0


def revoke_all_api_tokens(user) -> int:
    """End every token of user. Called wherever a credential changes or access is taken away."""
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted
