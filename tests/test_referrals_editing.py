"""Editing the directory: a focal point edits only their own country's entries and route (403 and
nothing written otherwise), regional entries are the secretariat's; every save is versioned and
recorded with its author; entries are marked verified by whom and when; stale entries are listed
for the country's focal point."""

import datetime
import re

import pytest
from django.utils import timezone

from referrals.models import Actor, ContactPerson, Hotline, Route, RouteStep
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def hn_actor():
    return Actor.objects.get(country__code="HN", is_governing_body=True)


def hn_hotline():
    return Hotline.objects.filter(country__code="HN").order_by("pk").first()


def hn_step():
    return RouteStep.objects.filter(route__country__code="HN").order_by("order").first()


def actor_post(actor, **changes):
    data = {
        "version": str(actor.version),
        "name_es": actor.name_es or "",
        "name_en": actor.name_en or "",
        "acronym_es": actor.acronym_es or "",
        "acronym_en": actor.acronym_en or "",
        "sector": actor.sector,
        "roles": actor.roles,
        "populations": actor.populations,
        "to_be_verified": "on",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
    }
    data.update(changes)
    return data


STEP = {"order": 9, "title_es": "x", "action_es": "x"}


def snapshot():
    """What a refused request must leave untouched."""
    return (
        list(Actor.objects.order_by("pk").values_list("pk", "version", "name_es")),
        list(Hotline.objects.order_by("pk").values_list("pk", "version", "number")),
        list(Route.objects.order_by("pk").values_list("pk", "version", "title_es")),
        list(RouteStep.objects.order_by("pk").values_list("pk", "version", "title_es")),
        Actor.history.count() + Hotline.history.count() + RouteStep.history.count(),
    )


def test_a_focal_point_cannot_edit_another_countrys_entries(client, focal_sv):
    client = signed_in(client, focal_sv)
    before = snapshot()
    actor, hotline, step = hn_actor(), hn_hotline(), hn_step()
    requests = [
        ("get", f"/es/directory/actors/{actor.pk}/edit/", {}),
        ("post", f"/es/directory/actors/{actor.pk}/edit/", actor_post(actor, name_es="Hackeado")),
        ("post", f"/es/directory/actors/{actor.pk}/verify/", {"version": actor.version}),
        ("get", "/es/directory/actors/new/HN/", {}),
        ("post", "/es/directory/actors/new/HN/", actor_post(Actor(sector="media"), name_es="X")),
        ("get", f"/es/directory/hotlines/{hotline.pk}/edit/", {}),
        ("post", f"/es/directory/hotlines/{hotline.pk}/edit/", {"number": "111", "version": 1}),
        ("post", f"/es/directory/hotlines/{hotline.pk}/verify/", {"version": 1}),
        ("post", "/es/directory/hotlines/new/HN/", {"number": "111"}),
        ("post", "/es/directory/routes/HN/edit/", {"title_es": "Otra", "version": 1}),
        ("post", "/es/directory/routes/HN/verify/", {"version": 1}),
        ("post", "/es/directory/routes/HN/steps/new/", STEP),
        ("post", f"/es/directory/steps/{step.pk}/edit/", {**STEP, "version": 1}),
        ("post", f"/es/directory/steps/{step.pk}/delete/", {"version": 1}),
    ]  # fmt: skip
    for method, url, data in requests:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert snapshot() == before


def test_observers_edit_nothing_and_anonymous_visitors_are_sent_to_sign_in(client, observer):
    url = f"/es/directory/actors/{hn_actor().pk}/edit/"
    assert client.get(url).status_code == 302
    signed_in(client, observer)
    assert client.get(url).status_code == 403
    assert client.get("/es/directory/to-verify/").status_code == 403
    assert client.get("/es/directory/import/").status_code == 403


def test_regional_entries_are_the_secretariats(client, focal_hn, secretariat):
    signed_in(client, focal_hn)
    assert client.get("/es/directory/routes/regional/edit/").status_code == 403
    assert client.get("/es/directory/actors/new/regional/").status_code == 403
    corett = Actor.objects.get(acronym_es="CORETT")
    assert client.get(f"/es/directory/actors/{corett.pk}/edit/").status_code == 403
    signed_in(client, secretariat)
    assert client.get("/es/directory/routes/regional/edit/").status_code == 200


def test_a_focal_point_edits_their_own_countrys_actor(client, focal_hn):
    actor = hn_actor()
    data = actor_post(
        actor,
        phone="+504 2222-0000",
        **{"contacts-0-name": "Ana Enlace", "contacts-0-phone": "+504 3333-0000"},
    )
    response = signed_in(client, focal_hn).post(f"/es/directory/actors/{actor.pk}/edit/", data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.phone == "+504 2222-0000" and actor.version == 2
    assert ContactPerson.objects.get(actor=actor).name == "Ana Enlace"
    record = actor.history.latest()
    assert record.history_user == focal_hn and record.phone == "+504 2222-0000"
    page = client.get(f"/es/directory/actors/{actor.pk}/edit/").content.decode()
    assert "focal-hn" in page and "+504 2222-0000" in page  # the history, who and what


def test_a_focal_point_cannot_make_an_entry_a_governing_body(client, focal_hn):
    dinaf = Actor.objects.get(acronym_es="DINAF")
    data = actor_post(dinaf, is_governing_body="on")
    page = signed_in(client, focal_hn).get(f"/es/directory/actors/{dinaf.pk}/edit/")
    assert 'name="is_governing_body"' not in page.content.decode()
    assert client.post(f"/es/directory/actors/{dinaf.pk}/edit/", data).status_code == 302
    dinaf.refresh_from_db()
    assert not dinaf.is_governing_body


def test_a_save_based_on_an_old_version_is_refused(client, focal_hn):
    actor = hn_actor()
    client = signed_in(client, focal_hn)
    first = actor_post(actor, phone="111")
    assert client.post(f"/es/directory/actors/{actor.pk}/edit/", first).status_code == 302
    stale = actor_post(actor, phone="222")  # still version 1
    response = client.post(f"/en/directory/actors/{actor.pk}/edit/", stale, follow=True)
    actor.refresh_from_db()
    assert actor.phone == "111" and actor.version == 2
    assert "Someone saved this entry after you opened it" in response.content.decode()


def test_contact_persons_are_saved_with_their_actors_version_and_history(client, focal_hn):
    actor = hn_actor()
    client = signed_in(client, focal_hn)
    url = f"/es/directory/actors/{actor.pk}/edit/"
    added = actor_post(actor, **{"contacts-0-name": "Ana Enlace", "contacts-0-email": "a@x.hn"})
    assert client.post(url, added).status_code == 302
    contact = ContactPerson.objects.get(actor=actor)
    actor.refresh_from_db()
    assert actor.version == 2  # a change to the contacts is a change to the entry
    created = contact.history.get()
    assert created.history_user == focal_hn and created.history_type == "+"

    # Opened at version 1, saved after the change above: refused, contacts included.
    stale = actor_post(actor, version="1", **{"contacts-0-name": "Otra Persona"})
    client.post(url, stale)
    assert list(ContactPerson.objects.filter(actor=actor).values_list("name", flat=True)) == [
        "Ana Enlace"
    ]

    actor.refresh_from_db()
    removed = actor_post(
        actor,
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(contact.pk),
            "contacts-0-actor": str(actor.pk),
            "contacts-0-name": "Ana Enlace",
            "contacts-0-DELETE": "on",
        },
    )
    assert client.post(url, removed).status_code == 302
    assert not ContactPerson.objects.filter(actor=actor).exists()
    deleted = ContactPerson.history.filter(id=contact.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == focal_hn


def test_field_errors_are_tied_to_their_field_for_screen_readers(client, focal_hn):
    actor = hn_actor()
    data = actor_post(actor, name_es="")
    response = signed_in(client, focal_hn).post(f"/en/directory/actors/{actor.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_name_es_error"' in html
    field = re.search(r'<input[^>]*name="name_es"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "id_name_es_error" in field


def test_mark_as_verified_records_who_and_when(client, focal_hn):
    hotline = hn_hotline()
    client = signed_in(client, focal_hn)
    response = client.post(
        f"/es/directory/hotlines/{hotline.pk}/verify/", {"version": hotline.version}
    )
    assert response.status_code == 302
    hotline.refresh_from_db()
    assert hotline.verified_by == focal_hn and not hotline.to_be_verified
    assert timezone.now() - hotline.verified_at < datetime.timedelta(minutes=1)
    assert hotline.history.latest().history_change_reason == "verified"


def test_entries_to_verify_are_listed_for_the_countrys_focal_point(client, focal_hn, secretariat):
    corett = f"/en/directory/actors/{Actor.objects.get(acronym_es='CORETT').pk}/"
    page = signed_in(client, focal_hn).get("/en/directory/to-verify/").content.decode()
    assert "DINAF" in page and "145" in page
    assert "CONATT" not in page and corett not in page  # other countries, regional entries
    dinaf = Actor.objects.get(acronym_es="DINAF")
    client.post(f"/es/directory/actors/{dinaf.pk}/verify/", {"version": dinaf.version})
    page = client.get("/en/directory/to-verify/").content.decode()
    assert "DINAF" not in page
    Actor.objects.filter(pk=dinaf.pk).update(
        verified_at=timezone.now() - datetime.timedelta(days=380)
    )
    assert "DINAF" in client.get("/en/directory/to-verify/").content.decode()  # stale again
    everything = signed_in(client, secretariat).get("/en/directory/to-verify/").content.decode()
    assert "CONATT" in everything and corett in everything


def test_a_complaint_line_needs_a_channel_and_says_so(client, focal_hn):
    response = signed_in(client, focal_hn).post(
        "/es/directory/hotlines/new/HN/", {"operator_es": "Alguien", "order": 3}
    )
    assert response.status_code == 400
    assert not Hotline.objects.filter(operator_es="Alguien").exists()
    response = client.post(
        "/es/directory/hotlines/new/HN/",
        {"number": "130", "order": 3, "source_es": "Sitio oficial", "to_be_verified": "on"},
    )
    assert response.status_code == 302
    assert Hotline.objects.get(number="130").history.latest().history_user.username == "focal-hn"


def test_route_steps_keep_their_order_unique(client, focal_hn):
    client = signed_in(client, focal_hn)
    data = {"order": 1, "title_es": "Duplicado", "action_es": "x"}
    response = client.post("/en/directory/routes/HN/steps/new/", data)
    assert response.status_code == 400
    assert "already has number 1" in response.content.decode()
    data["order"] = 7
    assert client.post("/es/directory/routes/HN/steps/new/", data).status_code == 302
    assert Route.objects.get(country__code="HN").steps.count() == 7


def test_deleting_a_step_keeps_it_in_the_history(client, focal_hn):
    step = hn_step()
    signed_in(client, focal_hn).post(
        f"/es/directory/steps/{step.pk}/delete/", {"version": step.version}
    )
    assert not RouteStep.objects.filter(pk=step.pk).exists()
    assert RouteStep.history.filter(id=step.pk, history_type="-").exists()


def test_edit_links_show_only_to_who_may_edit(client, focal_hn, focal_sv):
    url = "/es/directory/routes/HN/"
    assert "/steps/new/" not in client.get(url).content.decode()
    assert "/steps/new/" not in signed_in(client, focal_sv).get(url).content.decode()
    assert "/steps/new/" in signed_in(client, focal_hn).get(url).content.decode()
