"""The review's list loaded (复核): a key in the search box waits only for the list's first page;
over more than a day the count (up to SEARCH_CAP matches of a year) and then the figures and chart
come from a thread, the top line saying what is still being counted — never a number not yet true.

Before, each key counted the matches first (bench/measured-by-hand.md has the figures)."""

from __future__ import annotations

from textual import work
from textual.widgets import Static
from textual.worker import get_current_worker

from checkpoint.errors import CheckpointError
from checkpoint.i18n import t
from checkpoint.services import review
from checkpoint.services.review import Scope
from checkpoint.widgets.background_error import unexpected
from checkpoint.widgets.day_chart import DayChart
from checkpoint.widgets.paged_table import PAGE, Row


class ListLoading:
    """Part of ReviewScreen (screens/review.py): the list, its count and its figures, loaded."""

    def reload(self, keep_cursor: bool = False) -> None:
        """The list for the scope, filters and search as they are now. A key in the search box waits
        only for the list's first page: over more than a day the count (up to SEARCH_CAP matches of
        a year) comes from a thread a moment later, the top line saying it is counting until then."""
        store = self.app.store
        assert self.scope is not None
        try:
            q = review.query(self.scope, self.filters, self.text)
            head = review.head(store, q, PAGE, self.text)
            total, figures = head.total, None
            if self.scope.one_day:   # a day is quick: its figures at once, the count among them
                figures = review.stats(store, q, self.scope, self.text)
                total = figures.counts["persons"] if total is None else total
            elif total is None and keep_cursor:   # after a correction: counted at once, the cursor stays
                total = review.count(store, q, self.text)
        except CheckpointError as exc:
            self.notify(exc.message, severity="error")
            return
        self.log_query, self.head, self.total = q, head, total
        self.table.columns = self._columns()
        self.table.load(len(head.lines) if total is None else total, self._fetch(q, head, total), keep_cursor)
        self.show_filters()
        if figures is not None:   # the screen is never half-drawn for a day
            self.show_stats(figures, self.scope, total, q)
            return
        self.query_one("#review-top", Static).update(t("review.counting", scope=self.scope.label()))
        self.count_and_chart(q, self.scope, total, self.text)

    def _fetch(self, q, head: review.Head, total: int | None):
        """The table's source: the head's lines where they reach, the store beyond them (only once
        `total` is known; until then the table holds the head alone)."""
        store = self.app.store

        def fetch(offset: int, limit: int) -> list[Row]:
            if total is None or offset + limit <= len(head.lines):
                return [self._row(line) for line in head.lines[offset:offset + limit]]
            return [self._row(line) for line in review.page(store, q, offset, limit, total)]
        return fetch

    def show_count(self, q, total: int) -> None:
        """The count from the thread: the whole list scrolls now, and the top line says how many."""
        if q is not self.log_query or self.scope is None:
            return   # a count finishing late, for a search or filter already replaced
        self.total = total
        self.table.load(total, self._fetch(q, self.head, total), keep_cursor=True)
        top = t("review_count.counted", scope=self.scope.label(), total=total)
        if review.capped(q, total):
            top += "　" + t("review.capped", cap=review.SEARCH_CAP)
        self.query_one("#review-top", Static).update(top)

    @work(thread=True, exclusive=True, group="review-stats", exit_on_error=False)
    def count_and_chart(self, q, scope: Scope, total: int | None, text: str = "") -> None:
        try:
            if total is None:
                total = review.count_aside(self.app.store, q, text)
                self.app.call_from_thread(self.show_count, q, total)
                if get_current_worker().is_cancelled:
                    return   # the next key's search replaced this one: no chart for it
            stats = review.stats_aside(self.app.store, q, scope, text)
        except CheckpointError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        except Exception as exc:   # noqa: BLE001 — logged and said, never a silent 正在统计…
            self.app.call_from_thread(self.notify, unexpected(exc, "review count"), severity="error", timeout=15)
            return
        self.app.call_from_thread(self.show_stats, stats, scope, total, q)

    def show_stats(self, stats: review.Stats, scope: Scope, total: int, q=None) -> None:
        if scope != self.scope or (q is not None and q is not self.log_query):
            return   # a thread finishing late, for a search or filter already replaced
        counts = {k: stats.counts.get(k, 0) for k in ("persons_in", "persons_out", "fevers", "turned_back",
                                                       "held_or_referred", "isolated", "amended")}
        top = t("review.top", scope=scope.label(), total=total, **counts)
        if review.capped(self.log_query, total):
            top += "　" + t("review.capped", cap=review.SEARCH_CAP)
        elif review.searched_nothing(self.text):
            top += "　" + t("review.nothing_searchable")
        if scope.one_day and scope.shift_id is None:
            signed = review.signed(self.app.store, scope.day_from)
            top += " " + (t("review.signed_short", by=signed.by) if signed else t("review.not_signed"))
        self.query_one("#review-top", Static).update(top)
        title = t("review.chart_day") if stats.by_hour else t("review.chart_range")
        self.query_one(DayChart).show(title, t("review.chart_marks"), stats.buckets)
