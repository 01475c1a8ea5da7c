"""Reading the small JSON files stations exchange (public keys, revocation lists)."""

from __future__ import annotations

import json
from pathlib import Path

from checkpoint.errors import InputError


def read_json_file(path: Path, file_format: str, max_bytes: int, bad_key: str) -> dict:
    """The file's JSON object when it is ours (`"format": file_format`); InputError(bad_key) otherwise."""
    p = Path(path)
    try:
        if p.stat().st_size > max_bytes:
            raise InputError(bad_key, field="file", path=str(p))
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("keys.file_missing", field="file", path=str(p)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(bad_key, field="file", path=str(p)) from None
    if not isinstance(data, dict) or data.get("format") != file_format:
        raise InputError(bad_key, field="file", path=str(p))
    return data
