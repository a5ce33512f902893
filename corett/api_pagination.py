"""Pages of an API list that count their rows only when a filter bounds them.

Counting a large table costs as much as reading it (PostgreSQL has no stored row count): at a
million values an unfiltered page of fifty spent most of its time in `COUNT(*)`. A list that uses
`CountWhenFiltered` counts only when one of `counted_by` is in the query (a filter served by an
index, so the count reads a bounded number of rows); otherwise `count` is null and the page reads
one row more than it shows to know whether there is a `next` one. Same page numbers, same links,
same fields either way: a client that follows `next` never notices.
"""

from django.core.paginator import Page
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# Beyond this a page number is refused rather than turned into an offset the database must walk
# (or could not even hold).
MAX_PAGE = 1_000_000


class UncountedPage(Page):
    """A page that knows whether another follows, not how many there are."""

    def __init__(self, rows, number: int, more: bool):
        super().__init__(rows, number, paginator=None)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class CountWhenFiltered(PageNumberPagination):
    counted_by: tuple[str, ...] = ()
    count_description = gettext_lazy(
        "How many rows match: given when the list is filtered by one of %(filters)s, null "
        "otherwise (follow `next` until it is null)."
    )

    def is_counted(self, request) -> bool:
        return any(request.query_params.get(name) for name in self.counted_by)

    def paginate_queryset(self, queryset, request, view=None):
        self.counted = self.is_counted(request)
        if self.counted:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        number = self._page_number(request)
        start = (number - 1) * size
        rows = list(queryset[start : start + size + 1])
        if number > 1 and not rows:
            raise NotFound(self.invalid_page_message)
        self.page = UncountedPage(rows[:size], number, more=len(rows) > size)
        return list(self.page)

    def _page_number(self, request) -> int:
        raw = request.query_params.get(self.page_query_param) or "1"
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise NotFound(self.invalid_page_message)
        return int(raw)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count if self.counted else None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "next", "previous", "results"]
        response["properties"]["count"] = {
            "type": "integer",
            "nullable": True,
            "example": 123,
            "description": str(self.count_description)
            % {"filters": ", ".join(f"`{name}`" for name in self.counted_by)},
        }
        return response
