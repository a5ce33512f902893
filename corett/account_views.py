"""Sign-in, sign-in throttling, two-step verification and passwords (issue 3); user management is
in user_views.py. Who may do what: corett.access."""

import logging
import re
from base64 import b32encode
from math import ceil

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import access, signin_throttle, tasks
from .account_forms import (
    AccountPasswordResetForm,
    CodeForm,
    LoginForm,
    ThrottledPasswordChangeForm,
    send_password_reset_links,
)
from .account_notices import tokens_revoked
from .api_tokens import SHOWN_CHARACTERS, api_tokens_of, revoke_all_api_tokens, revoke_api_token
from .rate_limits import password_reset_allowed

logger = logging.getLogger(__name__)

# Sign-in throttling (django-axes) ---------------------------------------------------------------


def client_ip(request) -> str | None:
    """The visitor's address for sign-in throttling: REMOTE_ADDR, or, behind
    settings.AXES_IPWARE_PROXY_COUNT trusted proxies, the address the outermost of them saw."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def throttled_username(request, credentials=None) -> str | None:
    """The username that sign-in throttling counts failures for, as typed, cut to the 255
    characters django-axes keeps (it does not cut it itself: a longer one, typed or posted to the
    API, made the sign-in fail with a database error on PostgreSQL)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:255] if isinstance(username, str) else username


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a sign-in refused by the throttle (corett/signin_throttle.py): a
    page, in the visitor's language, saying how long to wait. A view that already answered 429
    itself keeps its answer."""
    if response is not None and response.status_code == 429:
        return response
    seconds = signin_throttle.retry_after(request) or settings.AXES_COOLOFF_TIME.total_seconds()
    context = {"minutes": ceil(seconds / 60)}
    response = render(request, "accounts/locked_out.html", context, status=429)
    response["Retry-After"] = str(ceil(seconds))
    return response


# Where to go next ---------------------------------------------------------------------------------


def _next_param(request) -> str:
    """The ?next= address of this request, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _welcome(request, user):
    name = user.get_short_name() or user.get_username()
    messages.success(request, _("Welcome, %(name)s.") % {"name": name})


# Sign-in and sign-out -----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Password first (Django signs the user in and gives the session a new key), then, for those
    who owe one, the second factor: the code, or setting up two-step verification."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_success_url(self):
        # A focal point signing in from the home page (or from nowhere in particular) lands on
        # what is due for their country.
        url = super().get_success_url()
        user = self.request.user
        if access.has_inbox(user) and not access.is_secretariat(user) and url in self._homes():
            return reverse("monitoring:inbox")
        return url

    @staticmethod
    def _homes() -> set[str]:
        homes = {resolve_url(settings.LOGIN_REDIRECT_URL)}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                homes.add(reverse(settings.LOGIN_REDIRECT_URL))
        return homes

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if access.needs_second_factor(user):
            step = "accounts:verify" if any(devices_for_user(user)) else "accounts:security"
            return redirect(_with_next(reverse(step), self.get_redirect_url()))
        _welcome(self.request, user)
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


# Two-step verification ----------------------------------------------------------------------------


def _mark_verified(request, device):
    otp_login(request, device)
    request.session.cycle_key()  # more rights, new session key


@never_cache
@login_required
def verify(request):
    """The second sign-in step: a code from the user's authenticator app."""
    next_url = _next_param(request)
    if not access.needs_second_factor(request.user):
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    devices = list(devices_for_user(request.user))
    if not devices:
        return redirect(_with_next(reverse("accounts:security"), next_url))
    username = request.user.get_username()
    if request.method == "POST" and not signin_throttle.attempt_allowed(request, username):
        return locked_out(request)
    form = CodeForm(request.POST if request.method == "POST" else None, devices=devices)
    if form.is_valid():
        _mark_verified(request, form.device)
        _welcome(request, request.user)
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    if form.has_error("code", "invalid") and signin_throttle.count_failure(request, username):
        return locked_out(request)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _pending_device(user) -> TOTPDevice:
    """The device being set up: kept until confirmed, so a reloaded page shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _qr_svg(device) -> str:
    """The device's otpauth:// address as an inline SVG QR code, drawn here: no outside request."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    # Safe to mark so: qrcode writes only its own elements; the key and username are in the squares.
    return mark_safe(svg.replace("<svg ", '<svg class="qr" aria-hidden="true" ', 1))


def _secret_text(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
def security(request):
    """Two-step verification: set it up (scan, then confirm with a code), or see that it is on."""
    user, next_url = request.user, _next_param(request)
    devices = list(devices_for_user(user))
    if devices and user.otp_device is None:
        return redirect(_with_next(reverse("accounts:verify"), next_url))
    if devices:
        return render(request, "accounts/security.html", _security_context(request, devices))
    device = _pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None, devices=[device])
    if form.is_valid():
        form.device.confirmed = True
        form.device.save(update_fields=["confirmed"])
        _mark_verified(request, form.device)
        messages.success(request, _("Two-step verification is on: signing in will ask for a code."))
        return redirect(next_url or "accounts:security")
    context = {
        "form": form,
        "qr": _qr_svg(device),
        "secret": _secret_text(device),
        "required": access.must_use_second_factor(user),
        "next": next_url,
    }
    if not access.needs_second_factor(user):
        context |= {"api_tokens": api_tokens_of(user), "shown_characters": SHOWN_CHARACTERS}
    return render(request, "accounts/security.html", context)


DIGEST = re.compile(r"[0-9a-f]{128}")


@require_POST
@login_required
def api_token_revoke(request):
    """Revoke one of one's own API tokens, named by its digest (never the token itself)."""
    digest = request.POST.get("token", "")
    if DIGEST.fullmatch(digest) and revoke_api_token(user=request.user, digest=digest):
        messages.success(request, _("The API token was revoked: it no longer works."))
    else:
        messages.error(request, _("No such API token of yours: it may have expired already."))
    return redirect("accounts:security")


def _security_context(request, devices, remove_form=None):
    return {
        "device": devices[0],
        "remove_form": remove_form or CodeForm(devices=devices),
        "required": access.must_use_second_factor(request.user),
        "api_tokens": api_tokens_of(request.user),
        "shown_characters": SHOWN_CHARACTERS,
    }


@require_POST
@login_required
def two_factor_remove(request):
    """Turn two-step verification off, proving with a current code that the phone is at hand."""
    devices = list(devices_for_user(request.user))
    if not devices or request.user.otp_device is None:
        return redirect("accounts:security")
    form = CodeForm(request.POST, devices=devices)
    if not form.is_valid():
        context = _security_context(request, devices, remove_form=form)
        return render(request, "accounts/security.html", context)
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, _("Two-step verification is off."))
    if access.must_use_second_factor(request.user):
        messages.warning(request, _("Your account requires it: set it up again to go on."))
    return redirect("accounts:security")


# Django's own views, with our templates and namespaced addresses; a new password (changed, or
# set from a reset link) revokes every API token of the account.


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoked(self.request, revoke_all_api_tokens(form.user))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer, after the same work, whether or not an account has the address: the
    e-mail goes out from a task after the answer. Limited per address and per e-mail address."""

    form_class = AccountPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not password_reset_allowed(client_ip(self.request), email):
            form.add_error(
                None,
                _(
                    "Too many requests for a new password, from here or for this address. "
                    "Try again in an hour."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        language = translation.get_language()
        transaction.on_commit(lambda: _queue_password_reset(email, language))
        return redirect(self.get_success_url())


def _queue_password_reset(email: str, language: str) -> None:
    """Queue the e-mail with the links. One that cannot be queued (broker down) is sent right
    away; one that cannot be sent either is logged, never turned into an error: the answer is the
    same as for an address no account has."""
    try:
        tasks.send_password_reset.apply_async(
            (email, language), retry=True, retry_policy=tasks.PUBLISH_RETRY
        )
    except Exception:  # noqa: BLE001 — see the docstring
        logger.warning("could not queue a password-reset e-mail; sending it now")
        try:
            send_password_reset_links(email=email, language=language)
        except Exception:  # noqa: BLE001
            logger.exception("could not send a password-reset e-mail")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        tokens_revoked(self.request, revoke_all_api_tokens(form.user))
        return response


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
