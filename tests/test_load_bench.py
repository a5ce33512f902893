"""The load test's pieces (benchmarks/load) against the real portal: the seeding reuses the
monitoring benchmark's data set and gives the secretariat TOTP devices whose codes the load test
computes; the data-entry form and the value spreadsheet, changed as the locustfile changes them,
are accepted; the locustfile imports with a seeded manifest."""

import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from corett.models import User
from monitoring.models import Value

LOAD = Path(__file__).resolve().parent.parent / "benchmarks" / "load"


def load_module(name):
    environ = dict(os.environ)  # seed.py sets defaults for a stand-alone run: keep ours
    spec = importlib.util.spec_from_file_location(f"load_bench_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    finally:
        os.environ.clear()
        os.environ.update(environ)
    return module


seed = load_module("seed")
browser = load_module("browser")


@pytest.fixture
def seeded(db):
    bench = seed.seed_values(2, 36)
    period = seed.open_quarter(bench)
    shape = seed.shape_deadline(period, random.Random(7))
    accounts = seed.seed_accounts(2, 1, 1)
    return bench, period, shape, accounts


def test_seed_builds_the_benchmark_data_set_and_one_account_per_user(seeded):
    bench, period, shape, accounts = seeded
    assert (
        Value.objects.filter(indicator__in=bench.indicators).count()
        == 2 * 36 * 9 - shape["missing"]
    )
    assert sum(shape.values()) == 2 * 9
    assert len(accounts["focal_points"]) == 2 * 9
    assert [a["country"] for a in accounts["focal_points"][:9]] == sorted(
        {a["country"] for a in accounts["focal_points"]}
    )
    (secretariat,) = accounts["secretariat"]
    assert TOTPDevice.objects.get(user__username=secretariat["username"]).confirmed


def test_secretariat_signs_in_with_the_code_the_load_test_computes(seeded):
    secretariat = seeded[3]["secretariat"][0]
    client = Client()
    answer = client.post(
        "/es/accounts/login/",
        {"username": secretariat["username"], "password": seed.PASSWORD, "next": "/es/"},
    )
    assert answer.status_code == 302 and "/accounts/verify/" in answer["Location"]
    answer = client.post(answer["Location"], {"code": browser.totp(secretariat["totp_key"])})
    assert answer.status_code == 302 and answer["Location"] == "/es/"


def test_entry_page_changed_as_the_load_test_changes_it_is_saved(seeded):
    bench, period, _shape, accounts = seeded
    focal = next(a for a in accounts["focal_points"] if a["country"] == "HN")
    client = Client()
    client.force_login(User.objects.get(username=focal["username"]))
    url = f"/es/monitoring/entry/HN/{period.code}/"
    form = browser.post_form(
        client.get(url).content.decode(), lambda names: any(n.endswith("-seen") for n in names)
    )
    editable = [i for i in bench.indicators if f"v{i.pk}-number" in form.names()]
    assert editable, "the seeded open quarter has values to edit"
    indicator = editable[0]
    before = Value.objects.filter(indicator=indicator, country__code="HN", period=period).first()
    browser.bump_row(form, f"v{indicator.pk}-")
    body, content_type = browser.urlencoded(browser.entry_form_fields(form))
    answer = client.post(url, body, content_type=content_type)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    after = Value.objects.get(indicator=indicator, country__code="HN", period=period)
    if before is not None:
        assert after.number == before.number + 1
    for counts in after.disaggregation.values():
        assert sum(counts.values()) == after.number


def test_spreadsheet_cut_by_the_load_test_previews_without_errors(seeded):
    bench, period, _shape, accounts = seeded
    focal = next(a for a in accounts["focal_points"] if a["country"] == "HN")
    client = Client()
    client.force_login(User.objects.get(username=focal["username"]))
    template = client.get(f"/en/monitoring/spreadsheets/{period.code}/HN/template.csv").content
    content = browser.small_sheet(template, {i.code for i in bench.indicators})
    assert content is not None
    upload = client.post(
        "/en/monitoring/spreadsheets/import/",
        {"file": SimpleUploadedFile("HN.csv", content, content_type="text/csv")},
    )
    assert upload.status_code == 302
    preview = client.get(upload["Location"]).content.decode()
    form = browser.form_to(preview, "/confirm/")
    assert form is not None, preview
    assert client.post(form.action, dict(form.fields)).status_code == 302


def test_locustfile_imports_with_a_seeded_manifest(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "password": "x",
                "period": "2026-Q4",
                "earlier_periods": ["2026-Q3"],
                "indicators": {"bench-00000": 1},
                "countries": ["HN"],
                "focal_per_country": 1,
                "focal_points": [{"username": "load-fp-hn-01", "country": "HN"}],
                "secretariat": [{"username": "load-sec-01", "totp_key": "00" * 20}],
                "observers": [{"username": "load-obs-01"}],
            }
        )
    )
    result = subprocess.run(
        [sys.executable, "-c", "import locustfile; print(sorted(locustfile.POOLS))"],
        cwd=LOAD,
        env={**os.environ, "LOAD_MANIFEST": str(manifest)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"\['focal_point', 'observer', 'secretariat'\]", result.stdout)
