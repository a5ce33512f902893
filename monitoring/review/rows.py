"""The review queue's table rows as HTML, written directly: at the deadline's shape the queue
shows a hundred rows, and the template spent most of the page's time on their dozen variables
and filters each (issue 13). The markup is what templates/monitoring/review/queue.html wrote for
a row (tests/test_review.py compares them): a checkbox to tick it for validation, the indicator
linking to the value's page, the figure, when it was submitted (and whether late), its checks.
"""

import unicodedata

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

_PK_MARK = 987654321


class Labels:
    """The row's fixed words and the value pages' address, once per page."""

    def __init__(self):
        self.late = escape(_("late"))
        self.follow_up = escape(_("to follow up"))
        self.value_url = reverse("monitoring:value", args=[_PK_MARK]).replace(str(_PK_MARK), "{}")

    @staticmethod
    def select(code: str) -> str:
        return escape(_("Select %(code)s") % {"code": code})


def _short(text, length: int) -> str:
    """truncatechars: most texts are shorter than the limit, and only normalized (NFC)."""
    text = str(text)
    if len(text) <= length:
        return escape(unicodedata.normalize("NFC", text))
    return escape(Truncator(text).chars(length))


def queue_row(value, labels: Labels, ticked) -> SafeString:
    """One submitted value's row; `value.figure` and `value.flag` set by the view."""
    pk, code = value.pk, value.indicator.code
    submitted = value.submitted_at
    when = ""
    if submitted is not None:
        local = timezone.localtime(submitted) if timezone.is_aware(submitted) else submitted
        iso = escape(local.isoformat())  # the date filter's "c"
        title = escape(formats.date_format(local, "DATETIME_FORMAT"))
        when = f'<time datetime="{iso}" title="{title}">{escape(naturaltime(submitted))}</time>'
    else:
        when = '<time datetime="" title=""></time>'
    if value.late:
        when += f' <span class="review-status status-late">{labels.late}</span>'
    checks = ""
    if value.flag:
        checks = f'<span class="review-status status-late">{escape(value.flag)}</span>'
        if value.comment:
            checks += f' <span class="meta">{_short(value.comment, 160)}</span>'
    if value.follow_up:
        checks += f' <span class="tag">{labels.follow_up}</span>'
    row = '<tr class="is-late">' if value.late else "<tr>"
    checked = " checked" if pk in ticked else ""
    return mark_safe(  # every value above went through escape()
        f'{row}<td><input type="checkbox" name="value" value="{pk}:{value.version}" '
        f'id="pick-{pk}"{checked}> <label for="pick-{pk}" class="visually-hidden">'
        f"{labels.select(code)}</label></td>"
        f'<th scope="row"><a href="{labels.value_url.format(pk)}"><span class="code">'
        f"{escape(code)}</span> {_short(value.indicator.name, 90)}</a></th>"
        f'<td class="num">{_short(value.figure, 40)}</td><td>{when}</td><td>{checks}</td></tr>\n'
    )
