"""Backing up and restoring the portal: the database and the stored files, with a manifest.

A backup is a folder (on this machine, or a prefix of an S3 bucket: `s3://bucket/prefix`):

    manifest.json          written last: a folder without it is not a backup
    database.dump          PostgreSQL: pg_dump's custom format (pg_restore reads it)
    database.sqlite3       SQLite: a consistent copy (SQLite's backup API)
    files/<storage>/<name> every stored file: "default" (evidence), "reports" (PDF reports)

The manifest lists every file with its size and SHA-256, the database file's too, the migrations
applied and the rows per table, so that a restore checks what it reads and what it made.

The database is dumped first and the files copied after: files are only ever added, so every file
a row of the dump names is in the backup (a file added meanwhile is kept too, unnamed).
`manage.py backup` and `manage.py restore` (and `make backup` / `make restore`) call these.
"""

import datetime
import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .storages import where

MANIFEST = "manifest.json"
FORMAT = 1
ALIASES = ("default", "reports")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason."""


# --- Where a backup goes ----------------------------------------------------------------------


def backup_storage(target: str) -> Storage:
    """A folder (`/srv/backups/2026-12-07`) or an object storage prefix (`s3://bucket/prefix`,
    reached with the portal's AWS_* settings: endpoint and credentials)."""
    parts = urlsplit(target)
    if parts.scheme == "s3":
        from storages.backends.s3 import S3Storage

        if not parts.netloc:
            raise BackupError(f"no bucket in {target!r}: write s3://bucket/prefix")
        return S3Storage(
            bucket_name=parts.netloc, location=parts.path.strip("/"), file_overwrite=True
        )
    if parts.scheme:
        raise BackupError(f"{target!r}: give a folder or s3://bucket/prefix")
    return FileSystemStorage(location=os.path.abspath(target), allow_overwrite=True)


def backup_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return now.strftime("corett-%Y%m%dT%H%M%SZ")


# --- Stored files -------------------------------------------------------------------------------


def _inside(alias: str) -> set[str]:
    """The folders of storage `alias` that are other storages (REPORTS_ROOT inside MEDIA_ROOT,
    reports/ inside the bucket's root): walked as those storages, not twice."""
    place, root = where(storages[alias])
    inner = set()
    for other in ALIASES:
        other_where, other_root = where(storages[other])
        if (
            other != alias
            and other_where == place
            and other_root.startswith(f"{root}/".lstrip("/"))
        ):
            inner.add(other_root[len(root) :].strip("/"))
    return inner


def stored_names(alias: str) -> list[str]:
    """Every file of a storage, through the storage API (its listing), sorted."""
    storage, skip = storages[alias], _inside(alias)
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        try:
            directories, files = storage.listdir(folder)
        except FileNotFoundError:  # a storage nothing was written to yet
            continue
        found += [f"{folder}{name}" for name in files]
        folders += [f"{folder}{name}/" for name in directories if f"{folder}{name}" not in skip]
    return sorted(found)


def _copy(source: Storage, name: str, target: Storage, target_name: str) -> dict:
    """Copies one file between storages (through a spooled temporary file, hashed on the way)
    and returns its manifest entry."""
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as spool:
        with source.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
        spool.seek(0)
        if target.exists(target_name):
            target.delete(target_name)
        saved = target.save(target_name, File(spool, name=os.path.basename(target_name)))
    if saved != target_name:
        raise BackupError(f"{target_name} was stored as {saved}")
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- The database -------------------------------------------------------------------------------


def _postgres_environment() -> tuple[list[str], dict]:
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"], "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db[key]:
            arguments += [flag, str(db[key])]
    env = {**os.environ}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return arguments, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def dump_database(into: Path) -> str:
    """The database into a file; returns the file's name in the backup."""
    if connection.vendor == "postgresql":
        arguments, env = _postgres_environment()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            + ["--file", str(into / "database.dump"), *arguments],
            env,
        )
        return "database.dump"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(into / "database.sqlite3") as copy:
            connection.connection.backup(copy)
        copy.close()
        return "database.sqlite3"
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def restore_database(dump: Path) -> None:
    """Replaces the database's content with the dump's (the tables the dump holds are dropped
    and made again, in one transaction: an error leaves the database as it was)."""
    if connection.vendor == "postgresql":
        arguments, env = _postgres_environment()
        connection.close()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            + ["--single-transaction", "--exit-on-error", *arguments, str(dump)],
            env,
        )
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    raise BackupError(f"restoring {connection.vendor} databases is not supported")


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts() -> dict[str, int]:
    """Rows per table of the portal's models (history and audit included)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


# --- Backing up and restoring -------------------------------------------------------------------


@dataclass
class Outcome:
    where: str
    manifest: dict


def backup(target: str, *, name: str | None = None) -> Outcome:
    """Makes a backup in a new folder `name` (corett-<UTC time>) of `target`."""
    folder = name or backup_name()
    destination = backup_storage(target)
    if destination.exists(f"{folder}/{MANIFEST}"):
        raise BackupError(f"{folder} already holds a backup")
    started = datetime.datetime.now(datetime.UTC)
    with tempfile.TemporaryDirectory(prefix="corett-backup-") as scratch:
        database = dump_database(Path(scratch))
        local = FileSystemStorage(location=scratch)
        database_entry = _copy(local, database, destination, f"{folder}/{database}")
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "database": {
            "vendor": connection.vendor,
            **database_entry,
            "migrations": applied_migrations(),
            "rows": row_counts(),
        },
        "files": {
            alias: [
                _copy(storages[alias], stored, destination, f"{folder}/files/{alias}/{stored}")
                for stored in stored_names(alias)
            ]
            for alias in ALIASES
        },
    }
    content = json.dumps(manifest, indent=1, sort_keys=True).encode()
    with tempfile.SpooledTemporaryFile() as spool:
        spool.write(content)
        spool.seek(0)
        destination.save(f"{folder}/{MANIFEST}", File(spool, name=MANIFEST))
    return Outcome(where=f"{target.rstrip('/')}/{folder}", manifest=manifest)


def read_manifest(source: Storage) -> dict:
    if not source.exists(MANIFEST):
        raise BackupError("no manifest.json here: not a backup, or one that did not finish")
    with source.open(MANIFEST, "rb") as handle:
        manifest = json.loads(handle.read())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"a backup of format {manifest.get('format')}, not {FORMAT}")
    return manifest


def check_restorable(manifest: dict) -> None:
    """A backup made by a later release (migrations this code does not have) is refused: its
    tables do not match this code. An earlier one is restored, then `migrate` brings it up."""
    if manifest["database"]["vendor"] != connection.vendor:
        raise BackupError(
            f"a {manifest['database']['vendor']} backup cannot be restored into {connection.vendor}"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["database"]["migrations"].items()
        for name in names
        if (app, name) not in known and app in installed
    ]
    if unknown:
        raise BackupError(f"made by a later release (migrations {', '.join(unknown[:5])}…)")


def restore(source_path: str) -> dict:
    """Restores a backup: checks the manifest and the database file, restores the database,
    then puts back every stored file (checked against the manifest). Returns a summary."""
    source = backup_storage(source_path)
    manifest = read_manifest(source)
    check_restorable(manifest)
    database = manifest["database"]
    for alias in ALIASES:  # all of it checked before anything is replaced
        for entry in manifest["files"][alias]:
            stored = f"files/{alias}/{entry['name']}"
            if not source.exists(stored) or _sha256(source, stored) != entry["sha256"]:
                raise BackupError(f"{stored} is missing or does not match the manifest")
    with tempfile.TemporaryDirectory(prefix="corett-restore-") as scratch:
        local = FileSystemStorage(location=scratch)
        copied = _copy(source, database["name"], local, database["name"])
        if copied["sha256"] != database["sha256"]:
            raise BackupError(f"{database['name']} does not match the manifest: not restored")
        restore_database(Path(scratch) / database["name"])
    ContentType.objects.clear_cache()  # ids cached from the database as it was
    summary = {"files": 0, "unchanged": 0}
    for alias in ALIASES:
        target = storages[alias]
        for entry in manifest["files"][alias]:
            name = entry["name"]
            if target.exists(name) and _sha256(target, name) == entry["sha256"]:
                summary["unchanged"] += 1
                continue
            if _copy(source, f"files/{alias}/{name}", target, name)["sha256"] != entry["sha256"]:
                raise BackupError(f"files/{alias}/{name} changed while it was restored")
            summary["files"] += 1
    rows = row_counts()
    summary["rows_differing"] = {
        label: (count, rows.get(label))
        for label, count in database["rows"].items()
        if rows.get(label) != count
    }
    return summary
