"""Sign-in, two-step verification and user management (issue 3). Who may do what: corett.access."""

import logging
import re
import smtplib
from base64 import b32encode
from math import ceil

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_encode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
    UserFilter,
    UserForm,
    send_password_reset_links,
)
from .api_tokens import SHOWN_CHARACTERS, api_tokens_of, revoke_all_api_tokens, revoke_api_token
from .models import User
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


def _tokens_revoked(request, count):
    if count:
        messages.info(
            request,
            ngettext(
                "%(count)d API token of the account was revoked: sign in to the API again.",
                "%(count)d API tokens of the account were revoked: sign in to the API again.",
                count,
            )
            % {"count": count},
        )


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


# User management ----------------------------------------------------------------------------------


def send_invitation(request, user) -> bool:
    """E-mail the person a link to set their own password (Django's password-reset token, valid
    for settings.PASSWORD_RESET_TIMEOUT), in Spanish then English. False if it could not be sent."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    subjects, bodies = [], []
    for code in ("es", "en"):
        with translation.override(code):
            path = reverse("accounts:password_reset_confirm", args=[uid, token])
            context = {"user": user, "link": request.build_absolute_uri(path), "days": days}
            subjects.append(_("Your account on the CORETT portal"))
            bodies.append(render_to_string("accounts/invitation_email.txt", context).strip())
    subject = " / ".join(dict.fromkeys(subjects))  # once, while a translation is missing
    try:
        send_mail(subject, "\n\n---\n\n".join(bodies) + "\n", None, [user.email])
    except (smtplib.SMTPException, OSError):
        return False
    return True


def _invitation_outcome(request, user, sent):
    if sent:
        messages.success(
            request,
            _("An invitation to set a password was sent to %(email)s.") % {"email": user.email},
        )
    else:
        messages.error(
            request,
            _("The invitation could not be sent to %(email)s. Try again later.")
            % {"email": user.email},
        )


@access.user_manager_required
def user_list(request):
    two_factor = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    accounts = (
        User.objects.select_related("country")
        .annotate(two_factor=Exists(two_factor))
        .order_by("username")
    )
    filters = UserFilter(request.GET, queryset=accounts)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filter": filters, "page": page})


@access.user_manager_required
def user_create(request):
    form = UserForm(request.POST or None, editor=request.user)
    if form.is_valid():
        user = form.save(commit=False)
        user.set_unusable_password()
        user.save()
        messages.success(request, _("Account %(username)s created.") % {"username": user.username})
        _invitation_outcome(request, user, send_invitation(request, user))
        return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@access.user_manager_required
def user_edit(request, pk):
    account = access.get_account_for_management(request.user, pk)
    was_active = account.is_active  # the form's validation sets the new value on the instance
    form = UserForm(request.POST or None, instance=account, editor=request.user)
    if form.is_valid():
        form.save()
        messages.success(
            request, _("Changes to %(username)s saved.") % {"username": account.username}
        )
        if was_active and not account.is_active:
            _tokens_revoked(request, revoke_all_api_tokens(account))
        return redirect("accounts:users")
    two_factor = TOTPDevice.objects.filter(user=account, confirmed=True).exists()
    context = {"form": form, "account": account, "two_factor": two_factor}
    return render(request, "accounts/user_form.html", context)


@require_POST
@access.user_manager_required
def user_invite(request, pk):
    """Send the invitation again (it expired, or was lost)."""
    account = access.get_account_for_management(request.user, pk)
    if account.is_active:
        _invitation_outcome(request, account, send_invitation(request, account))
    else:
        messages.error(request, _("An inactive account cannot be invited."))
    return redirect("accounts:user_edit", pk=account.pk)


@require_POST
@access.user_manager_required
def user_two_factor_reset(request, pk):
    """For someone who lost their phone: they sign in with the password alone, then (if their role
    requires it) set two-step verification up again. Not for oneself: that takes a current code."""
    account = access.get_account_for_management(request.user, pk)
    if account == request.user:
        messages.error(request, _("Turn off your own two-step verification on your Security page."))
    else:
        TOTPDevice.objects.filter(user=account).delete()
        messages.success(
            request,
            _("Two-step verification of %(username)s is off.") % {"username": account.username},
        )
        _tokens_revoked(request, revoke_all_api_tokens(account))
    return redirect("accounts:user_edit", pk=account.pk)


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
        _tokens_revoked(self.request, revoke_all_api_tokens(form.user))
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
        _tokens_revoked(self.request, revoke_all_api_tokens(form.user))
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
