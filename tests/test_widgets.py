"""The portal's widgets write the markup Django's templates write."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from corett.widgets import LongSelect

CHOICES = [
    ("", gettext_lazy("All periods")),
    ("2026-Q4", "2026-Q4 · <open> & “late”"),
    (7, 7),
    (1500, 1500),
    ("Group <b>", [("a", "A"), ("b", mark_safe("<i>B</i>"))]),
]


@pytest.mark.parametrize("value", [None, "", "2026-Q4", 7, "b", "missing"])
@pytest.mark.parametrize(
    "attrs",
    [
        {},
        {"id": "id_period", "required": True, "disabled": False, "aria-describedby": 'x"<y'},
        {"id": 3, "data-safe": mark_safe("<ok>")},
    ],
)
def test_long_select_writes_what_django_select_writes(value, attrs):
    django_select = forms.Select(choices=CHOICES)
    long_select = LongSelect(choices=CHOICES)
    expected = django_select.render("period<", value, attrs=dict(attrs))
    assert long_select.render("period<", value, attrs=dict(attrs)) == expected


def test_a_bound_field_with_an_error_is_written_the_same():
    class Form(forms.Form):
        old = forms.ChoiceField(choices=CHOICES)
        new = forms.ChoiceField(choices=CHOICES, widget=LongSelect)

    form = Form({"old": "nope", "new": "nope"})
    assert not form.is_valid()
    assert str(form["new"]).replace("new", "old") == str(form["old"])
