"""API sign-in and sign-out: POST /api/v1/auth/token/ trades a username and password for a new
token (django-rest-knox, through corett.api_tokens), with its expiry; /auth/logout/ ends the token
used, /auth/logoutall/ every token of the account.

Tokens are sent as `Authorization: Token <token>`. The sign-in is throttled exactly as the sign-in
page is (corett/signin_throttle.py, through corett.access.authenticate_throttled): refused by the
throttle, the answer is 429 with a JSON message and Retry-After, whatever the password. Inactive
users are refused like a wrong password. Accounts that sign in to the portal with a second factor
(the secretariat outside demo mode, and anyone who has set one up) must send its code as `otp`
too: otherwise a password alone would give the API the rights the second factor guards on the
portal. A wrong code counts as a failed sign-in for the throttling.
"""

from math import ceil

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import match_token, user_has_device
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from . import signin_throttle
from .access import authenticate_throttled, must_use_second_factor
from .api_authentication import TokenAuthentication
from .api_tokens import issue_api_token, revoke_all_api_tokens, revoke_api_token


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
    expiry = serializers.DateTimeField(
        read_only=True,
        help_text=gettext_lazy("When the token stops working: sign in again for a new one."),
    )


class NoBodySerializer(serializers.Serializer):
    """Sign-out takes no fields: a body, if sent, must be an empty JSON object."""

    def validate(self, attrs):
        if self.initial_data:
            raise serializers.ValidationError(_("This takes no fields: send {} or nothing."))
        return attrs


def _refused(message, field=api_settings.NON_FIELD_ERRORS_KEY):
    return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)


def _locked_out(seconds: int):
    """429, in JSON and the request's language, for a sign-in refused by the throttle."""
    minutes = ceil(seconds / 60)
    message = ngettext(
        "Too many failed sign-in attempts: signing in is paused for up to %(minutes)d minute.",
        "Too many failed sign-in attempts: signing in is paused for up to %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return Response(
        {"detail": message},
        status=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(seconds)},
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
_BODY_ERRORS = inline_serializer(
    name="NoBodyError",
    fields={
        "non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)
    },
)


class ObtainTokenView(APIView):
    # The credentials come in the body: no session (nor its CSRF check) and no token here.
    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        operation_id="auth_token",
        summary=gettext_lazy("Sign in: get an API token"),
        description=gettext_lazy(
            "Trades a username and password for a new token, which works until its expiry or "
            "until it is revoked (logout, logout from everywhere, the security page, a change of "
            "password). Accounts with a second factor also send the code from their "
            "authenticator app as `otp`. Failed sign-ins are throttled as on the sign-in page: "
            "after too many, signing in with that username from that address is paused for a "
            "while (429, with Retry-After), even with the right password."
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
                description=gettext_lazy("Too many failed sign-ins: paused for a while."),
            ),
        },
    )
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        username = form.validated_data["username"]
        user, _locked = authenticate_throttled(request, username, form.validated_data["password"])
        if (seconds := signin_throttle.take_lockout(request)) is not None:
            return _locked_out(seconds)
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
                signin_throttle.count_failure(request, username)
                if (seconds := signin_throttle.take_lockout(request)) is not None:
                    return _locked_out(seconds)
                return _refused(_("Wrong or expired code."), "otp")
        signin_throttle.note_success(request, username)
        instance, token = issue_api_token(user=user)
        return Response(TokenSerializer({"token": token, "expiry": instance.expiry}).data)


_SIGN_OUT_RESPONSES = {
    204: OpenApiResponse(description=gettext_lazy("Done: nothing to answer.")),
    400: OpenApiResponse(_BODY_ERRORS, description=gettext_lazy("The body is not a JSON object.")),
}


class _SignOut(APIView):
    # Only a token can be signed out of: the browsable API's session signs out on the portal.
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = NoBodySerializer

    def post(self, request):
        NoBodySerializer(data=request.data).is_valid(raise_exception=True)
        self.revoke(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutView(_SignOut):
    @extend_schema(
        operation_id="auth_logout",
        summary=gettext_lazy("Sign out: revoke the token used"),
        description=gettext_lazy("The token sent with this request stops working at once."),
        tags=["auth"],
        request=NoBodySerializer,
        responses=_SIGN_OUT_RESPONSES,
    )
    def post(self, request):
        return super().post(request)

    def revoke(self, request):
        revoke_api_token(user=request.user, digest=request.auth.digest)


class LogoutAllView(_SignOut):
    @extend_schema(
        operation_id="auth_logoutall",
        summary=gettext_lazy("Sign out everywhere: revoke every token of the account"),
        description=gettext_lazy(
            "Every token of the account stops working at once, this one included: for a lost or "
            "leaked token."
        ),
        tags=["auth"],
        request=NoBodySerializer,
        responses=_SIGN_OUT_RESPONSES,
    )
    def post(self, request):
        return super().post(request)

    def revoke(self, request):
        revoke_all_api_tokens(request.user)
