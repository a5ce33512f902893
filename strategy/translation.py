import simple_history
from modeltranslation.translator import register

from corett.translation_options import fields

from . import models

register(models.Country)(fields("name", "source_gaps"))
register(models.GoverningBody)(fields("name", "acronym"))
register(models.Passage)(fields("title", "body"))
register(models.Axis)(fields("name", "specific_objective", "description"))
register(models.OperationalObjective)(fields("text"))
register(models.Activity)(fields("text", "responsible", "timeframe"))
register(models.Goal)(fields("text"))
register(models.Indicator)(fields("name", "unit"))
register(models.Approach)(fields("name"))
register(models.AudienceSector)(fields("name"))
register(models.Definition)(fields("term", "text"))
register(models.Difference)(fields("aspect", "trafficking", "smuggling"))
register(models.Instrument)(fields("short_name", "name"))
register(models.Ratification)(fields("note"))
register(models.RegionalInstrument)(fields("name", "description", "adopted"))
register(models.NationalInstrument)(fields("text"))
register(models.GlossaryTerm)(fields("term", "definition"))

# History is registered here, after translation, so that the historical models copy the
# per-language columns (name_es, name_en…) that modeltranslation has just added.
for plan_model in (
    models.Axis,
    models.OperationalObjective,
    models.Activity,
    models.Goal,
    models.Indicator,
):
    simple_history.register(plan_model)
