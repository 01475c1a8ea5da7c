"""Passes, by job: `issuing`, `checking` (a scan at the barrier, and who is out and not back),
`revocations`, `shown` (the list, one pass as read), `printing` (its card).

Checking needs no network: the token carries its claims and signature; the station has the
public keys it trusts, the revocations it knows, and its own crossing log. The names below are
the whole surface, so a caller writes `passes.issue_pass(...)`."""

from checkpoint.services.passes.checking import (OutNotBack, ScanResult, out_not_back, read_code_from_image,
                                                 verify_scan)
from checkpoint.services.passes.issuing import ISOLATION_DAYS, Issued, is_isolated, issue_pass, may_issue
from checkpoint.services.passes.printing import Printed, card_data, print_card, write_cards
from checkpoint.services.passes.revocations import (MAX_REVOCATION_FILE, export_revocations, import_revocations,
                                                    revoke_pass)
from checkpoint.services.passes.shown import PassShown, list_passes, pass_details, show_pass

__all__ = [
    "ISOLATION_DAYS", "MAX_REVOCATION_FILE", "Issued", "OutNotBack", "PassShown", "Printed", "ScanResult",
    "card_data", "export_revocations", "import_revocations", "is_isolated", "issue_pass", "list_passes",
    "may_issue", "out_not_back", "pass_details", "print_card", "read_code_from_image", "revoke_pass", "show_pass",
    "verify_scan", "write_cards",
]
