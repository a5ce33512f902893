"""The monitoring app's models, each defined in its area (Django loads an app's models from here):

- periods: Period, Target, Qualification (monitoring/periods/models.py)
- values: Status, Value, ValueAudit, Narrative (monitoring/values/models.py)
- reports: ReportRequest (monitoring/reports/models.py)
- populations: Population, the denominators of the rates (monitoring/populations/models.py)
"""

from .periods.models import Period, Qualification, Target
from .populations.models import Population
from .reports.models import ReportRequest
from .values.models import Narrative, Status, Value, ValueAudit

__all__ = [
    "Narrative",
    "Period",
    "Population",
    "Qualification",
    "ReportRequest",
    "Status",
    "Target",
    "Value",
    "ValueAudit",
]
