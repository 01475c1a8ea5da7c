"""Backups: by hand (`checkpoint backup`), automatically once a day, and restoring one.

A restore never destroys the current file: it is kept aside first, so a wrong restore can be
undone by restoring that file.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from checkpoint.errors import DatabaseError, InputError
from checkpoint.store import Store
from checkpoint.store import backup as backup_store

KEEP = 14


def backups_folder(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def make_backup(store: Store | Path, out: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Copy the database; `store` may be an open Store or the file's path (a worker thread's own copy)."""
    now = now or dt.datetime.now()
    db_path = Path(store) if isinstance(store, (str, Path)) else store.path
    if out is None:
        folder = backups_folder(db_path)
        folder.mkdir(exist_ok=True)
        out = folder / f"{db_path.stem}-{now.strftime('%Y%m%d-%H%M%S')}.db"
    out = Path(out)
    if out.exists():
        raise InputError("backup.exists", field="out", path=str(out))
    if not out.parent.exists():
        raise InputError("db.no_folder", field="out", path=str(out.parent))
    try:
        if isinstance(store, (str, Path)):
            backup_store.copy_file(db_path, out)
        else:
            backup_store.copy_to(store, out)
    except Exception as exc:  # a full disk or a read-only folder: remove the half-made copy
        out.unlink(missing_ok=True)
        raise InputError("backup.failed", field="out", detail=str(exc)) from None
    problem = backup_store.check_file(out)
    if problem:
        out.unlink(missing_ok=True)
        raise InputError(problem, field="out", path=str(out))
    return out


def daily_backup(store: Store | Path, keep: int = KEEP, now: dt.datetime | None = None) -> Path | None:
    """Make today's automatic backup if there is none yet; keep the newest `keep`."""
    now = now or dt.datetime.now()
    db_path = Path(store) if isinstance(store, (str, Path)) else store.path
    folder = backups_folder(db_path)
    folder.mkdir(exist_ok=True)
    prefix = f"{db_path.stem}-auto-"
    made = None
    if not list(folder.glob(f"{prefix}{now.strftime('%Y%m%d')}-*.db")):
        made = make_backup(store, folder / f"{prefix}{now.strftime('%Y%m%d-%H%M%S')}.db", now)
    for old in sorted(folder.glob(f"{prefix}*.db"))[:-keep]:
        old.unlink(missing_ok=True)
    return made


def restore(db_path: Path, source: Path, now: dt.datetime | None = None) -> Path:
    """Replace the database with `source` after checking it; returns where the old file was kept."""
    source, db_path = Path(source), Path(db_path)
    if not source.is_file():
        raise InputError("keys.file_missing", field="file", path=str(source))
    problem = backup_store.check_file(source)
    if problem:
        raise InputError(problem, field="file", path=str(source))
    now = now or dt.datetime.now()
    kept = db_path.with_name(f"{db_path.stem}-before-restore-{now.strftime('%Y%m%d-%H%M%S')}.db")
    try:
        if db_path.exists():
            # a plain copy, with its WAL: the current file may be the broken one
            shutil.copy2(db_path, kept)
            wal = Path(str(db_path) + "-wal")
            if wal.exists():
                shutil.copy2(wal, Path(str(kept) + "-wal"))
        tmp = db_path.with_name(db_path.name + ".restoring")
        shutil.copyfile(source, tmp)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        tmp.replace(db_path)
    except OSError as exc:
        raise DatabaseError("backup.failed", detail=str(exc)) from None
    return kept
