"""The directory's columns as a django-import-export resource: one row per actor, one column per
field, lists as comma-separated values; what the importer may write is checked row by row."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export import fields, resources, widgets

from corett import access
from corett.spreadsheets import blank_cell
from strategy.models import Country

from ..models import Actor, Population, Role, Sector

LIST_SEPARATOR = ","


def same(before, after) -> bool:
    return (before if before is not None else "") == (after if after is not None else "")


class ChoiceListWidget(widgets.Widget):
    """A JSON list of choice values as "a, b"; unknown values are a row error that names them."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        items = [item.strip() for item in str(value or "").split(LIST_SEPARATOR) if item.strip()]
        unknown = [item for item in items if item not in self.choices.values]
        if unknown:
            raise ValueError(
                _("Unknown values %(unknown)s; use %(values)s.")
                % {"unknown": ", ".join(unknown), "values": ", ".join(self.choices.values)}
            )
        return list(dict.fromkeys(items))

    def render(self, value, obj=None, **kwargs):
        return f"{LIST_SEPARATOR} ".join(value or [])


class StrictBooleanWidget(widgets.Widget):
    """TRUE/FALSE (and 1/0, yes/no, sí/no); anything else is a row error, never a silent no."""

    TRUE = {"true", "1", "yes", "sí", "si", "verdadero"}
    FALSE = {"false", "0", "no", "falso", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = str(value if value is not None else "").strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Write TRUE or FALSE."))

    def render(self, value, obj=None, **kwargs):
        return bool(value)


class CountryWidget(widgets.ForeignKeyWidget):
    """A member country by its ISO code, any case; empty for regional entries."""

    def __init__(self, **kwargs):
        super().__init__(Country, field="code", **kwargs)
        self._by_code = None

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if not code:
            return None
        if self._by_code is None:  # one query for the whole file
            self._by_code = {country.code: country for country in Country.objects.all()}
        if code not in self._by_code:
            raise ValueError(
                _("Unknown country code “%(code)s”; use a two-letter ISO code such as HN.")
                % {"code": code}
            )
        return self._by_code[code]


class SectorWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text not in Sector.values:
            raise ValueError(_("Use one of %(values)s.") % {"values": ", ".join(Sector.values)})
        return text


class NativeWidget(widgets.Widget):
    """Text cells as they are (already unescaped and trimmed); numbers and dates stay native on
    export, so that the spreadsheet's own types survive."""

    def clean(self, value, row=None, **kwargs):
        return "" if value is None else value

    def render(self, value, obj=None, **kwargs):
        return value


TEXT_FIELDS = [
    "name_es",
    "name_en",
    "acronym_es",
    "acronym_en",
    "services_es",
    "services_en",
    "languages_es",
    "languages_en",
    "hours_es",
    "hours_en",
    "address",
    "phone",
    "email",
    "website",
    "source_es",
    "source_en",
    "source_url",
]
COLUMNS = [
    "id",
    "version",
    "country",
    "is_governing_body",
    "sector",
    "roles",
    "populations",
    *TEXT_FIELDS,
    "source_date",
    "to_be_verified",
    "verified_at",
    "verified_by",
]
READ_ONLY = {"verified_at", "verified_by"}


class ActorResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="id", widget=widgets.IntegerWidget())
    version = fields.Field(
        attribute="version", column_name="version", widget=widgets.IntegerWidget()
    )
    country = fields.Field(attribute="country", column_name="country", widget=CountryWidget())
    is_governing_body = fields.Field(
        attribute="is_governing_body", column_name="is_governing_body", widget=StrictBooleanWidget()
    )
    sector = fields.Field(attribute="sector", column_name="sector", widget=SectorWidget())
    roles = fields.Field(attribute="roles", column_name="roles", widget=ChoiceListWidget(Role))
    populations = fields.Field(
        attribute="populations", column_name="populations", widget=ChoiceListWidget(Population)
    )
    source_date = fields.Field(
        attribute="source_date", column_name="source_date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    to_be_verified = fields.Field(
        attribute="to_be_verified", column_name="to_be_verified", widget=StrictBooleanWidget()
    )
    verified_at = fields.Field(
        attribute="verified_at", column_name="verified_at", readonly=True, widget=NativeWidget()
    )
    # Who verified it, as the exporting user may see it named (corett.access.person_shown_to).
    verified_by = fields.Field(column_name="verified_by", readonly=True)

    class Meta:
        model = Actor
        fields = COLUMNS
        export_order = COLUMNS
        import_id_fields = ["id"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True

    def __init__(self, user=None):
        super().__init__()
        self.user = user
        for name in TEXT_FIELDS:
            self.fields[name] = fields.Field(
                attribute=name, column_name=name, widget=NativeWidget()
            )

    def dehydrate_verified_by(self, actor) -> str:
        return access.person_shown_to(self.user or AnonymousUser(), actor.verified_by)

    def get_export_headers(self, selected_fields=None):
        return COLUMNS

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if field.column_name == "verified_at" and value is not None:
            return value.replace(tzinfo=None)  # spreadsheets hold no time zone
        return value

    # --- Import: the row's rights and version, before anything is saved ----------------------

    def after_init_instance(self, instance, new, row, **kwargs):
        if new and not blank_cell(row.get("id")):
            raise ValidationError(
                {"id": _("No entry has this id; leave the id empty to add a new entry.")}
            )
        if not new:
            if not access.can_edit_directory_entry(self.user, instance.country):
                raise ValidationError(
                    {"id": _("You may not change this entry: it belongs to another country.")}
                )
            if str(row.get("version", "")).strip() != str(instance.version):
                raise ValidationError(
                    {
                        "version": _(
                            "This entry changed after your export (it is now at version "
                            "%(version)s): export it again and redo your change."
                        )
                        % {"version": instance.version}
                    }
                )

    def before_save_instance(self, instance, row, **kwargs):
        if not access.can_edit_directory_entry(self.user, instance.country):
            raise ValidationError(
                {"country": _("You may only import entries of your own country.")}
            )
        if instance.pk:
            instance.version += 1  # after_init_instance checked the row's version is current
        instance._history_user = self.user
        instance._change_reason = gettext_noop("imported")  # translated when shown

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is skipped; an empty cell equals an empty field, whether the
        field holds "" or NULL (modeltranslation leaves untranslated texts NULL)."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        return all(
            same(field.get_value(instance), field.get_value(original))
            for field in self.get_import_fields()
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in ("id", "version") or field.column_name in READ_ONLY:
            return  # never written from the file
        if field.column_name == "is_governing_body" and not access.can_set_governing_body(
            self.user
        ):
            return  # the cell is ignored, as the form leaves the field out
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
