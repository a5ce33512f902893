"""The open data: public pages and files, the same for every role (corett.access.OPEN_DATA_READER),
and its catalogue in the API."""

from tests.access_rules import API_READ, PUBLIC, Rule

VICTIMS = {"code": "identified-victims"}

RULES = {
    "opendata:catalogue": Rule(PUBLIC),
    "opendata:catalogue_zip": Rule(PUBLIC),
    "opendata:dataset": Rule(PUBLIC, VICTIMS),
    "opendata:dataset_csv": Rule(PUBLIC, VICTIMS),
    "opendata:dataset_package": Rule(PUBLIC, VICTIMS),
    "dataset-list": Rule(API_READ),
    "dataset-detail": Rule(API_READ, VICTIMS),
}
