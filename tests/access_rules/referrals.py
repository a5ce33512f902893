"""The referral directory (referrals/urls.py) and its API: public pages and reads; edits by the
secretariat and the focal point of the entry's country (COUNTRY rules touch Honduras's entries);
the work pages (entries to verify, import) for accounts that may edit some entry, which observers
may not (403, accepted by SIGNED_IN: tests/test_referrals_editing.py checks it exactly)."""

from tests.access_rules import API_READ, COUNTRY, PUBLIC, SIGNED_IN, Rule


def hn_actor():
    from referrals.models import Actor

    return {"pk": Actor.objects.get(country__code="HN", is_governing_body=True).pk}


def hn_hotline():
    from referrals.models import Hotline

    return {"pk": Hotline.objects.filter(country__code="HN").order_by("pk").first().pk}


def hn_step():
    from referrals.models import RouteStep

    return {"pk": RouteStep.objects.filter(route__country__code="HN").order_by("order").first().pk}


HN = {"code": "HN"}
ACTOR_POST = {"name_es": "Escrito por quien no debe", "sector": "government", "version": "1"}
HOTLINE_POST = {"number": "000", "version": "1"}
STEP_POST = {"order": "99", "title_es": "x", "action_es": "x", "version": "1"}

RULES = {
    "referrals:index": Rule(PUBLIC),
    "referrals:print": Rule(PUBLIC),
    "referrals:export_csv": Rule(PUBLIC),
    "referrals:export_xlsx": Rule(PUBLIC),
    "referrals:detection": Rule(PUBLIC),
    "referrals:actor": Rule(PUBLIC, hn_actor),
    "referrals:route": Rule(PUBLIC, HN),
    "referrals:to_verify": Rule(SIGNED_IN),
    "referrals:import": Rule(SIGNED_IN, methods=("get", "post")),
    "referrals:import_preview": Rule(SIGNED_IN, {"token": "no-such-import"}),
    "referrals:import_confirm": Rule(SIGNED_IN, {"token": "no-such-import"}, methods=("post",)),
    "referrals:actor_edit": Rule(COUNTRY, hn_actor, ("get", "post"), ACTOR_POST, "HN"),
    "referrals:actor_verify": Rule(COUNTRY, hn_actor, ("post",), {"version": "1"}, "HN"),
    "referrals:actor_create": Rule(COUNTRY, HN, ("get", "post"), ACTOR_POST, "HN"),
    "referrals:hotline_edit": Rule(COUNTRY, hn_hotline, ("get", "post"), HOTLINE_POST, "HN"),
    "referrals:hotline_verify": Rule(COUNTRY, hn_hotline, ("post",), {"version": "1"}, "HN"),
    "referrals:hotline_create": Rule(COUNTRY, HN, ("get", "post"), HOTLINE_POST, "HN"),
    "referrals:route_edit": Rule(COUNTRY, HN, ("get", "post"), {"title_es": "x"}, "HN"),
    "referrals:route_verify": Rule(COUNTRY, HN, ("post",), {"version": "1"}, "HN"),
    "referrals:step_create": Rule(COUNTRY, HN, ("get", "post"), STEP_POST, "HN"),
    "referrals:step_edit": Rule(COUNTRY, hn_step, ("get", "post"), STEP_POST, "HN"),
    "referrals:step_delete": Rule(COUNTRY, hn_step, ("post",), {"version": "1"}, "HN"),
    "actor-list": Rule(API_READ),
    "actor-detail": Rule(API_READ, hn_actor),
    "hotline-list": Rule(API_READ),
    "hotline-detail": Rule(API_READ, hn_hotline),
    "route-list": Rule(API_READ),
    "route-detail": Rule(API_READ, lambda: {"pk": 5}),
}
