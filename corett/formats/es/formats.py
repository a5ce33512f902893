# Numbers as the member countries and the strategy write them: 1,791 and 12.5 (not 1 791 and 12,5).
from django.conf.locale.es.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
