"""The review pages: value.py (a value's page, its evidence, the decisions on it), queue.py (the
queue and validating at once), narrative.py (a narrative's page and the decisions on it)."""
