"""The focal point's data-entry page: one page per country and period, saved as a draft in one
transaction (all rows or none), submitted, read-only once validated, refused to other countries."""

import hashlib
import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from corett.uploads import check_evidence
from monitoring.models import Narrative, Period, Status, Target, Value, ValueAudit
from monitoring.values import narratives, services
from strategy.models import Country, Indicator
from tests.conftest import make_user, signed_in

pytestmark = pytest.mark.django_db

CAMPAIGNS = "SEN-1.1.1-a"  # a count, no breakdown (pk 1)
WORKSHOPS = "SEN-2.1.1-a"  # a count (pk 3)
BUDGET = "SEN-2.1.3-a"  # yes/no (pk 6)
TRAINERS = "TRA-2.1.1-a"  # a count, broken down by level (pk 10)
MEDIA = "TRA-2.1.2-a"  # text (pk 11)
OTHERS = ["BZ", "CR", "SV", "GT", "MX", "NI", "PA", "DO"]  # every member but Honduras
MULTIPART, URLENCODED = "multipart/form-data", "application/x-www-form-urlencoded"


def url(country="HN", period="2026", lang="es"):
    return f"/{lang}/monitoring/entry/{country}/{period}/"


def ind(code):
    return Indicator.objects.get(code=code)


def prefix(code):
    return f"v{ind(code).pk}"


class FormFields(HTMLParser):
    """What a browser would send from the page's entry form (files and buttons aside)."""

    def __init__(self):
        super().__init__()
        self.data, self.in_form, self.textarea = {}, False, None
        self.file_inputs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "entry-form" in (attrs.get("class") or ""):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and attrs.get("type") in ("text", "hidden", None):
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("type") == "radio" and "checked" in attrs:
            self.data[attrs["name"]] = attrs["value"]
        elif tag == "input" and attrs.get("type") == "file":
            self.file_inputs.append(attrs["name"])
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.data[self.textarea] = self.data[self.textarea].lstrip("\n")
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def form_data(response) -> dict:
    parser = FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def file_inputs(response) -> list[str]:
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.file_inputs


def post(client, changes, *, action="save", page=None, files=None, encoding=MULTIPART, **where):
    """Opens the page (or uses `page`, a response read earlier), types `changes`, presses the
    button. URL-encoded, as the page's script has the browser send it when no file is attached:
    each file input then sends its name with an empty file name."""
    target = url(**where)
    page = page or client.get(target)
    data = form_data(page)
    data.update(changes)
    data["action"] = action
    if encoding == URLENCODED:
        data |= dict.fromkeys(file_inputs(page), "")
        return client.post(target, urlencode(data), content_type=URLENCODED)
    data.update(files or {})
    return client.post(target, data)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def row_html(response, code) -> str:
    """The HTML of one indicator's row: up to the next row, or the narrative."""
    html = response.content.decode()
    start = html.index(f'id="indicator-{ind(code).pk}"')
    ends = [html.find(marker, start) for marker in ('class="entry-row ', 'id="narrative"')]
    return html[start : min([end for end in ends if end != -1] or [len(html)])]


def entered():
    """Values entered in the tests (the fixtures hold the document's, in locked periods)."""
    return Value.objects.filter(period__locked_at__isnull=True)


def fingerprint() -> str:
    digest = hashlib.sha256()
    for model in (Value, ValueAudit, Narrative):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def save(user, code, number=None, country="HN", period="2026", **extra):
    return services.value_save(
        user=user,
        indicator=ind(code),
        country=Country.objects.get(code=country) if country else None,
        period=Period.objects.get(code=period),
        number=number,
        path="form",
        **extra,
    )


def es(message):
    with translation.override("es"):
        return translation.gettext(message)


# --- Landing ----------------------------------------------------------------------------------


def test_a_focal_point_lands_on_their_countrys_open_period(client, focal_hn):
    response = signed_in(client, focal_hn).get("/es/monitoring/entry/")
    assert response.status_code == 302
    assert response["Location"] == url("HN", "2026")


def test_with_several_open_periods_a_focal_point_chooses_among_them(client, focal_sv):
    Period.objects.create(
        code="2026-S2",
        kind="semester",
        starts_on="2026-07-01",
        ends_on="2026-12-31",
        opens_on="2026-07-01",
        closes_on="2027-01-31",
    )
    Indicator.objects.filter(code=WORKSHOPS).update(frequency="semester")
    response = signed_in(client, focal_sv).get("/en/monitoring/entry/")
    assert response.status_code == 200
    html = response.content.decode()
    assert url("SV", "2026-S2", "en") in html
    assert url("SV", "2026", "en") in html
    assert url("SV", "2025", "en") in html  # closed, still taking (late) values
    assert url("SV", "2019", "en") not in html  # locked
    assert url("HN", "2026", "en") not in html


def test_the_secretariat_chooses_any_country_or_the_regional_values(client, secretariat):
    html = signed_in(client, secretariat).get("/en/monitoring/entry/").content.decode()
    for country in Country.objects.all():
        assert url(country.code, "2026", "en") in html
    assert url("region", "2026", "en") in html


@pytest.mark.parametrize("page", ["/es/monitoring/entry/", url("HN")])
def test_observers_are_refused_the_entry_pages(client, observer, page):
    assert signed_in(client, observer).get(page).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("HN"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The page ---------------------------------------------------------------------------------


def test_the_page_lists_the_plans_indicators_by_axis_with_last_period_and_target(
    client, focal_hn, secretariat
):
    last = save(focal_hn, CAMPAIGNS, 4, period="2025")
    services.value_submit(user=focal_hn, value=last, path="form")
    services.value_validate(user=secretariat, value=last, path="form")
    hn = Country.objects.get(code="HN")
    period = Period.objects.get(code="2026")
    Target.objects.create(indicator=ind(CAMPAIGNS), country=hn, period=period, value=6)
    Target.objects.create(indicator=ind(WORKSHOPS), country=None, period=period, value=20)

    response = signed_in(client, focal_hn).get(url("HN", lang="en"))

    assert response.status_code == 200
    page = text(response)
    for axis in ("Axis 1", "Axis 2", "Axis 3", "Axis 4"):
        assert axis in page
    assert page.index("Axis 1") < page.index(CAMPAIGNS) < page.index("Axis 2")
    campaigns = text_of(row_html(response, CAMPAIGNS))
    assert "In 2025 4" in campaigns
    assert "Target 6" in campaigns
    assert "Regional target 20" in text_of(row_html(response, WORKSHOPS))
    for indicator in Indicator.objects.current().filter(frequency="annual"):
        # Every indicator but the figures the document gives only for the region.
        shown = f'id="indicator-{indicator.pk}"' in response.content.decode()
        assert shown == (indicator.goal_id is not None or indicator.code == "identified-victims")


def test_the_regional_page_also_has_the_regions_own_figures(client, secretariat):
    response = signed_in(client, secretariat).get(url("region", lang="en"))
    assert f'id="indicator-{ind("victims-pct-men").pk}"' in response.content.decode()
    assert f'id="indicator-{ind(CAMPAIGNS).pk}"' in response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_inputs_are_typed_by_the_indicators_kind(client, focal_hn):
    response = signed_in(client, focal_hn).get(url("HN", lang="en"))
    count = row_html(response, CAMPAIGNS)
    assert 'inputmode="numeric"' in count
    budget = row_html(response, BUDGET)
    assert budget.count('type="radio"') == 2 and "Yes" in budget and "No" in budget
    assert "<textarea" in row_html(response, MEDIA).split("Comment")[0]
    trainers = row_html(response, TRAINERS)
    for category in ("national", "regional", "extra_regional", "not_specified"):
        assert f'name="{prefix(TRAINERS)}-level__{category}"' in trainers
    assert "Not specified" in trainers


def test_every_input_has_a_label_and_the_buttons_are_at_the_top_and_the_end(client, focal_hn):
    html = signed_in(client, focal_hn).get(url("HN", lang="en")).content.decode()
    start = html.index('class="entry-form"')
    form = html[start : html.index("</form>", start)]
    labelled = set(re.findall(r'<label for="([^"]+)"', form))
    fields = re.findall(r"<(?:input|textarea)\b[^>]*>", form)
    visible = [
        re.search(r'id="([^"]+)"', field).group(1)
        for field in fields
        if 'type="hidden"' not in field
    ]
    assert len(visible) > 50
    assert set(visible) <= labelled
    buttons = re.findall(r'<button type="submit" name="action" value="(\w+)"', form)
    assert buttons == ["save", "submit", "save", "submit"]
    first_input = form.index('<input type="text"')
    assert form.index('value="save"') < first_input < form.rindex('value="save"')


# --- Saving a draft ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", [MULTIPART, URLENCODED])
def test_save_as_draft_writes_every_filled_row_and_the_narrative(client, focal_hn, encoding):
    client = signed_in(client, focal_hn)
    response = post(
        client,
        {
            f"{prefix(CAMPAIGNS)}-number": "3",
            f"{prefix(CAMPAIGNS)}-comment": "Two national, one local",
            f"{prefix(BUDGET)}-number": "1",
            f"{prefix(MEDIA)}-text": "Coverage improved",
            f"{prefix(TRAINERS)}-number": "12",
            f"{prefix(TRAINERS)}-level__national": "10",
            f"{prefix(TRAINERS)}-level__not_specified": "2",
            "narrative-progress": "Campaigns in three departments.",
        },
        encoding=encoding,
    )
    assert response.status_code == 302
    values = {v.indicator.code: v for v in Value.objects.filter(period__code="2026")}
    assert set(values) == {CAMPAIGNS, BUDGET, MEDIA, TRAINERS}
    assert all(v.status == Status.DRAFT for v in values.values())
    assert values[CAMPAIGNS].number == 3 and values[CAMPAIGNS].comment == "Two national, one local"
    assert values[BUDGET].number == 1
    assert values[MEDIA].text == "Coverage improved"
    assert values[TRAINERS].disaggregation == {"level": {"national": 10, "not_specified": 2}}
    assert set(ValueAudit.objects.values_list("path", flat=True)) == {"form"}
    narrative = Narrative.objects.get(country__code="HN", period__code="2026")
    assert narrative.progress == "Campaigns in three departments."
    assert narrative.status == Status.DRAFT
    assert "4" in text(client.get(url("HN", lang="en")))  # the message: 4 values saved


def test_saving_an_unchanged_page_writes_nothing(client, focal_hn):
    save(focal_hn, CAMPAIGNS, 3)
    before = fingerprint()
    response = post(signed_in(client, focal_hn), {})
    assert response.status_code == 302
    assert fingerprint() == before


@pytest.mark.parametrize(
    "lang, messages, encoding",
    [
        ("es", None, MULTIPART),  # the same messages, in Spanish: see below
        ("en", ["A count is a whole number.", "adds up to 5: 7 under the total 12."], MULTIPART),
        ("es", None, URLENCODED),
    ],
)
def test_errors_show_beside_their_fields_and_nothing_typed_is_lost(
    client, focal_hn, lang, messages, encoding
):
    client = signed_in(client, focal_hn)
    typed = {
        f"{prefix(CAMPAIGNS)}-number": "1.5",
        f"{prefix(CAMPAIGNS)}-comment": "half a campaign?",
        f"{prefix(WORKSHOPS)}-number": "7",
        f"{prefix(TRAINERS)}-number": "12",
        f"{prefix(TRAINERS)}-level__national": "5",
        f"{prefix(MEDIA)}-text": "Texto escrito con cuidado",
        "narrative-obstacles": "Budget cuts",
    }
    response = post(client, typed, lang=lang, encoding=encoding)

    assert response.status_code == 200
    assert entered().count() == 0 and Narrative.objects.count() == 0
    with translation.override(lang):
        whole = translation.gettext("A count is a whole number.")
        nothing = translation.gettext("Nothing was saved")
    campaigns = row_html(response, CAMPAIGNS)
    error = re.search(rf'id="id_{prefix(CAMPAIGNS)}-number_error">([^<]+)<', campaigns)
    assert error and error.group(1) == whole
    assert 'aria-invalid="true"' in campaigns
    trainers = row_html(response, TRAINERS)
    assert f'id="id_{prefix(TRAINERS)}-breakdown_error"' in trainers
    assert "12" in text_of(trainers.split("breakdown_error")[-1])
    if messages:
        assert messages[1] in text_of(trainers)
    assert nothing in text(response)
    assert form_data(response) | typed == form_data(response)  # everything typed is still there
    assert response.content.decode().count(f'href="#indicator-{ind(CAMPAIGNS).pk}"') == 1


def test_the_spanish_page_speaks_spanish(client, focal_hn):
    response = post(signed_in(client, focal_hn), {f"{prefix(CAMPAIGNS)}-number": "-2"}, lang="es")
    assert '<html lang="es">' in response.content.decode()
    assert es("The value cannot be negative.") in row_html(response, CAMPAIGNS)
    assert es("Value") in row_html(response, CAMPAIGNS)


def test_one_bad_row_makes_the_whole_save_write_nothing(client, focal_hn):
    save(focal_hn, WORKSHOPS, 2)
    Narrative.objects.create(
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        progress="Before",
    )
    before = fingerprint()
    response = post(
        signed_in(client, focal_hn),
        {
            f"{prefix(WORKSHOPS)}-number": "5",  # a good change of a saved draft
            f"{prefix(CAMPAIGNS)}-number": "4",  # a good new value
            "narrative-progress": "After",  # a good narrative change
            f"{prefix(BUDGET)}-number": "2",  # not yes or no: the whole save fails
        },
    )
    assert response.status_code == 200
    assert fingerprint() == before
    assert entered().get(indicator__code=WORKSHOPS).number == 2


def test_a_bad_evidence_file_fails_the_save_and_says_so_beside_the_field(client, focal_hn):
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = post(
        signed_in(client, focal_hn),
        {f"{prefix(CAMPAIGNS)}-number": "3"},
        files={f"{prefix(CAMPAIGNS)}-evidence": fake},
        lang="en",
    )
    assert response.status_code == 200
    assert entered().count() == 0
    error = re.search(rf'id="id_{prefix(CAMPAIGNS)}-evidence_error">([^<]+)<', response.text)
    assert error and "named .pdf but its content is something else" in unescape(error.group(1))


def test_a_good_evidence_file_is_kept_with_the_value(client, focal_hn, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n%minimal\n", "application/pdf")
    response = post(
        signed_in(client, focal_hn),
        {f"{prefix(CAMPAIGNS)}-number": "3"},
        files={f"{prefix(CAMPAIGNS)}-evidence": pdf},
    )
    assert response.status_code == 302
    value = entered().get()
    assert value.evidence.name.startswith("evidence/") and value.evidence.name.endswith(".pdf")
    assert value.evidence.read() == b"%PDF-1.4\n%minimal\n"
    assert "acta" in row_html(client.get(url("HN")), CAMPAIGNS)


def test_a_chosen_file_is_asked_for_again_when_another_row_fails(client, focal_hn):
    pdf = SimpleUploadedFile("acta.pdf", b"%PDF-1.4\n", "application/pdf")
    response = post(
        signed_in(client, focal_hn),
        {f"{prefix(CAMPAIGNS)}-number": "3", f"{prefix(WORKSHOPS)}-number": "x"},
        files={f"{prefix(CAMPAIGNS)}-evidence": pdf},
        lang="en",
    )
    assert response.status_code == 200
    assert "acta.pdf was not kept because the page had errors" in row_html(response, CAMPAIGNS)


# --- Versions: nothing overwritten ------------------------------------------------------------


def test_a_value_changed_meanwhile_is_not_overwritten(client, focal_hn, secretariat):
    save(focal_hn, CAMPAIGNS, 3)
    client = signed_in(client, focal_hn)
    page = client.get(url("HN", lang="en"))
    save(secretariat, CAMPAIGNS, 9, version=entered().get().version)  # someone else saves

    response = post(client, {f"{prefix(CAMPAIGNS)}-number": "4"}, page=page, lang="en")

    assert response.status_code == 200
    assert entered().get().number == 9
    row = text_of(row_html(response, CAMPAIGNS))
    assert "Someone else changed this value since you opened the page" in row
    assert "it now reads 9" in row
    assert form_data(response)[f"{prefix(CAMPAIGNS)}-number"] == "4"  # what they typed
    # Having seen the other change, saving again applies theirs.
    again = client.post(url("HN", lang="en"), {**form_data(response), "action": "save"})
    assert again.status_code == 302
    assert entered().get().number == 4


def test_a_value_created_meanwhile_is_not_overwritten(client, focal_hn, secretariat):
    client = signed_in(client, focal_hn)
    page = client.get(url("HN"))
    save(secretariat, CAMPAIGNS, 9)
    response = post(client, {f"{prefix(CAMPAIGNS)}-number": "4"}, page=page)
    assert response.status_code == 200
    assert entered().get().number == 9


def opened_before_a_change(client, focal_hn, secretariat):
    """The focal point opens the page (signed in: the client, and the page); then the secretariat
    changes a value of it, 3 → 9."""
    save(focal_hn, CAMPAIGNS, 3)
    client = signed_in(client, focal_hn)
    page = client.get(url("HN"))
    save(secretariat, CAMPAIGNS, 9, version=entered().get().version)
    return client, page


def test_rows_left_untouched_do_not_overwrite_changes_made_meanwhile(client, focal_hn, secretariat):
    client, page = opened_before_a_change(client, focal_hn, secretariat)
    response = post(client, {f"{prefix(WORKSHOPS)}-number": "5"}, page=page)
    assert response.status_code == 302
    assert entered().get(indicator__code=CAMPAIGNS).number == 9
    assert entered().get(indicator__code=WORKSHOPS).number == 5


def test_after_a_failed_save_untouched_rows_show_what_is_stored_now(client, focal_hn, secretariat):
    """Only the rows typed in are read as forms: a row posted back as it was shown is shown as
    stored, with the version it now has, so that saving again does not find it stale."""
    client, page = opened_before_a_change(client, focal_hn, secretariat)
    response = post(client, {f"{prefix(WORKSHOPS)}-number": "five"}, page=page)
    assert response.status_code == 200
    again = form_data(response)
    assert again[f"{prefix(CAMPAIGNS)}-number"] == "9"
    assert again[f"{prefix(CAMPAIGNS)}-version"] == str(entered().get().version)
    assert again[f"{prefix(WORKSHOPS)}-number"] == "five"  # what was typed, beside its error
    fixed = post(client, {f"{prefix(WORKSHOPS)}-number": "5"}, page=response)
    assert fixed.status_code == 302
    assert entered().get(indicator__code=CAMPAIGNS).number == 9
    assert entered().get(indicator__code=WORKSHOPS).number == 5


# --- Submitting, returned and validated values ------------------------------------------------


def test_submit_saves_what_was_typed_and_sends_every_draft_and_returned_value(
    client, focal_hn, secretariat
):
    save(focal_hn, WORKSHOPS, 2)
    returned = save(focal_hn, BUDGET, 0)
    returned = services.value_submit(user=focal_hn, value=returned, path="form")
    services.value_return(user=secretariat, value=returned, comment="Check", path="form")
    validated = save(focal_hn, MEDIA, text="Good")
    validated = services.value_submit(user=focal_hn, value=validated, path="form")
    services.value_validate(user=secretariat, value=validated, path="form")
    Value.objects.create(  # another country's draft stays where it is
        indicator=ind(CAMPAIGNS),
        country=Country.objects.get(code="SV"),
        period=Period.objects.get(code="2026"),
        number=1,
    )

    response = post(
        signed_in(client, focal_hn),
        {f"{prefix(CAMPAIGNS)}-number": "3", "narrative-progress": "Done"},
        action="submit",
        lang="en",
    )

    assert response.status_code == 302
    hn = {v.indicator.code: v.status for v in entered().filter(country__code="HN")}
    assert hn == {
        CAMPAIGNS: Status.SUBMITTED,
        WORKSHOPS: Status.SUBMITTED,
        BUDGET: Status.SUBMITTED,
        MEDIA: Status.VALIDATED,
    }
    assert entered().get(country__code="SV").status == Status.DRAFT
    assert Narrative.objects.get().status == Status.SUBMITTED
    assert not entered().filter(country__code="HN", late=True).exists()
    assert "3 values submitted to the secretariat" in text(
        client.get(url("HN", lang="en"), follow=True)
    )


def test_a_late_submission_is_flagged(client, focal_hn):
    response = post(
        signed_in(client, focal_hn),
        {f"{prefix(CAMPAIGNS)}-number": "3"},
        action="submit",
        period="2025",
        lang="en",
    )
    assert response.status_code == 302
    assert entered().get().late is True
    assert "flagged late" in text(client.get(url("HN", "2025", "en")))


def test_a_failing_row_stops_the_submission_too(client, focal_hn):
    save(focal_hn, WORKSHOPS, 2)
    before = fingerprint()
    response = post(
        signed_in(client, focal_hn), {f"{prefix(CAMPAIGNS)}-number": "-1"}, action="submit"
    )
    assert response.status_code == 200
    assert fingerprint() == before


def test_the_secretariats_comment_shows_on_a_returned_value_which_stays_editable(
    client, focal_hn, secretariat
):
    value = services.value_submit(user=focal_hn, value=save(focal_hn, CAMPAIGNS, 3), path="form")
    services.value_return(
        user=secretariat, value=value, comment="The campaigns of March are missing.", path="form"
    )
    response = signed_in(client, focal_hn).get(url("HN", lang="en"))
    row = row_html(response, CAMPAIGNS)
    assert 'class="entry-returned" role="note"' in row
    assert "The campaigns of March are missing." in row
    assert f'name="{prefix(CAMPAIGNS)}-number"' in row
    assert "The secretariat returned 1 value to fix" in text(response)

    fixed = post(client, {f"{prefix(CAMPAIGNS)}-number": "5"}, action="submit")
    assert fixed.status_code == 302
    value.refresh_from_db()
    assert (value.number, value.status) == (5, Status.SUBMITTED)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.VALIDATED])
def test_submitted_and_validated_values_are_read_only(client, focal_hn, secretariat, status):
    value = services.value_submit(user=focal_hn, value=save(focal_hn, CAMPAIGNS, 3), path="form")
    if status == Status.VALIDATED:
        services.value_validate(user=secretariat, value=value, path="form")
    client = signed_in(client, focal_hn)
    response = client.get(url("HN", lang="en"))
    row = row_html(response, CAMPAIGNS)
    assert "<input" not in row and "<textarea" not in row
    assert "entry-readonly" in row

    before = fingerprint()
    crafted = client.post(
        url("HN", lang="en"),
        {
            "action": "save",
            f"{prefix(CAMPAIGNS)}-number": "8",
            f"{prefix(CAMPAIGNS)}-version": str(entered().get().version),
            f"{prefix(CAMPAIGNS)}-seen": "-",
        },
    )
    assert crafted.status_code == 200
    assert fingerprint() == before


def test_a_locked_period_is_read_only_and_refuses_writes(client, focal_hn):
    client = signed_in(client, focal_hn)
    response = client.get(url("HN", "2019", "en"))
    assert response.status_code == 200
    assert "entry-form" not in response.content.decode()
    assert "locked" in text(response)
    before = fingerprint()
    refused = client.post(url("HN", "2019", "en"), {"action": "save", "v100-number": "4"})
    assert refused.status_code == 200
    assert fingerprint() == before


def test_a_post_without_a_button_is_a_bad_request(client, focal_hn):
    response = signed_in(client, focal_hn).post(url("HN"), {"v1-number": "3"})
    assert response.status_code == 400
    assert entered().count() == 0


# --- Narrative --------------------------------------------------------------------------------


def test_the_narrative_is_submitted_with_the_values_and_its_return_comment_shown(
    client, focal_hn, secretariat
):
    client = signed_in(client, focal_hn)
    post(client, {"narrative-progress": "Good year", "narrative-adjustments": "More workshops"})
    post(client, {}, action="submit")
    narrative = Narrative.objects.get()
    assert narrative.status == Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        narratives.narrative_return(user=focal_hn, narrative=narrative, comment="x")
    narratives.narrative_return(user=secretariat, narrative=narrative, comment="Say which ones.")
    response = client.get(url("HN", lang="en"))
    assert "The secretariat returned the narrative" in text(response)
    assert "Say which ones." in text(response)
    post(client, {"narrative-adjustments": "Two workshops in Copán"}, action="submit")
    narrative.refresh_from_db()
    assert (narrative.status, narrative.adjustments) == (Status.SUBMITTED, "Two workshops in Copán")
    narratives.narrative_validate(user=secretariat, narrative=narrative)
    assert 'name="narrative-progress"' not in client.get(url("HN")).content.decode()


def test_a_narrative_changed_meanwhile_is_not_overwritten(client, focal_hn, secretariat):
    client = signed_in(client, focal_hn)
    page = client.get(url("HN", lang="en"))
    narratives.narrative_save(
        user=secretariat,
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code="2026"),
        progress="Theirs",
    )
    response = post(client, {"narrative-progress": "Mine"}, page=page, lang="en")
    assert response.status_code == 200
    assert Narrative.objects.get().progress == "Theirs"
    assert "Someone else changed the narrative" in text(response)


def test_the_narrative_follows_the_values_access_and_calendar(focal_hn, focal_sv):
    honduras = Country.objects.get(code="HN")
    with pytest.raises(PermissionDenied):
        narratives.narrative_save(
            user=focal_sv, country=honduras, period=Period.objects.get(code="2026"), progress="x"
        )
    with pytest.raises(ValidationError):
        narratives.narrative_save(
            user=focal_hn, country=honduras, period=Period.objects.get(code="2019"), progress="x"
        )
    narrative = narratives.narrative_save(
        user=focal_hn, country=honduras, period=Period.objects.get(code="2026"), progress="x"
    )
    with pytest.raises(PermissionDenied):
        narratives.narrative_submit(user=focal_sv, narrative=narrative)
    with pytest.raises(ValidationError):  # only submitted narratives are validated
        narratives.narrative_validate(user=make_user("s2", "secretariat"), narrative=narrative)
    assert Narrative.objects.get().status == Status.DRAFT


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("other", OTHERS)
def test_a_focal_point_cannot_read_or_write_another_countrys_page(client, focal_hn, other):
    client = signed_in(client, focal_hn)
    assert client.get(url(other)).status_code in (403, 404)
    before = fingerprint()
    response = client.post(
        url(other),
        {
            "action": "submit",
            "v1-number": "3",
            "v1-version": "0",
            "v1-seen": "-",
            "narrative-progress": "x",
            "narrative-version": "0",
            "narrative-seen": "-",
        },
    )
    assert response.status_code in (403, 404)
    assert fingerprint() == before


@pytest.mark.parametrize("other", OTHERS)
def test_each_focal_point_is_refused_the_honduras_page(client, focal_points, other):
    client = signed_in(client, focal_points[other])
    before = fingerprint()
    assert client.get(url("HN")).status_code in (403, 404)
    assert client.post(url("HN"), {"action": "save", "v1-number": "3"}).status_code in (403, 404)
    assert fingerprint() == before


def test_regional_values_are_the_secretariats(client, focal_hn, secretariat):
    assert signed_in(client, focal_hn).get(url("region")).status_code == 403
    client = signed_in(client, secretariat)
    page = client.get(url("region", lang="en"))
    assert page.status_code == 200
    assert "Regional values" in text(page) and 'name="narrative-progress"' not in page.text
    response = post(client, {f"{prefix(CAMPAIGNS)}-number": "2"}, country="region")
    assert response.status_code == 302
    assert entered().get().country is None


def test_the_secretariat_can_enter_a_countrys_values(client, secretariat):
    response = post(signed_in(client, secretariat), {f"{prefix(CAMPAIGNS)}-number": "2"})
    assert response.status_code == 302
    assert entered().get().country.code == "HN"


def test_an_unknown_country_or_period_is_not_found(client, secretariat):
    client = signed_in(client, secretariat)
    assert client.get(url("XX")).status_code == 404
    assert client.get(url("HN", "1999")).status_code == 404


# --- Rows shown without a form (issue 13) -----------------------------------------------------


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize(
    "code, stored",
    [
        (CAMPAIGNS, None),
        (CAMPAIGNS, {"number": Decimal("12"), "comment": 'Two <b>"towns"</b> & more\r\nlines'}),
        (TRAINERS, None),
        (
            TRAINERS,
            {"number": Decimal("7"), "disaggregation": {"level": {"national": 5, "regional": 2}}},
        ),
        (BUDGET, None),
        (BUDGET, {"number": Decimal("1")}),
        (MEDIA, {"text": "Radio <spots>\nand print", "comment": "x"}),
        ("PCT-SHOWN", {"number": Decimal("12.50")}),
    ],
)
def test_a_row_shown_as_stored_has_the_inputs_its_form_would_have(code, stored, lang):
    """On a GET (and for the rows a POST did not carry) a row's inputs are written from plain
    data (monitoring.entry.fields.RowShown), not from a form: the same markup, names, ids,
    labels, values, attributes and digest as its unbound ValueRowForm."""
    from monitoring.entry import inputs
    from monitoring.entry.fields import RowShown
    from monitoring.entry.forms import ValueRowForm

    indicator = Indicator.objects.filter(code=code).first() or Indicator.objects.create(
        code=code, goal=ind(WORKSHOPS).goal, order=98, name="Share", kind="percentage"
    )
    value = None
    if stored is not None:
        value = Value(indicator=indicator, period=Period.objects.get(code="2026"), version=3)
        for name, content in stored.items():
            setattr(value, name, content)
    prefix = f"v{indicator.pk}"
    with translation.override(lang):
        shown = inputs.row_inputs(
            RowShown(
                prefix=prefix,
                indicator=indicator,
                value=value,
                declared=ValueRowForm.base_fields,
            ),
            evidence_name="acta.pdf",
        )
        form = ValueRowForm(prefix=prefix, indicator=indicator, value=value)
        assert shown == inputs.row_inputs(form, evidence_name="acta.pdf")
    assert f'name="{prefix}-seen" value="{form.initial["seen"]}"' in shown
    assert f'name="{prefix}-version" value="{3 if value else 0}"' in shown


@pytest.mark.parametrize("lang", ["es", "en"])
def test_cells_made_once_per_language_are_the_ones_written_one_by_one(lang):
    """The breakdown's cells of a row as stored come from markup made once per language
    (inputs._cells_shown); it is what the field-by-field writer of posted rows gives."""
    from monitoring.entry import inputs
    from monitoring.entry.forms import ValueRowForm

    indicator = ind(TRAINERS)
    value = Value(indicator=indicator, number=Decimal("7"), version=2)
    value.disaggregation = {"level": {"national": 5, "regional": "<2>", "extra_regional": 0}}
    form = ValueRowForm(prefix="v10", indicator=indicator, value=value)
    with translation.override(lang):
        for dimension, names in form.dimensions:
            markup, figures, _opened = inputs._cells_typed(form, names, False)
            assert (markup, figures) == inputs._cells_shown(form, dimension, names, lang)
            assert figures == 3 and 'value="&lt;2&gt;"' in markup


# --- Queries ----------------------------------------------------------------------------------


def test_the_entry_page_takes_a_fixed_number_of_queries(
    client, focal_hn, django_assert_max_num_queries
):
    client = signed_in(client, focal_hn)
    client.get(url("HN"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as empty:
        client.get(url("HN"))

    countries = list(Country.objects.all())
    periods = list(Period.objects.filter(code__in=["2020", "2021", "2022", "2023", "2024"]))
    periods += list(Period.objects.filter(code__in=["2025", "2026"]))
    indicators = list(Indicator.objects.current().filter(frequency="annual"))
    Value.objects.bulk_create(
        Value(
            indicator=indicator,
            country=country,
            period=period,
            number=Decimal(5),
            status=Status.RETURNED if country.code == "HN" else Status.VALIDATED,
            review_comment="Check",
            disaggregation={"level": {"national": 5}} if indicator.disaggregations else {},
        )
        for indicator in indicators
        for country in countries
        for period in periods
    )
    Target.objects.bulk_create(
        Target(indicator=indicator, country=country, period=period, value=7)
        for indicator in indicators
        for country in countries
        for period in periods
    )
    Narrative.objects.create(country=countries[0], period=periods[-1], progress="x")

    with django_assert_max_num_queries(16) as full:
        response = client.get(url("HN"))
    assert response.status_code == 200
    assert len(full.captured_queries) == len(empty.captured_queries)
    assert response.content.decode().count('entry-returned"') == len(indicators)


def test_now_is_inside_2026_for_these_tests():
    # The fixtures' calendar: 2026 open, 2025 closed (late), 2019 locked. The tests above rely on
    # it, like tests/test_value_services.py does.
    assert Period.objects.get(code="2026").state == Period.State.OPEN, timezone.now()
    assert datetime(2027, 3, 31).date() >= timezone.localdate()


# --- Evidence files (corett.uploads.check_evidence) -------------------------------------------


def image_bytes(kind="PNG", size=(20, 10), mode="RGB") -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, kind)
    return buffer.getvalue()


def xlsx_bytes(extra=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content",
    [
        ("acta.pdf", b"%PDF-1.7\n"),
        ("foto.png", image_bytes()),
        ("foto.JPG", image_bytes("JPEG")),
        ("foto.jpeg", image_bytes("JPEG")),
        ("cuadro.xlsx", xlsx_bytes()),
    ],
)
def test_evidence_of_the_accepted_kinds_passes(name, content):
    evidence = check_evidence(SimpleUploadedFile(name, content))
    assert evidence.data == content and evidence.name == name


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("programa.exe", b"MZ\x90\x00", "extension"),
        ("pagina.html", b"<html>", "extension"),
        ("acta.pdf", b"<html>not a pdf</html>", "content_mismatch"),
        ("foto.jpg", image_bytes("PNG"), "content_mismatch"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "damaged"),
        ("cuadro.xlsx", b"%PDF-1.4", "not_xlsx"),
        ("macros.xlsx", xlsx_bytes({"xl/vbaProject.bin": b"x"}), "macros"),
        ("vacio.pdf", b"", "empty"),
        ("enorme.png", image_bytes(size=(8000, 6000), mode="1"), "too_many_pixels"),
    ],
)
def test_evidence_is_checked_by_its_content(name, content, code):
    with pytest.raises(ValidationError) as refusal:
        check_evidence(SimpleUploadedFile(name, content))
    assert refusal.value.code == code


def test_evidence_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError) as refusal:
        check_evidence(SimpleUploadedFile("acta.pdf", b"%PDF-" + b"x" * 100), max_bytes=50)
    assert refusal.value.code == "too_large"


# --- Odd input --------------------------------------------------------------------------------


def test_a_percentage_takes_two_decimals_with_a_point(client, focal_hn):
    share = Indicator.objects.create(
        code="PCT-1", goal=ind(CAMPAIGNS).goal, order=99, name="Share", kind="percentage"
    )
    client = signed_in(client, focal_hn)
    field = f"v{share.pk}-number"
    refused = post(client, {field: "120"}, lang="en")
    assert "A percentage is between 0 and 100." in row_html(refused, "PCT-1")
    saved = post(client, {field: "12.5"}, lang="en")
    assert saved.status_code == 302
    assert entered().get().number == Decimal("12.5")
    page = client.get(url("HN", lang="en"))
    assert form_data(page)[field] == "12.5"
    assert "12.5 %" not in row_html(page, "PCT-1")  # still a draft: shown in its input


@pytest.mark.parametrize(
    "changes",
    [
        {"v1-number": "1e3"},
        {"v1-number": "NaN"},
        {"v1-number": "١٢"},
        {"v1-number": "9" * 40},
        {"v1-number": "3\x00"},
        {"v1-comment": "x" * 5000, "v1-number": "3"},
        {"v1-number": "3", "v1-version": "abc"},
        {"v1-number": "3", "v1-version": "-1"},
        {"v6-number": "2"},
        {"v10-number": "3", "v10-level__national": "-3", "v10-level__regional": "6"},
        {"v10-number": "3", "v10-level__national": "1.5"},
        {"narrative-progress": "x" * 6000},
        {"narrative-version": "nope", "narrative-progress": "x"},
    ],
)
def test_odd_input_is_refused_beside_its_row_never_with_a_500(client, focal_hn, changes):
    before = fingerprint()
    response = post(signed_in(client, focal_hn), changes, lang="en")
    assert response.status_code == 200
    assert "Nothing was saved" in text(response)
    assert fingerprint() == before
