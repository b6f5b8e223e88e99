"""Backups of the database and the media files, and restoring them.

A backup is a folder ``<BACKUP_DIR>/<timestamp>/`` holding:

- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite:
  a copy made with SQLite's online backup API, consistent even while the site writes);
- ``media.tar.gz``: every uploaded file (images, attachments);
- ``manifest.json``: what the files are, their SHA-256 and the migrations applied, so a restore
  can refuse a damaged or mismatched backup before it touches anything.

Restoring replaces the database (``pg_restore --clean --if-exists --single-transaction`` on
PostgreSQL, the backup API the other way on SQLite) and the media folder's contents.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (shown to ops)."""


def backup_root():
    return Path(os.environ.get("BACKUP_DIR") or settings.VAR_DIR / "backups")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _connection(alias="default"):
    connection = connections[alias]
    if connection.vendor not in DUMP_FILES:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    return connection


def _pg_args(settings_dict):
    """Connection arguments and environment for pg_dump/pg_restore from Django's settings."""
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command, env=None):
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具。") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} 失败：{exc.stderr.strip()}") from exc


def applied_migrations(alias="default"):
    """``app.migration`` names applied to the database, sorted."""
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def dump_database(connection, target):
    """Write a consistent copy of the database to ``target``."""
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API: a consistent snapshot even while other connections write.
            connection.connection.backup(destination)
        finally:
            destination.close()


def load_database(connection, source):
    """Replace the database's contents with the copy in ``source``."""
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_args(connection.settings_dict)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(source),
            ],
            env,
        )
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()


def archive_media(target):
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media_root.exists():
            for child in sorted(media_root.iterdir()):
                archive.add(child, arcname=f"media/{child.name}")


def restore_media(source):
    """Make MEDIA_ROOT hold exactly the archived files. The folder itself stays (in
    docker-compose it is a volume's mount point); its contents are replaced."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".media-restore-") as tmp:
        with tarfile.open(source, "r:gz") as archive:
            # "data" refuses absolute paths, ".." and links out of the folder.
            archive.extractall(tmp, filter="data")
        extracted = Path(tmp) / "media"
        for child in list(media_root.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        if extracted.exists():
            for child in extracted.iterdir():
                shutil.move(str(child), media_root / child.name)


def create_backup(root=None, alias="default", now=None):
    """Back up the database and media into a new folder under ``root``; returns its path."""
    connection = _connection(alias)
    now = now or datetime.datetime.now(datetime.UTC)
    folder = Path(root or backup_root()) / now.strftime("%Y%m%dT%H%M%S.%fZ")
    folder.mkdir(parents=True)
    dump = folder / DUMP_FILES[connection.vendor]
    dump_database(connection, dump)
    archive_media(folder / MEDIA_ARCHIVE)
    manifest = {
        "created": now.isoformat(),
        "database": connection.vendor,
        "files": {path.name: sha256(path) for path in (dump, folder / MEDIA_ARCHIVE)},
        "migrations": applied_migrations(alias),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def read_manifest(folder, alias="default"):
    """The backup's manifest, after checking it matches this database and its files are whole."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} 不是有效的备份（缺少或无法读取 {MANIFEST}）。") from exc
    connection = _connection(alias)
    if manifest.get("database") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('database')} 数据库，当前数据库是 {connection.vendor}。"
        )
    for name, expected in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists() or sha256(path) != expected:
            raise BackupError(f"备份文件 {name} 缺失或已损坏（校验和不符）。")
    return manifest


def restore_backup(folder, alias="default"):
    """Restore the database and media from a backup folder made by :func:`create_backup`."""
    folder = Path(folder)
    manifest = read_manifest(folder, alias)
    connection = _connection(alias)
    load_database(connection, folder / DUMP_FILES[connection.vendor])
    restore_media(folder / MEDIA_ARCHIVE)
    return manifest


def latest_backup(root=None):
    folders = sorted(p for p in Path(root or backup_root()).glob("*") if (p / MANIFEST).exists())
    if not folders:
        raise BackupError(f"{root or backup_root()} 中没有备份。")
    return folders[-1]
