"""Open data: the validated figures of every indicator as a tidy CSV and a Frictionless Data
Package, at a stable address per indicator (/<lang>/data/<code>/), the whole catalogue as one zip,
and listed in the API (GET /api/v1/datasets/).

Public, the same file for everyone who downloads it: values as monitoring.values.models.Value's
`validated()`, breakdowns through the one selector every output uses
(monitoring.values.breakdowns) as the public reads them (corett.access.OPEN_DATA_READER), every
cell through corett.spreadsheets' formula-safe writer.

- selectors.py: which indicator an address names (an old code, renamed since, is found in the
  indicator's history), its validated values, and how fresh they are (ETag, Last-Modified);
- tables.py: the tidy rows and data.csv;
- packages.py: datapackage.json (Table Schema, licence, sources, title and description in the
  request's language) and the catalogue's zip.
"""
