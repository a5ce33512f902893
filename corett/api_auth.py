"""API sign-in: POST /api/v1/auth/token/ trades a username and password for a token.

The token is DRF's (rest_framework.authtoken): one per user, the same on every sign-in, sent as
`Authorization: Token <token>`. The sign-in is throttled exactly as the sign-in page is
(django-axes, through corett.access.authenticate_throttled): once an account or an address is
locked, the answer is 429 with a JSON message, whatever the password. Inactive users are refused
like a wrong password. Accounts that sign in to the portal with a second factor (the secretariat
outside demo mode, and anyone who has set one up) must send its code as `otp` too: otherwise a
password alone would give the API the rights the second factor guards on the portal. A wrong code
counts as a failed sign-in for the throttling.
"""

from math import ceil

from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import match_token, user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .access import authenticate_throttled, must_use_second_factor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "The code from the authenticator app, for accounts that sign in with a second factor."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("Send it with every request as “Authorization: Token <token>”."),
    )


def _refused(message, field=api_settings.NON_FIELD_ERRORS_KEY):
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _locked_out(request):
    """429, in JSON and the request's language, for a locked account or address."""
    # django-axes marks the request; its middleware would then replace this answer with the
    # sign-in page's HTML lockout page. The flag may sit on the DRF request or on Django's.
    for marked in (request, request._request):
        if getattr(marked, "axes_locked_out", False):
            marked.axes_locked_out = False
    cool_off = get_cool_off(request._request)
    if cool_off is None:
        message = _(
            "Too many failed sign-in attempts: signing in is locked. "
            "The secretariat can lift the lock."
        )
        return Response({"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    minutes = ceil(cool_off.total_seconds() / 60)
    message = ngettext(
        "Too many failed sign-in attempts: signing in is locked for up to %(minutes)d minute.",
        "Too many failed sign-in attempts: signing in is locked for up to %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    # The whole cool-off: an upper bound of the time left since the lock began.
    return Response(
        {"detail": message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(ceil(cool_off.total_seconds()))},
    )


_ERRORS = inline_serializer(
    name="TokenRequestError",
    fields={
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False),
        "username": serializers.ListField(child=serializers.CharField(), required=False),
        "password": serializers.ListField(child=serializers.CharField(), required=False),
        "otp": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
_DETAIL = inline_serializer(name="TokenLockedOut", fields={"detail": serializers.CharField()})


class ObtainTokenView(APIView):
    # The credentials come in the body: no session (nor its CSRF check) and no token here.
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token",
        summary=gettext_lazy("Sign in: get an API token"),
        description=gettext_lazy(
            "Trades a username and password for the account's token: the same token on every "
            "sign-in. Accounts with a second factor also send the code from their authenticator "
            "app as `otp`. Failed sign-ins are throttled as on the sign-in page: after too many, "
            "the account and the address are locked for a while (429), even for the right "
            "password."
        ),
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                _ERRORS,
                description=gettext_lazy(
                    "Wrong username or password, inactive account, or a second-factor code "
                    "missing or wrong."
                ),
            ),
            429: OpenApiResponse(
                _DETAIL,
                description=gettext_lazy("Too many failed sign-ins: locked for a while."),
            ),
        },
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        username = form.validated_data["username"]
        user, locked_out = authenticate_throttled(
            request, username, form.validated_data["password"]
        )
        if locked_out:
            return _locked_out(request)
        if user is None:  # wrong password, no such user, or inactive
            return _refused(_("Unable to sign in with that username and password."))
        if must_use_second_factor(user) or user_has_device(user):
            if not user_has_device(user):
                return _refused(
                    _(
                        "This account signs in with a second factor, not set up yet: sign in "
                        "to the portal to set it up, then ask for a token again."
                    )
                )
            code = form.validated_data.get("otp", "").strip()
            if not code:
                return _refused(
                    _("This account signs in with a second factor: send its code as “otp”."),
                    "otp",
                )
            if match_token(user, code) is None:
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=request
                )
                if getattr(request, "axes_locked_out", False):
                    return _locked_out(request)
                return _refused(_("Wrong or expired code."), "otp")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
