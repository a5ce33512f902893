"""An entry's history as people read it: who changed what, when (simple-history records)."""

from django.utils.translation import gettext as _

from .models import Population, Role

HISTORY_SHOWN = 20
SKIPPED = {"id", "version", "search_text", "verified_by", "updated_at"}
LIST_LABELS = {"roles": Role, "populations": Population}


def _display(name: str, value, related=None) -> str:
    if related is not None and value is not None:
        return related.get(value, str(value))
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        choices = LIST_LABELS.get(name)
        labels = [
            str(choices(v).label) if choices and v in choices.values else str(v) for v in value
        ]
        return ", ".join(labels) or "—"
    return str(value)


def history_entries(instance) -> list[dict]:
    """The last changes, newest first: each with its user, date, reason and changed fields."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    fields = [
        f
        for f in instance._meta.concrete_fields
        if f.name not in SKIPPED and f.editable or f.name == "verified_at"
    ]
    related = _related_names(fields, records)
    entries = []
    for index, record in enumerate(records[:HISTORY_SHOWN]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        for f in fields:
            attname = f.attname
            after = getattr(record, attname, None)
            before = getattr(older, attname, None) if older else None
            if older is None or after != before:
                if older is None and after in (None, "", []):
                    continue
                changes.append(
                    {
                        "label": str(f.verbose_name),
                        "before": _display(f.name, before, related.get(f.name)) if older else "",
                        "after": _display(f.name, after, related.get(f.name)),
                    }
                )
        entries.append(
            {
                "record": record,
                "first": older is None,
                # Reasons are stored untranslated (see services._stamp): translated here.
                "reason": _(record.history_change_reason)
                if record.history_change_reason
                else {"+": _("created"), "~": _("changed"), "-": _("deleted")}[record.history_type],
                "changes": changes,
            }
        )
    return entries


def _related_names(fields, records) -> dict:
    """For each foreign key among `fields`, {id: name} of the rows the records point to: one
    query per foreign key, whatever the number of records."""
    names = {}
    for f in fields:
        if not f.is_relation:
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        model = f.related_model
        names[f.name] = (
            {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)} if ids else {}
        )
    return names
