"""Forms for sign-in, two-factor and user management (issue 3)."""

from math import ceil
from urllib.parse import urlsplit

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import verify_token

from strategy.models import Country

from . import access, signin_throttle
from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


def paused_message(seconds: int) -> str:
    minutes = ceil(seconds / 60)
    return ngettext(
        "Too many failed attempts: to protect the account, this is paused for up to "
        "%(minutes)d minute. Try again later.",
        "Too many failed attempts: to protect the account, this is paused for up to "
        "%(minutes)d minutes. Try again later.",
        minutes,
    ) % {"minutes": minutes}


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password checked under the sign-in throttle
    (corett/signin_throttle.py): a session left open is no way around it."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        user, _locked = access.authenticate_throttled(
            self.request, self.user.get_username(), old_password
        )
        if (seconds := signin_throttle.take_lockout(self.request)) is not None:
            raise forms.ValidationError(paused_message(seconds), code="throttled")
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class AccountPasswordResetForm(PasswordResetForm):
    """The e-mail address only: the links are sent by a task after the answer (send_links), so
    that the answer takes the same time and says the same whether an account has the address."""

    def get_users(self, email):
        """Also accounts with no password yet: an invited person who lost the invitation can ask
        for a new link here (Django leaves them out, for accounts that sign in elsewhere)."""
        return User.objects.filter(email__iexact=email, is_active=True)


def send_password_reset_links(*, email: str, language: str) -> None:
    """E-mail a link to set a new password to each active account with this address (none: no
    e-mail), in language, with the portal's public address (settings.PORTAL_URL)."""
    portal = urlsplit(settings.PORTAL_URL)
    form = AccountPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=portal.netloc,
            use_https=portal.scheme == "https",
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        )


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app, checked against the given devices.

    django-otp throttles each device: after a wrong code the next try must wait 1 s, then 2, 4, 8…
    """

    code = forms.CharField(
        label=_("Code"),
        max_length=12,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )

    def __init__(self, *args, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits of the code."), code="format")
        if not any(device.verify_is_allowed()[0] for device in self.devices):
            raise forms.ValidationError(
                _("Too many wrong codes. Wait a minute, then try again."), code="throttled"
            )
        for device in self.devices:
            self.device = verify_token(device.user, device.persistent_id, code)
            if self.device:
                return code
        raise forms.ValidationError(
            _("That code is not right. Check that your device's clock is on time and try again."),
            code="invalid",
        )


class UserForm(forms.ModelForm):
    """A portal account as the secretariat edits it. The password is never set here: the person
    sets it from the invitation e-mail."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "country", "is_active"]

    def __init__(self, *args, editor, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["username"].help_text = _("Up to 150 letters, digits and @ . + - _ characters.")
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation to set a password is sent here.")
        self.fields["is_active"].label = _("Account active")
        self.fields["is_active"].help_text = _(
            "An inactive account cannot sign in; its open sessions end at their next request."
        )

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another account already uses this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        role, country = cleaned.get("role"), cleaned.get("country")
        # The database refuses the same (corett.User's CheckConstraint), which the form would then
        # report as a general error; said here, it stands beside the field, in words.
        if role == User.Role.FOCAL_POINT and not country:
            self.add_error("country", _("A focal point needs the country they work for."))
        elif role and role != User.Role.FOCAL_POINT and country:
            self.add_error("country", _("Only focal points have a country: leave it empty."))
        if self.instance.pk and self.instance.pk == self.editor.pk:
            if role and role != self.instance.role:
                self.add_error("role", _("You cannot change your own role."))
            if cleaned.get("is_active") is False:
                self.add_error("is_active", _("You cannot deactivate your own account."))
        return cleaned


class UserFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), choices=User.Role.choices)
    country = django_filters.ModelChoiceFilter(label=_("Country"), queryset=Country.objects.all())
    is_active = django_filters.BooleanFilter(
        label=_("Status"),
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("Active only")), ("false", _("Inactive only"))]
        ),
    )

    class Meta:
        model = User
        fields = ["role", "country", "is_active"]
