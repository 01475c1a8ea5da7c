"""The shift leader's review: find entries, read one whole, correct it, flag it, unmask it, and
sign the day off. Every write is audited; nothing is overwritten (an amendment is a new row).

By job: `access` (who may), `listing` (which entries, a page of lines, the figures), `detail` (one
entry whole), `corrections` (amend, flag), `day_signoff`, `search_index` (indexing older entries).
A line of the list is services.entry_line.Line, the ledger's line too. The names below are the
review's whole surface, so a caller writes `review.page(...)` without knowing the module."""

from checkpoint.services.amendment import Amendment, Change
from checkpoint.services.entry_line import Line
from checkpoint.services.review.access import may_review, require_review
from checkpoint.services.review.corrections import (MAX_NOTE, MAX_REASON, Amended, amend, amendment_form,
                                                    check_amendment, entry_day, flag, is_flagged, open_for_amend)
from checkpoint.services.review.day_signoff import SignOff, sign_off, signed, unsigned_yesterday
from checkpoint.services.review.detail import DETAIL_COLUMNS, VEHICLE_COLUMNS, Detail, action_words, detail
from checkpoint.domain.date_range import ALL_FROM, ALL_TO
from checkpoint.services.review.listing import (SEARCH_CAP, Filters, Head, Scope, Stats, capped, count, count_aside,
                                                head, page, query, search_lines, searched_nothing, shift_ids_of,
                                                stats, stats_aside)
from checkpoint.services.review.search_index import index_some, unindexed

__all__ = [
    "ALL_FROM", "ALL_TO", "DETAIL_COLUMNS", "MAX_NOTE", "MAX_REASON", "SEARCH_CAP", "VEHICLE_COLUMNS", "Amended",
    "Amendment", "Change", "Detail", "Filters", "Head", "Line", "Scope", "SignOff", "Stats", "action_words", "amend",
    "amendment_form", "capped", "check_amendment", "count", "count_aside", "detail", "entry_day", "flag", "head",
    "index_some", "is_flagged", "may_review", "open_for_amend", "page", "query", "require_review", "search_lines",
    "searched_nothing", "shift_ids_of", "sign_off", "signed", "stats", "stats_aside", "unindexed", "unsigned_yesterday",
]
