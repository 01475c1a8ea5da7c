"""Passes as people read them: the list (masked), one pass whole for its card, and one as the
issue screen and `pass show` print it."""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.domain import passes
from checkpoint.domain.masking import mask_id_number, mask_name
from checkpoint.errors import InputError
from checkpoint.i18n import t
from checkpoint.store import Store
from checkpoint.store import passes as pass_store


def list_passes(store: Store, limit: int = 200) -> list[dict]:
    """The newest `limit` passes issued here, masked (holder, ID), with whether each is revoked."""
    revoked = {(r["key_id"], r["pass_number"]) for r in pass_store.all_revocations(store)}
    return [{"number": r["number"], "kind": r["kind"], "holder": mask_name(r["holder_name"]),
             "doc": mask_id_number(r["holder_doc_no"]), "village": r["village"], "valid_from": r["valid_from"],
             "valid_to": r["valid_to"], "revoked": (r["key_id"], r["number"]) in revoked}
            for r in pass_store.list_passes(store, limit)]


def pass_details(store: Store, number: str) -> dict:
    """The stored row of pass `number` (spaces and case forgiven), unmasked: for the card. Raises
    InputError for an unknown number."""
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
