import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

from . import access

SIGNED_IN_AT_SESSION_KEY = "corett_signed_in_at"
RENEWED_AT_SESSION_KEY = "corett_renewed_at"


class NulRefusedMiddleware:
    """A NUL character in the path is a 404, like any other address no page has: otherwise it
    reaches the lookups of the path's parameters, which PostgreSQL fails with an error (a 500).
    (Query strings are read by forms and filters, which say what is wrong beside the field.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        return self.get_response(request)


class QueryLanguageMiddleware:
    """Lets an API client pick the answer's language with ?lang=es|en."""

    supported = {code for code, _name in settings.LANGUAGES}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        lang = request.GET.get("lang")
        if lang in self.supported:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="corett_session_signed_in_at")
def _note_sign_in(sender, request, user, **kwargs):
    """A sign-in starts the session's absolute lifetime (and saves it: a renewal), and always asks
    for a fresh second factor (Django keeps the session's data when the same user signs in again).
    """
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT_SESSION_KEY] = request.session[RENEWED_AT_SESSION_KEY] = now
    if getattr(user, "otp_device", None) is None:
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


class SessionLifetimeMiddleware:
    """Ends a session settings.SESSION_ABSOLUTE_AGE seconds after sign-in, however active it was,
    and keeps an active one open: idle sessions end SESSION_COOKIE_AGE after their last save, and
    a request renews it when the last renewal is more than SESSION_RENEWAL_INTERVAL old (saving on
    every request would write the session on every page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            self._keep_open(request.session, now)
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            if signed_in_at is None:  # signed in before this rule, or past the signal: from now
                request.session[SIGNED_IN_AT_SESSION_KEY] = now
            elif now - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                hours = settings.SESSION_ABSOLUTE_AGE // 3600
                messages.info(
                    request,
                    _("Your session ended after %(hours)s hours. Please sign in again.")
                    % {"hours": hours},
                )
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _keep_open(session, now: int) -> None:
        """A changed session is saved, and saving pushes its end SESSION_COOKIE_AGE on."""
        if now - session.get(RENEWED_AT_SESSION_KEY, 0) > settings.SESSION_RENEWAL_INTERVAL:
            session[RENEWED_AT_SESSION_KEY] = now


class SecondFactorMiddleware:
    """Until a signed-in user who owes a second factor (corett.access.needs_second_factor) has
    given it, every page but these sends them to enter a code, or to set up two-step verification.
    """

    open_paths = ("/healthz", "/i18n/", settings.STATIC_URL)
    open_views = {
        "accounts:login",
        "accounts:logout",
        "accounts:verify",
        "accounts:security",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if access.needs_second_factor(request.user) and not self._is_open(request.path_info):
            step = "accounts:verify" if user_has_device(request.user) else "accounts:security"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_open(self, path):
        if path.startswith(self.open_paths):
            return True
        try:
            return resolve(path).view_name in self.open_views
        except Resolver404:
            return False
