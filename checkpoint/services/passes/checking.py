"""Checking a pass at the barrier: a scanned code (or a number typed when it will not scan, or a
photo of it) judged with no network, every check logged as a crossing, refused ones too; and who
is out and not back."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain import clock, pass_token, passes
from checkpoint.domain.masking import mask_id_number, mask_name
from checkpoint.domain.pass_token import PassClaims
from checkpoint.domain.passes import Verdict
from checkpoint.errors import InputError
from checkpoint.i18n import t
from checkpoint.services import settings
from checkpoint.services.accounts import Account, require
from checkpoint.services.passes.issuing import is_isolated
from checkpoint.services.registration import current_shift_id
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import passes as pass_store


@dataclass(frozen=True)
class ScanResult:
    """A check of a scanned code: the verdict, what the token claims, the pass as issued here (if it
    was), the crossing logged, and the direction."""

    verdict: Verdict
    claims: PassClaims | None
    pass_row: dict | None
    crossing_id: int | None
    direction: str

    @property
    def word(self) -> str:
        return t(f"verdict.{self.verdict.verdict}")

    @property
    def reason(self) -> str:
        return t(self.verdict.reason_key, **dict(self.verdict.params))

    @property
    def shown_claims(self) -> PassClaims | None:
        """What may be shown of the token: its claims once its signature has been checked good.
        A forged code, or one whose issuer is unknown here, shows nothing read from it (a forger
        chooses those words), only the verdict and the reason."""
        if self.verdict.verdict in (passes.FORGED, passes.UNKNOWN_ISSUER, passes.UNREADABLE, passes.UNKNOWN_PASS):
            return None
        return self.claims


def _facts(store: Store, claims: PassClaims, body: bytes, signature: bytes, pass_row: dict | None,
           now_local: dt.datetime) -> passes.ScanFacts:
    key = pass_store.key_by_id(store, claims.key_id)
    if key is None:
        return passes.ScanFacts(issuer_known=False, signature_ok=False)
    ok = pass_token.signature_valid(key["public_key"], body, signature)
    revoked = pass_store.revocation(store, claims.key_id, claims.number)
    isolated = False
    if pass_row is not None:
        members = [m[1] for m in json.loads(pass_row["members"] or "[]")]
        isolated = any(is_isolated(store, d, now_local.date()) for d in [pass_row["holder_doc_no"], *members])
    last = pass_store.open_exit(store, claims.key_id, claims.number)
    open_exit = clock.local(last["at"], _tz(store)) if last is not None else None
    first_day = passes.quota_window_start(claims, now_local.date()).isoformat()
    return passes.ScanFacts(
        issuer_known=True, signature_ok=ok, issuer_revoked=bool(key["revoked_at"]),
        revoked_reason=revoked["reason"] if revoked else None, holder_isolated=isolated,
        open_exit_at=open_exit,
        exits_in_period=pass_store.count_valid_exits_since(store, claims.key_id, claims.number, first_day))


def _tz(store: Store) -> str:
    return require_station(store).tz


def verify_scan(store: Store, by: Account, text: str, direction: str = "out",
                now: dt.datetime | None = None) -> ScanResult:
    """Check what the scanner (or a person) typed and log the crossing, refused ones too.

    `text` is a token, or a pass number of this station when the code will not scan.
     Raises RefusedError when `by` may not check passes, InputError for a direction other than
    in/out, DatabaseError when the station is not set up."""
    require(by, "pass.check")
    if direction not in ("in", "out"):
        raise InputError("pass.direction", field="direction", value=direction)
    station = require_station(store)
    now = now or clock.utc_now()
    now_local = clock.local(now, station.tz)
    typed = (text or "").strip()
    claims = pass_row = None
    compact = pass_token.normalize(typed)
    if len(compact) <= 40:
        # Typed by hand (tokens are over 100 characters): a pass number, however it was spaced or
        # cased; anything else short is no pass at all.
        number = passes.normalize_number(typed)
        if not passes.looks_like_number(number):
            verdict = Verdict(passes.UNREADABLE, "dayclose.why_unreadable")
            return _log(store, by, now, station.tz, None, "", direction, verdict, None)
        pass_row = pass_store.pass_by_number(store, number)
        if pass_row is None:
            verdict = Verdict(passes.UNKNOWN_PASS, "verdict.why_unknown_pass", (("number", number),))
            return _log(store, by, now, station.tz, None, number, direction, verdict, None)
        typed = pass_row["token"]
    try:
        claims, body, signature = pass_token.split(typed)
    except pass_token.TokenError as exc:
        verdict_word = passes.FORGED if exc.reason == "token.damaged" else passes.UNREADABLE
        return _log(store, by, now, station.tz, None, "", direction, Verdict(verdict_word, exc.reason), None)
    if pass_row is None:
        row = pass_store.pass_by_number(store, claims.number)
        pass_row = row if row is not None and row["key_id"] == claims.key_id else None
    verdict = passes.judge(claims, _facts(store, claims, body, signature, pass_row, now_local), direction, now_local)
    return _log(store, by, now, station.tz, claims, claims.number, direction, verdict, pass_row)


def _log(store: Store, by: Account, now: dt.datetime, tz: str, claims: PassClaims | None, number: str,
         direction: str, verdict: Verdict, pass_row: dict | None) -> ScanResult:
    with store.write():
        closes = None
        if verdict.closes_exit and claims is not None:
            last = pass_store.open_exit(store, claims.key_id, claims.number)
            closes = last["id"] if last else None
        crossing_id = pass_store.insert_crossing(store, {
            "at": now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "local_day": clock.local_day(now, tz), "key_id": claims.key_id if claims else "",
            "pass_number": number, "direction": direction, "verdict": verdict.verdict,
            "reason": verdict.reason_key, "staff_id": by.id, "shift_id": current_shift_id(store), "closes": closes,
            "list_serial": _list_serial(store)})
    return ScanResult(verdict, claims, pass_row, crossing_id, direction)


def _list_serial(store: Store) -> int | None:
    """The serial of the township bundle (trust list, revocations) this check was judged with."""
    return settings.township_serial(store)


@dataclass(frozen=True)
class OutNotBack:
    """A pass holder out on an exit not yet closed by a return (masked)."""

    number: str
    holder: str
    doc: str
    village: str
    since: str
    overdue: bool
    crossing_id: int = 0          # the exit's crossing: "exit:ID" closes it as a matter
    exit_at: dt.datetime | None = None


def out_not_back(store: Store, now: dt.datetime | None = None, overdue_only: bool = False) -> list[OutNotBack]:
    """Holders out on an exit not yet closed by a return; `overdue` when past the back-by time.
    Raises DatabaseError when the station is not set up."""
    station = require_station(store)
    now_local = clock.local(now or clock.utc_now(), station.tz)
    result = []
    for row in pass_store.open_exits(store):
        exit_at = clock.local(row["at"], station.tz)
        late = passes.overdue(exit_at, row["pass_back_by"], now_local)
        if overdue_only and not late:
            continue
        result.append(OutNotBack(row["pass_number"], mask_name(row["holder_name"] or ""),
                                 mask_id_number(row["holder_doc_no"] or ""), row["village"] or "",
                                 exit_at.strftime("%m-%d %H:%M"), late, int(row["id"]), exit_at))
    return result


def read_code_from_image(path: Path) -> str:
    """The one pass code (a QR code) in a photo (zxing-cpp); InputError when none, several, not an
    image, or too large to read safely (the photo is scaled down while decoding, a small view read
    first: see services.photos). Raises InputError (pass.image_missing) when the file is not there."""
    import zxingcpp

    from checkpoint.services.photos import views_for_reading

    texts: list[str] = []
    for image in views_for_reading(Path(path)):
        try:
            # QR codes only: a pass is one, and looking for every format took most of the time
            found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        except (ValueError, RuntimeError):
            raise InputError("pass.image_bad", field="image", path=str(path)) from None
        finally:
            image.close()
        texts = [code.text for code in found if code.text]
        if texts:
            break
    if not texts:
        raise InputError("pass.image_none", field="image")
    if len(set(texts)) > 1:
        raise InputError("pass.image_many", field="image", count=len(set(texts)))
    return texts[0]
