"""Where report files live and how they are written: through Django's storage API only, in
settings.STORAGES["reports"] (a folder, REPORTS_ROOT, or a prefix of the object storage bucket;
see corett/storages.py), never served as static or media files: only the permission-checked views
read them.

A report appears whole or not at all, on either storage:
- on the file system, the file is written beside its name, flushed, then renamed over it;
- in object storage, one PUT is atomic: the object can be read only once the upload has
  completed, and an upload cut off (a killed worker, a dropped connection) leaves no object (a
  multipart upload, for files past boto3's 8 MB threshold, likewise shows nothing until it is
  completed or aborted).
So a file that exists is a whole report, and the same inputs on the same data (the data version is
part of the name) reuse it instead of rendering it again, whichever process or machine made it."""

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

ALIAS = "reports"


def backend() -> Storage:
    return storages[ALIAS]


def file_name(*, scope: str, period: str, language: str, draft: bool, version: str) -> str:
    """The file's name in the reports storage. The data version is part of it: the same inputs on
    the same data name the same file, which is then reused rather than rendered again."""
    suffix = "-draft" if draft else ""
    return f"{period}/corett-{scope.lower()}-{period}-{language}{suffix}-{version[:16]}.pdf"


def exists(name: str) -> bool:
    """Raises SuspiciousOperation for a name that would leave the reports storage."""
    return bool(name) and backend().exists(name)


def write_atomically(name: str, content: bytes | File) -> str:
    """Stores the report under `name` in one step (see above); returns its name. Raises OSError
    (or the object storage's error) when the storage refuses."""
    if isinstance(content, bytes):
        content = ContentFile(content)
    return backend().save(name, content)


def open_report(name: str) -> File:
    """The stored file, opened for reading (FileNotFoundError when it is gone)."""
    return backend().open(name, "rb")


def size(name: str) -> int:
    return backend().size(name)


def remove_leftovers(older_than: float) -> int:
    """Deletes what killed workers left half-written (older than `older_than` seconds): temporary
    files on the file system; object storage keeps no partial objects."""
    remove = getattr(backend(), "remove_partial_files", None)
    return remove(older_than=older_than) if remove else 0
