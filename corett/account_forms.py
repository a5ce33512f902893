"""Forms for sign-in, two-factor and user management (issue 3)."""

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import verify_token

from strategy.models import Country

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
