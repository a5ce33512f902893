"""What a browser would post: the fields of a page's form, as shown, read from its HTML.

A valid post for a form with many fields (the directory's entries, their contact persons) is the
page's own form sent back unchanged; the hostile tests then change one field at a time.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.form = {"action": attrs.get("action") or "", "method": method, "fields": []}
            self.forms.append(self.form)
        if self.form is None or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.form["fields"].append((name, attrs.get("value", "")))
        elif tag == "select":
            multiple = "multiple" in attrs
            self.select = {"name": name, "multiple": multiple, "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea":
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.form["fields"] += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            self.form["fields"].append((self.textarea["name"], text.removeprefix("\n")))
            self.textarea = None


def form_data(html: str, url: str) -> dict:
    """The fields of the page's post form that posts to `url` (its own address when the form
    has no action), the biggest if several do: {name: value, or a list for repeated names}."""
    parser = _Forms()
    parser.feed(html)
    path = urlsplit(url).path
    mine = [
        f
        for f in parser.forms
        if f["method"] == "post" and urlsplit(f["action"]).path in ("", path)
    ]
    assert mine, f"no form posts to {url}"
    fields = max(mine, key=lambda f: len(f["fields"]))["fields"]
    data = {}
    for name, value in fields:
        if name == "csrfmiddlewaretoken":
            continue
        if name in data:
            data[name] = [*([data[name]] if isinstance(data[name], str) else data[name]), value]
        else:
            data[name] = value
    return data


def query_fields(html: str) -> set[str]:
    """The names of the fields of the page's GET forms (filters, searches): its query
    parameters."""
    parser = _Forms()
    parser.feed(html)
    return {
        name
        for form in parser.forms
        if form["method"] == "get"
        for name, _value in form["fields"]
        if name
    }
