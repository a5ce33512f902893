"""Stored files on either storage (issue 16): a report appears whole or not at all, the same inputs
reuse the stored file, evidence is kept and served, on the file system and in a real
S3-compatible server (moto in server mode on loopback, started once per session by
tests/conftest.py). The portal reads and writes through Django's storage API only: here nothing
may appear in MEDIA_ROOT while the files go to the bucket."""

import io
import uuid

import pypdf
import pytest
from boto3.s3.transfer import TransferConfig
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import Period, ReportRequest
from monitoring.reports import services, storage
from strategy.models import Country
from tests.conftest import signed_in
from tests.processes import empty_folder
from tests.test_data_entry import CAMPAIGNS, WORKSHOPS, entered, post
from tests.test_data_entry import prefix as row

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture(params=["filesystem", "s3"])
def kind(request, settings, tmp_path):
    """Each test twice: reports in a folder of its own, then in the bucket."""
    if request.param == "s3":
        return "s3", request.getfixturevalue("in_object_storage")
    settings.REPORTS_ROOT = tmp_path / "reports"
    return "filesystem", None


class FailingStream(io.RawIOBase):
    """A report's bytes that can be read up to `fail_at`, then the read fails, as when a disk
    fills up or a connection drops in the middle of a write."""

    def __init__(self, data: bytes, fail_at: int):
        self.data, self.fail_at, self.position = data, fail_at, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: len(self.data)}[
            whence
        ] + offset
        return self.position

    def tell(self):
        return self.position

    def read(self, size=-1):
        end = len(self.data) if size is None or size < 0 else self.position + size
        if min(end, len(self.data)) > self.fail_at:  # fails, never a short read (that is the end)
            raise OSError("the connection dropped")
        chunk = self.data[self.position : end]
        self.position += len(chunk)
        return chunk


def failing(data: bytes, fail_at: int) -> File:
    stream = FailingStream(data, fail_at)
    return File(stream, name="report.pdf")


def stored(name: str) -> bytes:
    with storage.open_report(name) as handle:
        return handle.read()


def test_a_report_is_whole_or_absent_when_its_write_fails(kind):
    name = "2019/corett-gt-2019-en-0123456789abcdef.pdf"
    whole = b"%PDF-1.7 " + b"first version " * 20_000
    with pytest.raises(OSError):
        storage.write_atomically(name, failing(whole, len(whole) // 2))
    assert not storage.exists(name)  # nothing to reuse: the next attempt renders it again

    assert storage.write_atomically(name, whole) == name
    again = b"%PDF-1.7 " + b"second version " * 20_000
    with pytest.raises(OSError):
        storage.write_atomically(name, failing(again, len(again) // 2))
    assert stored(name) == whole  # a reader still gets the whole earlier file
    assert storage.backend().listdir("2019") == ([], [name.split("/")[1]])


def test_a_large_report_cut_off_in_a_multipart_upload_leaves_no_object(in_object_storage, settings):
    """Past boto3's multipart threshold a file goes up in parts: until the upload is completed
    none of it can be read, and a failed upload is aborted."""
    object_storage, prefix = in_object_storage
    settings.STORAGES["reports"]["OPTIONS"]["transfer_config"] = TransferConfig(
        multipart_threshold=5 * MB, multipart_chunksize=5 * MB, use_threads=False
    )
    settings.STORAGES = {**settings.STORAGES}  # the storages are made again with it
    name = "2019/corett-regional-2019-es-0123456789abcdef.pdf"
    data = b"%PDF-1.7 " + bytes(12 * MB)
    with pytest.raises(OSError):
        storage.write_atomically(name, failing(data, 11 * MB))  # two parts sent, the third fails
    assert not storage.exists(name)
    uploads = object_storage.client().list_multipart_uploads(Bucket=object_storage.bucket)
    assert uploads.get("Uploads", []) == []  # aborted, not left to linger
    assert storage.write_atomically(name, data) == name
    assert storage.size(name) == len(data)
    assert object_storage.keys(prefix) == [f"{prefix}/reports/{name}"]


def pdf_text(data: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def ask(user, code, capture):
    with capture(execute=True):
        report = services.report_request(
            user=user,
            country=Country.objects.get(code=code),
            period=Period.objects.get(code="2019"),
            language="en",
        )
    report.refresh_from_db()
    return report


def test_a_report_in_the_bucket_is_reused_and_downloaded_through_the_view(
    in_object_storage, settings, client, observer, secretariat, django_capture_on_commit_callbacks
):
    object_storage, prefix = in_object_storage
    first = ask(observer, "GT", django_capture_on_commit_callbacks)
    assert first.status == ReportRequest.State.DONE, first.error
    assert object_storage.keys(f"{prefix}/reports/") == [f"{prefix}/reports/{first.file}"]
    assert first.size == storage.size(first.file) > 1000

    second = ask(secretariat, "GT", django_capture_on_commit_callbacks)
    assert (second.status, second.attempts, second.file) == ("done", 0, first.file)  # reused

    signed_in(client, observer)
    response = client.get(reverse("monitoring:report_download", kwargs={"pk": first.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(b"".join(response.streaming_content))
    assert "Guatemala" in text and "434" in text  # Guatemala, 2019 (Chart 3)
    assert empty_folder(settings.MEDIA_ROOT.parent) == []  # nothing written locally


def test_a_report_whose_object_is_gone_is_404_not_an_error(
    in_object_storage, client, observer, django_capture_on_commit_callbacks
):
    object_storage, prefix = in_object_storage
    report = ask(observer, "GT", django_capture_on_commit_callbacks)
    object_storage.client().delete_object(
        Bucket=object_storage.bucket, Key=f"{prefix}/reports/{report.file}"
    )
    signed_in(client, observer)
    url = reverse("monitoring:report_download", kwargs={"pk": report.pk})
    assert client.get(url).status_code == 404


def test_evidence_goes_to_the_bucket_and_comes_back_through_the_permission_checked_view(
    in_object_storage, settings, client, focal_hn, observer
):
    object_storage, prefix = in_object_storage
    first = b"%PDF-1.4\n%the first act\n"
    second = b"%PDF-1.4\n%another act, same file name\n"
    response = post(
        signed_in(client, focal_hn),
        {f"{row(CAMPAIGNS)}-number": "3", f"{row(WORKSHOPS)}-number": "4"},
        files={
            f"{row(CAMPAIGNS)}-evidence": SimpleUploadedFile("acta.pdf", first),
            f"{row(WORKSHOPS)}-evidence": SimpleUploadedFile("acta.pdf", second),
        },
    )
    assert response.status_code == 302
    values = {value.indicator.code: value for value in entered().select_related("indicator")}
    names = {values[CAMPAIGNS].evidence.name, values[WORKSHOPS].evidence.name}
    assert len(names) == 2  # the same file name twice: both kept, neither overwritten
    assert object_storage.keys(f"{prefix}/evidence/") == sorted(f"{prefix}/{n}" for n in names)

    for code, content in ((CAMPAIGNS, first), (WORKSHOPS, second)):
        url = reverse("monitoring:value_evidence", kwargs={"pk": values[code].pk})
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content
    client.logout()
    signed_in(client, observer)
    assert client.get(url).status_code == 404  # observers see validated figures, not evidence
    assert empty_folder(settings.MEDIA_ROOT.parent) == []


def test_names_cannot_leave_the_bucket_prefix(in_object_storage):
    from django.core.exceptions import SuspiciousOperation

    with pytest.raises(SuspiciousOperation):
        storage.exists(f"../../{uuid.uuid4().hex}.pdf")
