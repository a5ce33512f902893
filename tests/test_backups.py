"""Backup and restore (issue 16): `manage.py backup` writes the database (pg_dump's custom format on
PostgreSQL, a copy on SQLite) and every stored file, with a manifest; after the database and the
storage are emptied, `manage.py restore` brings back the same values, history and reports. On the
file system into a folder, and in object storage into a bucket."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from corett import backups
from monitoring.models import Period, ReportRequest, Value, ValueAudit
from monitoring.reports import services as reports
from monitoring.values import services
from strategy import services as plan
from strategy.models import Activity, Country, Indicator
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(params=["filesystem", "s3"])
def where(request, settings, tmp_path):
    """The portal's files and the backup's place: folders, or the bucket."""
    if request.param == "s3":
        object_storage, prefix = request.getfixturevalue("in_object_storage")
        return f"s3://{object_storage.bucket}/{prefix}-backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTS_ROOT = tmp_path / "media" / "reports"
    return str(tmp_path / "backups")


def world(secretariat, focal_hn, observer):
    """Values with their audit trail, a plan edit with its history, evidence, a report."""
    period = Period.objects.get(code="2026")
    value = services.value_save(
        user=focal_hn,
        indicator=Indicator.objects.get(code="SEN-1.1.1-a"),
        country=focal_hn.country,
        period=period,
        number=17,
        path="form",
    )
    value.evidence.save("acta.pdf", ContentFile(b"%PDF-1.4 the minutes"), save=False)
    Value.objects.filter(pk=value.pk).update(evidence=value.evidence.name)
    value = services.value_submit(user=focal_hn, value=Value.objects.get(pk=value.pk), path="form")
    services.value_validate(user=secretariat, value=value, path="form")
    item = Activity.objects.current().order_by("pk").first()
    plan.plan_item_update(
        user=secretariat, instance=item, data={"text_en": "Restored text"}, version=item.version
    )
    report = reports.report_request(
        user=observer,
        country=Country.objects.get(code="GT"),
        period=Period.objects.get(code="2019"),
        language="en",
    )
    report.refresh_from_db()
    assert report.status == "done", report.error
    return value, item, report


def snapshot(client, observer, secretariat, value, item, report):
    """What people would find: the figures, their audit trail, the plan's history, the files as
    downloaded."""
    signed_in(client, secretariat)
    evidence = client.get(reverse("monitoring:value_evidence", kwargs={"pk": value.pk}))
    client.logout()
    signed_in(client, observer)
    pdf = client.get(reverse("monitoring:report_download", kwargs={"pk": report.pk}))
    client.logout()
    return {
        "values": list(Value.objects.order_by("pk").values_list("pk", "number", "status")),
        "audit": list(ValueAudit.objects.order_by("pk").values_list("pk", "action", "user_id")),
        "history": list(item.history.order_by("history_id").values_list("history_id", "text_en")),
        "reports": list(ReportRequest.objects.values_list("pk", "status", "file")),
        "evidence": b"".join(evidence.streaming_content),
        "pdf": b"".join(pdf.streaming_content),
    }


def empty_everything() -> None:
    """A new, empty database and empty storages, as on a machine being rebuilt."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    for alias in backups.ALIASES:
        storage = storages[alias]
        for name in backups.stored_names(alias):
            storage.delete(name)
        assert backups.stored_names(alias) == []


def test_a_backup_restored_into_an_empty_portal_gives_back_the_same_values_history_and_reports(
    where,
    client,
    secretariat,
    focal_hn,
    observer,
):
    value, item, report = world(secretariat, focal_hn, observer)
    before = snapshot(client, observer, secretariat, value, item, report)
    assert before["evidence"] == b"%PDF-1.4 the minutes" and before["pdf"].startswith(b"%PDF")
    assert len(before["audit"]) >= 3 and len(before["history"]) >= 2

    call_command("backup", "--to", where, "--name", "nightly")
    storage = backups.backup_storage(f"{where}/nightly")
    manifest = json.loads(storage.open("manifest.json").read())
    assert manifest["database"]["vendor"] == connection.vendor
    assert [e["name"] for e in manifest["files"]["reports"]] == [report.file]
    assert [e["name"] for e in manifest["files"]["default"]] == [value.evidence.name]
    assert manifest["database"]["rows"]["monitoring.Value"] == len(before["values"])

    empty_everything()
    call_command("restore", "--from", f"{where}/nightly", "--yes")

    assert snapshot(client, observer, secretariat, value, item, report) == before
    # and the portal works on: a new value, a new report
    services.value_save(
        user=focal_hn,
        indicator=Indicator.objects.get(code="SEN-2.1.1-a"),
        country=focal_hn.country,
        period=Period.objects.get(code="2026"),
        number=4,
        path="form",
    )


def test_a_damaged_backup_is_refused_before_anything_is_replaced(
    where,
    client,
    secretariat,
    focal_hn,
    observer,
):
    value, _item, report = world(secretariat, focal_hn, observer)
    call_command("backup", "--to", where, "--name", "b1")
    storage = backups.backup_storage(f"{where}/b1")
    damaged = f"files/reports/{report.file}"
    storage.delete(damaged)
    storage.save(damaged, ContentFile(b"%PDF-1.7 something else"))
    Value.objects.filter(pk=value.pk).update(number=99)  # changed since the backup

    with pytest.raises(CommandError, match="does not match the manifest"):
        call_command("restore", "--from", f"{where}/b1", "--yes")
    assert Value.objects.get(pk=value.pk).number == 99  # nothing was replaced

    with pytest.raises(CommandError, match="no manifest.json"):
        call_command("restore", "--from", f"{where}/no-such-backup", "--yes")
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", "--to", where, "--name", "b1")
