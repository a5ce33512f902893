import simple_history
from modeltranslation.translator import register

from corett.translation_options import fields

from . import models

register(models.Actor)(fields("name", "acronym", "services", "languages", "hours", "source"))
register(models.ContactPerson)(
    fields(
        "position",
    )
)
register(models.Hotline)(fields("operator", "hours", "cost", "notes", "source"))
register(models.Route)(fields("title", "description", "source"))
register(models.RouteStep)(fields("title", "action", "actor_types"))
register(models.DetectionIndicator)(fields("text", "source_reference"))

# History is registered after translation, so that the historical models copy the per-language
# columns (name_es, name_en…). The search column is derived: it stays out of the history.
simple_history.register(models.Actor, excluded_fields=["search_text"])
simple_history.register(models.ContactPerson)
simple_history.register(models.Hotline)
simple_history.register(models.Route)
simple_history.register(models.RouteStep)
