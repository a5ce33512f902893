"""Form widgets of the portal's own."""

from django import forms
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .html import attributes


class LongSelect(forms.Select):
    """Django's select with its options written directly, not through a template each: the
    filters offer up to a hundred periods, and their template took a third of the tracking
    table's time (issue 13). The markup is Django's own (tests/test_widgets.py compares them)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            out.extend(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{attributes(option['attrs'])}>{conditional_escape(localize(option['label']))}</option>\n"
                for option in options
            )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value above went through conditional_escape()
