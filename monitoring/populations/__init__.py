"""Population denominators (country × year, total and where known by sex and age group, each with
its source) and the rates per 100,000 inhabitants computed from them (SDG 16.2.2): never stored,
worked out from the validated identified victims whenever a page, an export or a report asks.

The secretariat keeps the denominators: one at a time in a form, or many from a spreadsheet with
a preview (corett.imports); every change is kept in the row's history (django-simple-history).
"""
