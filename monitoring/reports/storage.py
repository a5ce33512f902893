"""Where report files live (settings.REPORTS_ROOT, outside anything served as static or media) and
how they are written: to a temporary file in the same folder, then renamed over the final name,
so that a reader sees the whole file or none of it, even if the worker dies mid-write."""

import os
import tempfile
import time
from pathlib import Path

from django.conf import settings

TEMPORARY_PREFIX = ".partial-"


def root() -> Path:
    return Path(settings.REPORTS_ROOT)


def file_name(*, scope: str, period: str, language: str, draft: bool, version: str) -> str:
    """The file's path under REPORTS_ROOT. The data version is part of it: the same inputs on the
    same data name the same file, which is then reused rather than rendered again."""
    suffix = "-draft" if draft else ""
    return f"{period}/corett-{scope.lower()}-{period}-{language}{suffix}-{version[:16]}.pdf"


def path_of(name: str) -> Path:
    """The absolute path of a stored file; refuses names that would leave REPORTS_ROOT."""
    base = root().resolve()
    path = (base / name).resolve()
    if not path.is_relative_to(base) or path == base:
        raise ValueError(f"not a report file: {name!r}")
    return path


def exists(name: str) -> bool:
    return bool(name) and path_of(name).is_file()


def write_atomically(name: str, content: bytes) -> Path:
    """Writes the file under its final name in one step (os.replace of a finished temporary file
    in the same folder, flushed to disk first). Raises OSError when the disk refuses."""
    path = path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def remove_leftovers(older_than: float) -> int:
    """Deletes temporary files a killed worker left behind (older than `older_than` seconds)."""
    if not root().is_dir():
        return 0
    limit, removed = time.time() - older_than, 0
    for leftover in root().glob(f"*/{TEMPORARY_PREFIX}*"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed
