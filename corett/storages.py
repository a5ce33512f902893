"""Where the portal's files live, and the one place that touches them as files.

Two storages (settings.STORAGES): "default" holds what people upload (evidence of values),
"reports" the PDF reports the workers render. Everything else reads and writes them through
Django's storage API (`storages[alias].open/save/exists/size/delete/listdir`), never by path, so
that the same code runs on this machine's disk or on S3-compatible object storage, where a file
written by a worker on one machine is read by a web process on another.

- `file_storages(kind)`: the STORAGES entries for MEDIA_STORAGE=filesystem (the default) or s3
  (django-storages, configured by its own AWS_* settings).
- `AtomicFileSystemStorage`: Django's FileSystemStorage whose files appear whole or not at all.
  Object storage needs no such care: a PUT is atomic (the object is readable only once the upload
  has completed, and an upload cut off leaves no object).
"""

import os
import secrets
import time
from contextlib import suppress

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils._os import safe_makedirs
from django.utils.functional import cached_property

FILESYSTEM = "filesystem"
S3 = "s3"
KINDS = (FILESYSTEM, S3)
PARTIAL_PREFIX = ".partial-"
S3_BACKEND = "storages.backends.s3.S3Storage"


def file_storages(kind: str, *, location: str = "") -> dict:
    """STORAGES["default"] and STORAGES["reports"] for a kind of storage. In object storage,
    evidence goes under `location` (the bucket's root by default) and reports under
    `location`/reports, as on the file system (MEDIA_ROOT and REPORTS_ROOT = MEDIA_ROOT/reports).

    Evidence is never overwritten (two uploads of "report.pdf" keep both, the second renamed);
    a report's name carries the version of its data, so writing it again writes the same report
    and may replace it."""
    if kind == S3:
        reports = f"{location.strip('/')}/reports".lstrip("/")
        return {
            "default": {
                "BACKEND": S3_BACKEND,
                "OPTIONS": {"location": location.strip("/"), "file_overwrite": False},
            },
            "reports": {
                "BACKEND": S3_BACKEND,
                "OPTIONS": {"location": reports, "file_overwrite": True},
            },
        }
    return {
        "default": {"BACKEND": "corett.storages.AtomicFileSystemStorage"},
        "reports": {
            "BACKEND": "corett.storages.AtomicFileSystemStorage",
            "OPTIONS": {"root_setting": "REPORTS_ROOT", "allow_overwrite": True},
        },
    }


def transient_errors() -> tuple[type[BaseException], ...]:
    """What a storage raises when it is briefly unavailable: worth trying again."""
    errors: tuple[type[BaseException], ...] = (OSError,)  # a full or unreachable disk
    try:
        import botocore.exceptions
    except ImportError:  # pragma: no cover - django-storages[s3] is a dependency
        return errors
    # An unreachable endpoint, a timeout, a 5xx answer from the object storage.
    return (*errors, botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)


class AtomicFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage whose saves are atomic: the content goes to a hidden temporary file in
    the same folder, flushed to disk, which is then linked under its name (or, with
    allow_overwrite, renamed over it). A reader sees the whole file or none; a process killed
    mid-write leaves only a temporary file, which listings never show and
    `remove_partial_files` deletes.

    root_setting names the setting that gives its folder when no `location` is given (read when
    used, as FileSystemStorage reads MEDIA_ROOT, so that changing the setting moves it)."""

    def __init__(self, *, root_setting: str = "MEDIA_ROOT", **options):
        self.root_setting = root_setting
        super().__init__(**options)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, getattr(settings, self.root_setting))

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == self.root_setting:
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            if self.directory_permissions_mode is not None:
                safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
            else:
                os.makedirs(directory, exist_ok=True)
        except FileExistsError:
            raise FileExistsError(f"{directory} exists and is not a directory.") from None
        temporary = os.path.join(directory, f"{PARTIAL_PREFIX}{secrets.token_hex(8)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            with os.fdopen(os.open(temporary, flags, 0o666), "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk.encode() if isinstance(chunk, str) else chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            while True:
                try:
                    if self._allow_overwrite:
                        os.replace(temporary, full_path)
                    else:
                        os.link(temporary, full_path)  # fails if the name is taken: no clobbering
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
        _sync_directory(directory)
        self._ensure_location_group_id(full_path)
        return os.path.relpath(full_path, self.location).replace("\\", "/")

    def listdir(self, path):
        directories, files = super().listdir(path)
        return directories, [name for name in files if not name.startswith(PARTIAL_PREFIX)]

    def remove_partial_files(self, *, older_than: float) -> int:
        """Deletes the temporary files of saves that never finished (their process was killed),
        older than `older_than` seconds. Returns how many."""
        limit, removed = time.time() - older_than, 0
        for folder, _directories, files in os.walk(self.location):
            for name in files:
                if not name.startswith(PARTIAL_PREFIX):
                    continue
                with suppress(FileNotFoundError):
                    path = os.path.join(folder, name)
                    if os.stat(path).st_mtime < limit:
                        os.unlink(path)
                        removed += 1
        return removed


def _sync_directory(directory: str) -> None:
    """The new name survives a power cut only once its folder is written to disk too."""
    if os.name != "posix":
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def check_reachable(storage) -> None:
    """Raises unless the storage can be used now: the bucket answers (object storage), or the
    folder exists or can be created, and can be written to (file system). Reads nothing."""
    bucket = getattr(storage, "bucket_name", None)
    if bucket is not None:
        storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    folder = os.path.abspath(storage.location)
    while not os.path.isdir(folder):
        parent = os.path.dirname(folder)
        if parent == folder or os.path.lexists(folder):
            raise FileNotFoundError(f"no folder for the storage at {storage.location}")
        folder = parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"cannot write to {folder}")


def where(storage: Storage) -> tuple[str, str]:
    """(the bucket or the file system, the path in it): two storages with the same first part
    may hold one another."""
    if getattr(storage, "bucket_name", None):
        return f"s3://{storage.bucket_name}", storage.location.strip("/")
    return "file://", os.path.abspath(storage.location).strip("/")
