"""Passes: issue, check a scan, revoke, and who is out and not back.

Checking needs no network: the token carries its claims and signature; the station has the
public keys it trusts, the revocations it knows, and its own crossing log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from checkpoint.domain import pass_token, passes
from checkpoint.domain.documents import normalize_doc_number
from checkpoint.domain.masking import mask_id_number, mask_name, mask_name_short
from checkpoint.domain.pass_token import PassClaims
from checkpoint.domain.passes import PassForm, Verdict
from checkpoint.domain.policy import ISOLATIONS
from checkpoint.errors import CheckpointError, FieldProblems, InputError, RefusedError
from checkpoint.i18n import t
from checkpoint.services import clock, keys
from checkpoint.services.accounts import Account, require
from checkpoint.services.files import read_json_file
from checkpoint.services.station import require_station
from checkpoint.store import Store
from checkpoint.store import entries as entries_store
from checkpoint.store import passes as pass_store
from checkpoint.store import station as station_store
from checkpoint.store import trust as trust_store
from checkpoint.services.registration import current_shift_id

ISOLATION_DAYS = 14
REVOCATIONS_FORMAT = "checkpoint-revocations"
MAX_REVOCATION_FILE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Issued:
    number: str
    token: str
    claims: PassClaims


@dataclass(frozen=True)
class ScanResult:
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


def may_issue(store: Store, by: Account) -> bool:
    """Leaders and admins; duty staff too while the setting pass-issue-staff is on."""
    try:
        _may_issue(store, by)
    except CheckpointError:
        return False
    return True


def _may_issue(store: Store, by: Account) -> None:
    if by.role == "staff" and station_store.get_setting(store, "pass_issue_staff", False):
        return
    require(by, "pass.issue")


def is_isolated(store: Store, doc_no: str, today: dt.date) -> bool:
    """Under home or central isolation: their latest registration, within 14 days, says so."""
    row = entries_store.last_by_document(store, normalize_doc_number(doc_no))
    if row is None or row["disposition"] not in ISOLATIONS:
        return False
    return today - dt.date.fromisoformat(row["local_day"]) < dt.timedelta(days=ISOLATION_DAYS)


def issue_pass(store: Store, by: Account, form: PassForm, now: dt.datetime | None = None) -> Issued:
    """Issue a pass; refused for a holder or member under isolation. Raises FieldProblems on bad input."""
    _may_issue(store, by)
    station = require_station(store)
    now = now or clock.utc_now()
    today = clock.local(now, station.tz).date()
    problems = passes.check_pass_form(form, today)
    if problems:
        raise FieldProblems(problems)
    for name, doc_no in [(form.name, form.doc_no), *form.members]:
        if is_isolated(store, doc_no, today):
            raise RefusedError("pass.holder_isolated", name=name.strip())
    days = int(form.valid_days) if form.valid_days.strip() else passes.DEFAULT_DAYS[form.kind]
    household = form.kind == "household"
    doc_no = normalize_doc_number(form.doc_no)
    key_row = keys.ensure_station_key(store)
    with store.write():
        number = f"{station.code}-{pass_store.next_serial(store):06d}"
        claims = PassClaims(
            number=number, kind=form.kind, key_id=key_row["key_id"], valid_from=today,
            valid_to=today + dt.timedelta(days=days - 1),
            exits=int(form.exits) if household else 0, per_days=int(form.per_days) if household else 0,
            back_by=passes.parse_hhmm(form.back_by) if household else None,
            holder=mask_name_short(form.name), id_last4=doc_no[-4:])
        token = pass_token.encode(claims, keys.signer(key_row))
        pass_store.insert_pass(store, {
            "number": number, "kind": form.kind, "holder_name": form.name.strip(), "holder_doc_no": doc_no,
            "village": form.village.strip(), "members": json.dumps(
                [[n.strip(), normalize_doc_number(i)] for n, i in form.members], ensure_ascii=False),
            "plate": form.plate.strip().upper(), "route": form.route.strip(), "cargo": form.cargo.strip(),
            "reason": form.reason.strip(), "employer": form.employer.strip(),
            "valid_from": claims.valid_from.isoformat(), "valid_to": claims.valid_to.isoformat(),
            "exits": claims.exits, "per_days": claims.per_days, "back_by": claims.back_by,
            "key_id": claims.key_id, "token": token, "issued_at": now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
            "local_day": today.isoformat(), "staff_id": by.id, "shift_id": current_shift_id(store)})
    return Issued(number, token, claims)


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
    """
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
    value = station_store.get_setting(store, trust_store.SERIAL_SETTING, None)
    return int(value) if value else None


def revoke_pass(store: Store, by: Account, number: str, reason: str, now: dt.datetime | None = None) -> dict:
    require(by, "pass.revoke")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise InputError("pass.revoke_reason", field="reason")
    row = pass_store.pass_by_number(store, passes.normalize_number(number))
    if row is None:
        raise InputError("verdict.why_unknown_pass", field="number", number=number)
    now = now or clock.utc_now()
    with store.write():
        added = pass_store.add_revocation(store, row["key_id"], row["number"], reason,
                                          now.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"), by.id, "local")
    if added is None:
        raise RefusedError("pass.already_revoked", number=row["number"])
    return row


def import_revocations(store: Store, by: Account | None, path: Path) -> tuple[int, int]:
    """Other stations' revocations: (added, already known). The whole file or nothing."""
    if by is not None:
        require(by, "pass.revoke")
    p = Path(path)
    items = read_json_file(p, REVOCATIONS_FORMAT, MAX_REVOCATION_FILE, "pass.revocations_bad").get("revocations")
    if not isinstance(items, list):
        raise InputError("pass.revocations_bad", field="file", path=str(p))
    rows = []
    for item in items:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in
                                                 ("key_id", "pass_number", "revoked_at")):
            raise InputError("pass.revocations_bad", field="file", path=str(p))
        rows.append((item["key_id"][:16], item["pass_number"][:40], str(item.get("reason", ""))[:200],
                     item["revoked_at"][:40]))
    added = 0
    with store.write():
        for key_id, number, reason, at in rows:
            if pass_store.add_revocation(store, key_id, number, reason, at, by.id if by else None, "imported"):
                added += 1
    return added, len(rows) - added


def export_revocations(store: Store, path: Path) -> int:
    items = pass_store.all_revocations(store)
    data = {"format": REVOCATIONS_FORMAT, "version": 1, "station": require_station(store).code,
            "revocations": items}
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return len(items)


@dataclass(frozen=True)
class OutNotBack:
    number: str
    holder: str
    doc: str
    village: str
    since: str
    overdue: bool
    crossing_id: int = 0          # the exit's crossing: "exit:ID" closes it as a matter
    exit_at: dt.datetime | None = None


def out_not_back(store: Store, now: dt.datetime | None = None, overdue_only: bool = False) -> list[OutNotBack]:
    """Holders out on an exit not yet closed by a return; `overdue` when past the back-by time."""
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


def list_passes(store: Store, limit: int = 200) -> list[dict]:
    revoked = {(r["key_id"], r["pass_number"]) for r in pass_store.all_revocations(store)}
    return [{"number": r["number"], "kind": r["kind"], "holder": mask_name(r["holder_name"]),
             "doc": mask_id_number(r["holder_doc_no"]), "village": r["village"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"], "revoked": (r["key_id"], r["number"]) in revoked}
            for r in pass_store.list_passes(store, limit)]


def pass_details(store: Store, number: str) -> dict:
    row = pass_store.pass_by_number(store, passes.normalize_number(number))
    if row is None:
        raise InputError("verdict.why_unknown_pass", field="number", number=number)
    return row


@dataclass(frozen=True)
class PassShown:
    """A pass as the issue screen and `pass show` print it: masked holder, dates, the token."""

    number: str
    kind: str
    holder: str
    doc: str
    village: str
    valid_from: str
    valid_to: str
    rule: str
    revoked: bool
    token: str

    def text(self) -> str:
        """Two lines in words: number, kind, holder, validity, the rule, revoked or not."""
        return t("dayclose.pass_show_line", number=self.number, kind=t(f"pass_kind.{self.kind}"),
                 holder=self.holder, doc=self.doc, village=self.village or "", start=self.valid_from,
                 end=self.valid_to, rule=f"　{self.rule}" if self.rule else "",
                 state=f"　{t('verdict.revoked')}" if self.revoked else "")


def show_pass(store: Store, number: str) -> PassShown:
    """The pass numbered `number` (spaces, case and dashes as typed are forgiven), its token
    included: a copy of the token is a copy of the card, so it is shown, never exported.
    Raises InputError when there is no such pass."""
    row = pass_details(store, number)
    rule = ""
    if row["kind"] == "household" and row["per_days"]:
        rule = t("card.rule", days=row["per_days"], exits=row["exits"], back_by=passes.hhmm(row["back_by"]))
    revoked = pass_store.revocation(store, row["key_id"], row["number"]) is not None
    return PassShown(row["number"], row["kind"], mask_name(row["holder_name"]), mask_id_number(row["holder_doc_no"]),
                     row["village"], row["valid_from"], row["valid_to"], rule, revoked, row["token"])


# ---- cards and photos -----------------------------------------------------------------------------
def card_data(store: Store, number: str):
    """What the printed card shows (masked holder, dates, rule, issuer, the token)."""
    from checkpoint.services.pass_cards import CardData

    row = pass_details(store, number)
    station = require_station(store)
    rule = ""
    if row["kind"] == "household" and row["per_days"]:
        rule = t("card.rule", days=row["per_days"], exits=row["exits"], back_by=passes.hhmm(row["back_by"]))
    extra: list[str] = []
    members = json.loads(row["members"] or "[]")
    if members:
        extra.append(t("card.members", members="、".join(f"{mask_name(n)}({i[-4:]})" for n, i in members)))
    if row["plate"]:
        extra.append(t("card.vehicle", plate=row["plate"], route=row["route"], cargo=row["cargo"]).rstrip("，, "))
    if row["reason"]:
        extra.append(t("card.reason", reason=row["reason"]))
    if row["employer"]:
        extra.append(t("card.employer", employer=row["employer"]))
    return CardData(
        title=t("card.title", township=station.township), kind_label=t(f"pass_kind.{row['kind']}"),
        number=row["number"], holder=mask_name(row["holder_name"]), id_last4=row["holder_doc_no"][-4:],
        village=row["village"], valid=t("card.valid", start=row["valid_from"], end=row["valid_to"]), rule=rule,
        issuer=f"{station.name}（{station.code}）", token=row["token"], extra=tuple(extra))


def write_cards(store: Store, numbers: list[str], png: Path | None = None, pdf: Path | None = None) -> list[Path]:
    from checkpoint.services import pass_cards

    cards = [card_data(store, n) for n in numbers]
    written = []
    try:
        if png is not None:
            written.append(pass_cards.save_card_png(cards[0], png))
        if pdf is not None:
            written.append(pass_cards.save_cards_pdf(cards, pdf))
    except OSError as exc:
        raise InputError("keys.write_failed", field="out", path=str(png or pdf), detail=exc.strerror or str(exc)) from None
    return written


@dataclass(frozen=True)
class Printed:
    path: Path          # the card's PDF (kept whether or not it printed)
    printer: str        # the command that took it ("lp", "lpr", "windows")


def print_card(store: Store, number: str, folder: Path) -> Printed:
    """Print the card of pass `number` on this computer's default printer: the card is written as
    an A4 PDF in `folder` first (so it is never lost), then handed to `lp` or `lpr` (CUPS on Linux
    and macOS) or to Windows' print verb. Raises RefusedError when no printer command exists or it
    refuses the job (the message says where the PDF is), InputError when the folder is unusable."""
    import os
    import shutil
    import subprocess

    row = pass_details(store, number)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("keys.write_failed", field="out", path=str(folder), detail=exc.strerror or str(exc)) from None
    pdf = write_cards(store, [row["number"]], pdf=Path(folder) / f"{row['number']}.pdf")[0]
    for command in ("lp", "lpr"):
        found = shutil.which(command)
        if found is None:
            continue
        try:
            done = subprocess.run([found, str(pdf)], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            raise RefusedError("dayclose.print_failed", detail=str(exc)[:120], path=str(pdf)) from None
        if done.returncode != 0:
            detail = (done.stderr or done.stdout or "").strip().splitlines()
            raise RefusedError("dayclose.print_failed", detail=(detail[0] if detail else str(done.returncode))[:120],
                               path=str(pdf))
        return Printed(pdf, command)
    if hasattr(os, "startfile"):   # Windows: the default application prints it
        try:
            os.startfile(str(pdf), "print")  # type: ignore[attr-defined]
        except OSError as exc:
            raise RefusedError("dayclose.print_failed", detail=str(exc)[:120], path=str(pdf)) from None
        return Printed(pdf, "windows")
    raise RefusedError("dayclose.no_printer", path=str(pdf))


def read_code_from_image(path: Path) -> str:
    """The one pass code in a photo (zxing-cpp); InputError when none, several, not an image, or
    too large to read safely (the photo is scaled down while decoding: see services.photos)."""
    import zxingcpp

    from checkpoint.services.photos import open_for_reading

    image = open_for_reading(Path(path))
    try:
        found = zxingcpp.read_barcodes(image)
    except (ValueError, RuntimeError):
        raise InputError("pass.image_bad", field="image", path=str(path)) from None
    finally:
        image.close()
    texts = [code.text for code in found if code.text]
    if not texts:
        raise InputError("pass.image_none", field="image")
    if len(set(texts)) > 1:
        raise InputError("pass.image_many", field="image", count=len(set(texts)))
    return texts[0]
