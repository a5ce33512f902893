"""Open data (issue 14, part 4): every published package passes `frictionless validate`, and a
package broken on purpose fails it; only validated values, small cells as the public reads them;
ETag and Last-Modified; an old code answers 301; titles in the page's language; the API lists the
catalogue; the pages that show the figures link to them."""

import csv
import io
import json
import random
import zipfile
from datetime import date

import frictionless
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from monitoring.models import Period, Status, Value
from monitoring.values import workflow
from strategy import services as plan_services
from strategy.dimensions import DIMENSIONS, NOT_SPECIFIED
from strategy.models import Country, Indicator
from tests.disclosure_attack import random_reported

pytestmark = pytest.mark.django_db

VICTIMS = "identified-victims"
PERIOD = "2031"
COUNTRIES = ("CR", "GT", "HN", "NI", "PA", "SV")
CATEGORIES = {key: list(d.categories) for key, d in DIMENSIONS.items()}
COLUMNS = "indicator,country,period,dimension,category,value,unit,validated_on"


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.deactivate()


@pytest.fixture
def seeded(settings):
    """Identified victims for 2031, broken down by every dimension with many small cells, every
    value validated; and a draft and a submitted value that must not be published."""
    settings.SMALL_CELL_THRESHOLD = 5
    period = Period.objects.create(
        code=PERIOD,
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 12, 31),
        opens_on=date(2032, 1, 1),
        closes_on=date(2032, 3, 31),
    )
    victims = Indicator.objects.get(code=VICTIMS)
    victims.disaggregations = list(DIMENSIONS)
    victims.save(update_fields=["disaggregations"])
    reported = random_reported(random.Random(14), countries=COUNTRIES, categories=CATEGORIES)
    for code, value in reported.items():
        Value.objects.create(
            indicator=victims,
            country=Country.objects.get(code=code),
            period=period,
            number=value.total,
            disaggregation={d: dict(cells) for d, cells in value.breakdown.items()},
            status=Status.VALIDATED,
            source="Ministerio Público",
            updated_at=timezone.now(),
        )
    for code, status in (("BZ", Status.DRAFT), ("DO", Status.SUBMITTED)):
        Value.objects.create(
            indicator=victims,
            country=Country.objects.get(code=code),
            period=period,
            number=777,
            status=status,
        )
    return reported


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def published_codes(client) -> list[str]:
    codes, url = [], "/api/v1/datasets/"
    while url:
        page = get(client, url).json()
        codes += [item["code"] for item in page["results"]]
        url = page["next"]
    return codes


def write_package(client, folder, code, lang="es"):
    """The package and its data as a harvester saves them: datapackage.json beside data.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("datapackage.json", "data.csv"):
        (folder / name).write_bytes(get(client, f"/{lang}/data/{code}/{name}").content)
    return folder / "datapackage.json"


def validated(path) -> frictionless.Report:
    return frictionless.validate(str(path))


def errors(report) -> set[str]:
    return {error.type for task in report.tasks for error in task.errors} | {
        error.type for error in report.errors
    }


def rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


# --- Frictionless -------------------------------------------------------------------------------


def test_every_published_package_passes_frictionless_validate(client, seeded, tmp_path):
    codes = published_codes(client)
    assert VICTIMS in codes and len(codes) == Indicator.objects.current().count()
    for code in codes:
        report = validated(write_package(client, tmp_path / code, code))
        assert report.valid, (code, report.flatten(["type", "note"]))


def test_the_catalogue_zip_is_a_valid_package_of_every_package(client, seeded, tmp_path):
    content = get(client, "/en/data/corett-open-data.zip").content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path)
        names = set(archive.namelist())
    top = json.loads((tmp_path / "datapackage.json").read_text())
    assert len(top["resources"]) == Indicator.objects.current().count()
    for resource in top["resources"]:
        assert {f"{resource['name']}/data.csv", f"{resource['name']}/datapackage.json"} <= names
    assert validated(tmp_path / "datapackage.json").valid
    assert validated(tmp_path / "identified-victims" / "datapackage.json").valid
    assert (tmp_path / "identified-victims" / "data.csv").read_bytes() == get(
        client, "/en/data/identified-victims/data.csv"
    ).content


def test_a_package_broken_on_purpose_fails(client, seeded, tmp_path):
    path = write_package(client, tmp_path / "good", VICTIMS)
    assert validated(path).valid
    data = (tmp_path / "good" / "data.csv").read_text().splitlines()
    first = data[1].split(",")
    assert first[3] == "" and first[5].isdigit()  # the figure of the first value

    not_a_number = [data[0], ",".join([*first[:5], "abc", *first[6:]]), *data[2:]]
    (tmp_path / "good" / "data.csv").write_text("\r\n".join(not_a_number) + "\r\n")
    report = validated(path)
    assert not report.valid and "type-error" in errors(report)

    path = write_package(client, tmp_path / "category", VICTIMS)
    data = (tmp_path / "category" / "data.csv").read_text()
    assert ",sex,women," in data
    (tmp_path / "category" / "data.csv").write_text(data.replace(",sex,women,", ",sex,ghosts,", 1))
    report = validated(path)
    assert not report.valid and "constraint-error" in errors(report)


# --- What is published ----------------------------------------------------------------------------


def test_only_validated_values_are_published(client, seeded):
    table = rows(get(client, f"/es/data/{VICTIMS}/data.csv").content)
    ours = [row for row in table if row["period"] == PERIOD]
    assert {row["country"] for row in ours} == set(COUNTRIES)
    assert "777" not in {row["value"] for row in table}
    historical = Value.objects.validated().for_indicator(VICTIMS).exclude(period__code=PERIOD)
    totals = [row for row in table if not row["dimension"]]
    assert len(totals) == len(COUNTRIES) + historical.count()


def test_the_data_is_tidy_and_typed(client, seeded):
    content = get(client, f"/en/data/{VICTIMS}/data.csv").content
    assert content.decode("utf-8").splitlines()[0] == COLUMNS
    assert not content.startswith(b"\xef\xbb\xbf")  # no byte-order mark: a file for machines
    table = rows(content)
    hn = [row for row in table if row["period"] == PERIOD and row["country"] == "HN"]
    assert hn[0]["dimension"] == "" and int(hn[0]["value"]) == seeded["HN"].total
    assert {row["dimension"] for row in hn[1:]} <= set(DIMENSIONS)
    assert all(row["unit"] == hn[0]["unit"] for row in hn)
    package = get(client, f"/en/data/{VICTIMS}/datapackage.json").json()
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == COLUMNS.split(",")
    assert fields["value"]["type"] == "integer"
    assert fields["validated_on"]["type"] == "date"
    assert set(fields["category"]["constraints"]["enum"]) == {
        c for d in DIMENSIONS.values() for c in d.categories
    } | {NOT_SPECIFIED}
    assert "HN" in fields["country"]["constraints"]["enum"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["profile"] == "tabular-data-package"
    assert {"title": "Ministerio Público"} in package["sources"]


def test_small_cells_are_published_as_the_values_api_shows_them_to_the_public(client, seeded):
    table = rows(get(client, f"/es/data/{VICTIMS}/data.csv").content)
    published = {
        (row["country"], row["dimension"], row["category"]): row["value"]
        for row in table
        if row["period"] == PERIOD and row["dimension"]
    }
    api = get(client, f"/api/v1/values/?period={PERIOD}&indicator={VICTIMS}").json()["results"]
    expected = {
        (item["country"], dimension, category): str(shown)
        for item in api
        for dimension, cells in item["disaggregation"].items()
        for category, shown in cells.items()
    }
    assert published == expected
    assert "<5" in published.values() and "n.p." in published.values()
    true = {
        (c, d, k): n
        for c, reported in seeded.items()
        for d, cells in reported.breakdown.items()
        for k, n in cells.items()
    }
    small = [key for key, n in true.items() if 0 < n < 5]
    assert small and all(published[key] in ("<5", "n.p.") for key in small), "a small cell shows"


def test_the_public_reads_the_same_files_whoever_asks(client, seeded, secretariat, focal_hn):
    from tests.conftest import signed_in

    anonymous = get(client, f"/es/data/{VICTIMS}/data.csv").content
    for user in (secretariat, focal_hn):
        assert get(signed_in(client, user), f"/es/data/{VICTIMS}/data.csv").content == anonymous
        client.logout()


# --- Harvesters: ETag, Last-Modified, 304 ---------------------------------------------------


def test_etag_answers_304_until_a_new_validation(client, seeded, secretariat):
    url = f"/es/data/{VICTIMS}/data.csv"
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    submitted = Value.objects.get(country__code="DO", period__code=PERIOD)
    workflow.transition(
        submitted, workflow.VALIDATE, user=secretariat, version=submitted.version, path="form"
    )

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again["ETag"] != etag
    assert "777" in {row["value"] for row in rows(again.content)}
    zipped = get(client, "/es/data/corett-open-data.zip")
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert b",DO,2031,,,777," in archive.read(f"{VICTIMS}/data.csv")  # not a kept old zip
    assert (
        client.get(
            "/es/data/corett-open-data.zip", headers={"If-None-Match": zipped["ETag"]}
        ).status_code
        == 304
    )


def test_another_indicators_validation_leaves_the_etag_alone(client, seeded, secretariat):
    url = f"/es/data/{VICTIMS}/datapackage.json"
    etag = get(client, url)["ETag"]
    other = Indicator.objects.get(code="TRA-2.1.1-a")
    value = Value.objects.create(
        indicator=other,
        country=Country.objects.get(code="HN"),
        period=Period.objects.get(code=PERIOD),
        number=3,
        status=Status.SUBMITTED,
    )
    workflow.transition(value, workflow.VALIDATE, user=secretariat, version=1, path="form")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


# --- Addresses -------------------------------------------------------------------------------


def test_an_old_code_answers_301_to_the_new_one(client, seeded, secretariat):
    victims = Indicator.objects.get(code=VICTIMS)
    plan_services.plan_item_update(
        user=secretariat, instance=victims, data={"code": "victims-id"}, version=victims.version
    )
    for suffix in ("", "data.csv", "datapackage.json"):
        response = client.get(f"/en/data/{VICTIMS}/{suffix}")
        assert response.status_code == 301
        assert response["Location"] == f"/en/data/victims-id/{suffix}"
    assert (
        get(client, "/en/data/victims-id/data.csv")
        .content.splitlines()[1]
        .startswith(b"victims-id,")
    )


def test_an_unknown_or_retired_code_is_a_404(client, seeded, secretariat):
    for code in ("no-such-indicator", "x" * 40, "%00", "a%1fb"):
        assert client.get(f"/es/data/{code}/data.csv").status_code == 404
        assert client.get(f"/es/data/{code}/").status_code == 404
    assert client.get("/api/v1/datasets/no-such-indicator/").status_code == 404
    victims = Indicator.objects.get(code=VICTIMS)
    plan_services.plan_item_retire(user=secretariat, instance=victims, version=victims.version)
    assert client.get(f"/es/data/{VICTIMS}/datapackage.json").status_code == 404


def test_titles_and_descriptions_in_the_pages_language(client, seeded):
    victims = Indicator.objects.get(code=VICTIMS)
    es = get(client, f"/es/data/{VICTIMS}/datapackage.json").json()
    en = get(client, f"/en/data/{VICTIMS}/datapackage.json").json()
    assert victims.name_es in es["title"] and victims.name_en in en["title"]
    assert es["description"] != en["description"]
    assert "validadas" in es["description"] and "validated" in en["description"]
    fields = {f["name"]: f["title"] for f in es["resources"][0]["schema"]["fields"]}
    assert fields["country"] == "País"
    assert es["last_validated"] == en["last_validated"]


# --- The catalogue: API, pages, links -----------------------------------------------------------


def test_the_api_lists_the_catalogue(client, seeded):
    page = get(client, "/api/v1/datasets/", **{"Accept-Language": "en"}).json()
    item = next(i for i in page["results"] if i["code"] == VICTIMS)
    assert item["values"] == Value.objects.validated().for_indicator(VICTIMS).count()
    assert item["data_csv"] == f"http://testserver/en/data/{VICTIMS}/data.csv"
    assert item["datapackage"].endswith(f"/en/data/{VICTIMS}/datapackage.json")
    detail = get(client, f"/api/v1/datasets/{VICTIMS}/").json()
    assert detail["code"] == VICTIMS


def test_pages_and_files_in_a_bounded_number_of_queries(
    client, seeded, django_assert_max_num_queries
):
    for url, most in (
        ("/es/data/", 6),
        (f"/es/data/{VICTIMS}/", 8),
        (f"/es/data/{VICTIMS}/data.csv", 5),
        (f"/es/data/{VICTIMS}/datapackage.json", 6),
        ("/es/data/corett-open-data.zip", 7),
    ):
        with django_assert_max_num_queries(most):
            get(client, url)
    with django_assert_max_num_queries(3):  # its freshness only: the zip is kept for its ETag
        again = get(client, "/es/data/corett-open-data.zip")
    assert again.content == get(client, "/es/data/corett-open-data.zip").content


def test_the_pages_showing_the_figures_link_to_them(client, seeded):
    link = f'href="/es/data/{VICTIMS}/"'
    for url in (
        "/es/",
        "/es/countries/HN/",
        f"/es/monitoring/dashboard/?period={PERIOD}",
        f"/es/monitoring/dashboard/HN/?period={PERIOD}",
    ):
        assert link in get(client, url).content.decode(), url
    value = Value.objects.get(country__code="HN", period__code=PERIOD)
    assert link in get(client, f"/es/monitoring/values/{value.pk}/").content.decode()
    catalogue = get(client, "/es/data/").content.decode()
    assert f'href="/es/data/{VICTIMS}/data.csv"' in catalogue
    assert 'href="/es/data/corett-open-data.zip"' in catalogue


def test_the_breakdowns_are_read_as_the_public(seeded):
    """The open data's reader is corett.access's anonymous one, whom breakdown_seen protects."""
    from corett import access

    assert access.breakdown_seen(access.OPEN_DATA_READER, None) is access.Seen.PROTECTED
    assert isinstance(access.OPEN_DATA_READER, AnonymousUser)
