"""The inbox page: a focal point's periods due for their country, the secretariat's for every
country (sortable by what is late). Access through corett.access."""

from django.shortcuts import render
from django.utils import timezone

from corett import access
from strategy.models import Country

from . import selectors


@access.requires(access.has_inbox)
def inbox(request):
    sort = request.GET.get("sort")
    sort = sort if sort in selectors.SORTS else "country"
    countries = access.inbox_countries(request.user, Country.objects.order_by("name"))
    due = selectors.inbox(countries, timezone.localdate(), sort=sort)
    return render(
        request,
        "monitoring/inbox/inbox.html",
        {"due": due, "sort": sort, "every_country": access.is_secretariat(request.user)},
    )
