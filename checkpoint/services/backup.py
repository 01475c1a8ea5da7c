"""Backups: by hand (`checkpoint backup`), automatically once a day, and restoring one.

A restore never destroys the current file: it is kept aside first, so a wrong restore can be
undone by restoring that file.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from checkpoint.errors import DatabaseError, InputError
from checkpoint.store import Store
from checkpoint.store import backup as backup_store

KEEP = 14


def backups_folder(db_path: Path) -> Path:
    """Where backups of the database at `db_path` go: backups/ beside it."""
    return Path(db_path).parent / "backups"


def make_backup(store: Store | Path, out: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Copy the database; `store` may be an open Store or the file's path (a worker thread's own copy).
    Returns the copy's path. Raises InputError when the copy exists already, its folder is
    missing, or it cannot be written or read back."""
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


def restore(db_path: Path, source: Path, as_name: str, pin: str, now: dt.datetime | None = None) -> Path | None:
    """Replace the database with the backup `source`, after checking it whole; returns where the
    current file was kept (a wrong restore is undone by restoring that file), None when there was none.

    The backup is copied beside the database and checked there before anything else is touched:
    SQLite's integrity check, the application id, its migrations brought up to date, and the audit
    chain (`audit verify`). `as_name` + `pin` must be an admin of the current database, or, when
    that file cannot be read at all, of the backup. Refused while another window or lane has the
    database open; the restore is written into the restored file's audit chain.

    Raises InputError (missing, damaged or foreign backup, a broken chain), RefusedError (wrong PIN,
    not an admin) or DatabaseError (others have the file open, a full disk) - each with nothing changed.
    """
    from checkpoint.services import accounts
    from checkpoint.services.audit import describe
    from checkpoint.store import audit as audit_store
    from checkpoint.store.opening import open_checked_copy

    source, db_path = Path(source).expanduser(), Path(db_path).expanduser()
    if not source.is_file():
        raise InputError("restore.file_missing", field="file", path=str(source))
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise InputError("restore.same_file", field="file")
    if not db_path.parent.is_dir():
        raise DatabaseError("db.no_folder", path=str(db_path.parent))
    now = now or dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    tmp = db_path.with_name(f".{db_path.name}.restoring-{stamp}")
    kept = db_path.with_name(f"{db_path.stem}-before-restore-{stamp}{db_path.suffix or '.db'}")
    try:
        _copy_with_wal(source, tmp)
        problem = backup_store.check_file(tmp)
        if problem:
            raise InputError(problem, field="file", path=str(source))
        try:
            with open_checked_copy(tmp) as copy:
                report = audit_store.verify(copy)
                if not report.whole:
                    raise InputError("restore.chain_broken", field="file", why=describe(report))
                by = _current_account(db_path, as_name, pin)
                if by is None:   # the current file is beyond reading: the backup's own accounts decide
                    by = accounts.authenticate(copy, as_name, pin)
                accounts.require(by, "data.restore")
                # Written into the copy before it goes in place: the restore is in the chain it
                # restores, and a copy that cannot take a write (a damaged header) is refused here.
                row = copy.read_one("SELECT id FROM staff WHERE name = ?", (by.name,))
                with copy.write():
                    audit_store.append(copy, "db.restore", row["id"] if row else None, detail={
                        "from": source.name, "kept": kept.name if db_path.exists() else "", "by": by.name})
        except DatabaseError as exc:
            if exc.key == "db.too_new":
                raise InputError("restore.too_new", field="file") from None
            raise InputError("backup.damaged", field="file", path=str(source)) from None
        _replace(db_path, tmp, kept)
    except OSError as exc:
        raise DatabaseError("backup.failed", detail=exc.strerror or str(exc)) from None
    finally:
        for leftover in (tmp, *(Path(f"{tmp}{s}") for s in ("-wal", "-shm", "-journal", "-queue"))):
            leftover.unlink(missing_ok=True)
    return kept if kept.exists() else None


def _copy_with_wal(source: Path, target: Path) -> None:
    """A plain copy of the file and of a -wal beside it holding frames (a live file copied as it
    was); the -wal is read back into the copy when it is opened."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.is_file() and wal.stat().st_size:
        shutil.copyfile(wal, Path(f"{target}-wal"))


def _current_account(db_path: Path, as_name: str, pin: str):
    """The admin checked against the current database, or None when that file cannot be read."""
    from checkpoint.services import accounts
    from checkpoint.store import open_store

    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    try:
        with open_store(db_path, create=False) as current:
            return accounts.authenticate(current, as_name, pin)
    except DatabaseError:
        return None


def _replace(db_path: Path, checked: Path, kept: Path) -> None:
    """Put `checked` in place of the database; the current file goes to `kept` first."""
    if not db_path.exists():
        os.replace(checked, db_path)
        return
    with backup_store.exclusive(db_path) as conn:
        if conn is None:
            # SQLite cannot read the current file: only the locks tell whether a lane has it open.
            if backup_store.others_hold(db_path):
                raise DatabaseError("restore.others_open")
            shutil.copy2(db_path, kept)
            for suffix in ("-wal", "-shm"):   # nobody has them open: they belong to the broken file
                side = Path(f"{db_path}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{kept}{suffix}"))
        else:
            # the WAL is folded in and gone (exclusive): the file alone is the whole database
            shutil.copy2(db_path, kept)
        if os.name != "nt":
            os.replace(checked, db_path)   # still holding the old file: no lane slips in meanwhile
            return
    os.replace(checked, db_path)   # Windows replaces no file that is open, ours included
