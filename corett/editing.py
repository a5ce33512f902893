"""What every editing page does alike: put a service's errors beside the form's fields, read the
version a form or button was shown for, and say that someone else saved first."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class VersionForm(forms.Form):
    """The version a form, or a retire, verify or delete button, was shown for."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def posted_version(request) -> int | None:
    """The posted version, or None when it is missing or not a version."""
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def add_errors(form, error: ValidationError) -> None:
    """A service's validation errors beside the form's fields, or above the form for the fields
    (or the rules) the form has not."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def stale_message(what: str, version: int) -> str:
    """Someone saved `what` ("this entry", "Activity 1.1") between opening and saving: nothing
    was done, and the page now shows it as it is."""
    return _(
        "Someone saved %(what)s after you opened it (it is now at version %(version)s), so "
        "nothing was done. The page shows the latest: check it and make your change again."
    ) % {"what": what, "version": version}
