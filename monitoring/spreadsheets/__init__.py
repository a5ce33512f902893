"""Value spreadsheets: the template of a country and period, the import of a filled one up to
its preview, and the exports of the matrix and of the values list. Nothing here writes: a
confirmed preview is written by monitoring.values.imports.values_import.

- columns: the layout, each header ending in its key in brackets;
- template: the template of a country and period (XLSX, or CSV in the same layout);
- reading: an uploaded file's sheets as rows of raw cells keyed by column;
- preview: those rows read against the database, and the writes that confirming would do;
- export: the matrix of a period and the values list, as the user may see them;
- views, urls: the pages (under /<lang>/monitoring/spreadsheets/); every cell written is
  escaped by corett.spreadsheets.
"""
