"""The focal point's inbox: what is due for their country in each period that takes values (the
secretariat's version: every country), as a page and as `GET /api/v1/inbox/`."""
