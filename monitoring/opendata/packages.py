"""An indicator's Frictionless Data Package (datapackage.json, profile tabular-data-package): its
data.csv described by a Table Schema (types, units, the lists of countries, dimensions and
categories), the licence (CC-BY-4.0), the sources, a title and description in the request's
language and the date of the last validation. And the catalogue as one zip: each indicator's
data.csv and datapackage.json in a folder of its own, and a datapackage.json at the top that lists
them all (itself a valid package).

The enumerations are taken from the plan and from the data together, so that a dimension the
secretariat has since removed from an indicator still describes the figures given by it."""

import io
import json
import re
import zipfile
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from strategy.dimensions import DIMENSIONS
from strategy.models import Indicator

from ..disclosure import Hidden, label
from ..values.breakdowns import Shown
from ..values.models import Value
from . import tables

Kind = Indicator.Kind

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
MAX_SOURCES = 20  # the values' own sources listed in a package, besides the portal
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def resource_name(indicator: Indicator) -> str:
    """The indicator's code as a Data Package name: lower case, [-a-z0-9._] only."""
    return re.sub(r"[^-a-z0-9._]+", "-", indicator.code.lower()).strip("-.") or f"i{indicator.pk}"


def markers() -> list[str]:
    """How the protected cells read, as tables.rows writes them: "<5", "n.p."."""
    threshold = settings.SMALL_CELL_THRESHOLD
    return [label(Hidden.SMALL, threshold), label(Hidden.SUPPRESSED, threshold)]


def _dimension_label(key: str) -> str:
    return str(DIMENSIONS[key].label) if key in DIMENSIONS else key


def _listed(keys: dict) -> str:
    return "; ".join(f"{key}: {text}" for key, text in keys.items())


def _categories(indicator: Indicator, shown: dict[int, Shown]) -> dict[str, dict[str, str]]:
    """{dimension: {category: label}}: the indicator's dimensions and those the data has."""
    used: dict[str, set] = {}
    for breakdown in shown.values():
        for dimension, counts in breakdown.items():
            used.setdefault(dimension, set()).update(counts)
    keys = [key for key in DIMENSIONS if key in indicator.disaggregations or key in used]
    keys += sorted(set(used) - set(keys))
    result = {}
    for key in keys:
        known = DIMENSIONS.get(key)
        labels = {c: str(text) for c, text in known.categories.items()} if known else {}
        result[key] = labels | {c: c for c in sorted(used.get(key, set()) - set(labels))}
    return result


def _value_field(indicator: Indicator, values: list[Value]) -> dict:
    unit = indicator.unit or _("no unit")
    if indicator.kind == Kind.TEXT:
        return {"type": "string", "description": _("The figure, as text.")}
    if indicator.kind == Kind.YES_NO:
        return {
            "type": "integer",
            "description": _("1 for yes, 0 for no."),
            "constraints": {"enum": [0, 1]},
        }
    if indicator.kind == Kind.PERCENTAGE:
        return {
            "type": "number",
            "description": _("A percentage, 0 to 100 (unit: %(unit)s).") % {"unit": unit},
            "constraints": {"minimum": 0, "maximum": 100},
        }
    whole = all(v.number is None or v.number == v.number.to_integral_value() for v in values)
    small, withheld = markers()
    return {
        "type": "integer" if whole else "number",
        "description": _(
            "A count (unit: %(unit)s): the figure on the row without a dimension, a breakdown "
            "cell on the others. A cell of 1 to %(largest)s is shown as “%(small)s”; a cell "
            "withheld so that none of those can be worked out from the others, as “%(withheld)s” "
            "(not published)."
        )
        % {
            "unit": unit,
            "largest": settings.SMALL_CELL_THRESHOLD - 1,
            "small": small,
            "withheld": withheld,
        },
        "constraints": {"minimum": 0},
    }


def _field(name: str, kind: str, title, description, **constraints) -> dict:
    field = {"name": name, "type": kind, "title": str(title), "description": str(description)}
    constraints = {k: v for k, v in constraints.items() if v not in (None, [], False)}
    return field | ({"constraints": constraints} if constraints else {})


def schema(indicator: Indicator, values: list[Value], shown, countries: list[str]) -> dict:
    """The Table Schema of the indicator's data.csv."""
    categories = _categories(indicator, shown)
    every_category = list(dict.fromkeys(c for cells in categories.values() for c in cells))
    value = {"name": "value", "title": _("Value")} | _value_field(indicator, values)
    fields = [
        _field(
            "indicator",
            "string",
            _("Indicator"),
            _("The indicator's code in the strategy's operative matrix."),
            required=True,
            enum=[indicator.code],
        ),
        _field(
            "country",
            "string",
            _("Country"),
            _("ISO 3166-1 alpha-2 code of the country; empty for a figure of the whole region."),
            enum=countries,
        ),
        _field(
            "period",
            "string",
            _("Reporting period"),
            _("2026 for a year, 2026-S1 for a semester, 2026-Q1 for a quarter."),
            required=True,
        ),
        _field(
            "dimension",
            "string",
            _("Dimension"),
            _("Empty on the row of the figure itself; else the breakdown's dimension: %(list)s.")
            % {"list": _listed({k: _dimension_label(k) for k in categories})}
            if categories
            else _("Always empty: the indicator is not broken down."),
            enum=list(categories),
        ),
        _field(
            "category",
            "string",
            _("Category"),
            _("Empty on the row of the figure itself; else the category, per dimension: %(list)s.")
            % {"list": " | ".join(f"{d}: {_listed(cells)}" for d, cells in categories.items())}
            if categories
            else _("Always empty: the indicator is not broken down."),
            enum=every_category,
        ),
        value,
        _field("unit", "string", _("Unit"), _("The indicator's unit, as the plan states it.")),
        _field(
            "validated_on",
            "date",
            _("Validated on"),
            _(
                "When the secretariat validated the figure; empty for the figures of the strategy "
                "document itself."
            ),
        ),
    ]
    missing = ["", *markers()] if indicator.kind == Kind.COUNT else [""]
    return {"fields": fields, "missingValues": missing}


def last_validated(values: list[Value]) -> str:
    days = [tables.validated_on(value) for value in values if value.updated_at]
    return max(days) if days else ""


def _sources(values: list[Value], address: str) -> list[dict]:
    portal = {
        "title": _(
            "CORETT portal: figures reported by the member countries' focal points and "
            "validated by the secretariat"
        ),
        "path": address,
    }
    own = sorted({value.source.strip() for value in values if value.source.strip()})
    return [portal, *({"title": source} for source in own[:MAX_SOURCES])]


def descriptor(
    indicator: Indicator, values: list[Value], shown, *, countries: list[str], address: str
) -> dict:
    """datapackage.json of one indicator; `address`: the absolute URL of its page."""
    title = _("%(code)s: %(name)s (validated figures)") % {
        "code": indicator.code,
        "name": indicator.name,
    }
    description = _(
        "The figures of indicator %(code)s of the CORETT Regional Strategy for the Prevention of "
        "Trafficking in Persons and Smuggling of Migrants validated by its secretariat, per "
        "country and reporting period, with their breakdowns. Small breakdown cells are protected "
        "as on every page of the portal. Reporting frequency: %(frequency)s."
    ) % {"code": indicator.code, "frequency": indicator.get_frequency_display()}
    if any(value.is_demo for value in values):  # demo mode only (monitoring.demo)
        description = f"{_('Demonstration figures, invented to try the portal')}. {description}"
    package = {
        "profile": "tabular-data-package",
        "name": f"corett-{resource_name(indicator)}",
        "id": address,
        "title": title,
        "description": description,
        "homepage": address,
        "licenses": [LICENCE],
        "sources": _sources(values, address),
        "keywords": [_("trafficking in persons"), _("smuggling of migrants"), "CORETT"],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": resource_name(indicator),
                "path": "data.csv",
                "title": title,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENCE],
                "schema": schema(indicator, values, shown, countries),
            }
        ],
    }
    validated = last_validated(values)
    return package | ({"last_validated": validated} if validated else {})


def as_json(package: dict) -> bytes:
    return json.dumps(package, ensure_ascii=False, indent=2).encode("utf-8")


def catalogue_zip(
    indicators: list[Indicator],
    values: dict[int, list[Value]],
    *,
    countries: list[str],
    address: Callable[[Indicator], str],
    catalogue: str,
    stamp: datetime | None,
) -> bytes:
    """The zip of the whole catalogue. `values`: per indicator id, its validated values;
    `address`: an indicator's page's absolute URL; `catalogue`: the catalogue's."""
    shown = tables.breakdowns([v for listed in values.values() for v in listed])
    when = stamp.timetuple()[:6] if stamp and stamp.year >= ZIP_EPOCH[0] else ZIP_EPOCH
    buffer = io.BytesIO()
    resources, folders, everything = [], set(), []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(path: str, content: bytes):
            archive.writestr(zipfile.ZipInfo(path, when), content, zipfile.ZIP_DEFLATED)

        for indicator in indicators:
            listed = values.get(indicator.pk, [])
            own = {v.pk: shown[v.pk] for v in listed}
            folder = resource_name(indicator)
            folder = folder if folder not in folders else f"{folder}-{indicator.pk}"
            folders.add(folder)
            package = descriptor(
                indicator, listed, own, countries=countries, address=address(indicator)
            )
            write(f"{folder}/data.csv", tables.data_csv(indicator, listed, own))
            write(f"{folder}/datapackage.json", as_json(package))
            resource = package["resources"][0]
            resources.append(resource | {"name": folder, "path": f"{folder}/data.csv"})
            everything += listed
        top = {
            "profile": "tabular-data-package",
            "name": "corett-open-data",
            "id": catalogue,
            "title": _("CORETT: validated figures of the regional strategy"),
            "description": _(
                "Every indicator of the CORETT Regional Strategy for the Prevention of "
                "Trafficking in Persons and Smuggling of Migrants: the figures validated by its "
                "secretariat, one tidy table per indicator, each in a folder with its own "
                "datapackage.json."
            ),
            "homepage": catalogue,
            "licenses": [LICENCE],
            "sources": _sources([], catalogue),
            "resources": resources,
        }
        validated = last_validated(everything)
        write(
            "datapackage.json", as_json(top | ({"last_validated": validated} if validated else {}))
        )
    return buffer.getvalue()
