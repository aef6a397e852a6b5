"""重点监管名单: the C-level watchlist, its export, and the public C list for partners."""

from collections.abc import Callable, Sequence
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.exports import xlsx_response
from core.roles import is_admin, require_role, sees_whole_district

from ..filters import WatchlistFilter
from ..models import Level, Rating
from ..selectors_uses import (
    c_list,
    date_key,
    due_on,
    last_patrol_on,
    patrol_intervals,
    watchlist,
)
from ..tables import WatchlistTable, clause_items

PAGE_SIZE = 50


class _CountedPaginator(Paginator):
    """A paginator whose total comes from ``count_rows`` instead of counting the page's query."""

    def __init__(
        self, object_list: Sequence, per_page: int, *, count_rows: Callable[[], int], **kwargs
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._count_rows = count_rows

    @cached_property
    def count(self) -> int:
        return self._count_rows()


def _filtered_watchlist(request: HttpRequest) -> WatchlistFilter:
    today = timezone.localdate()
    intervals = patrol_intervals()
    queryset = watchlist(user=request.user, intervals=intervals)
    return WatchlistFilter(
        request.GET or None,
        queryset=queryset,
        user=request.user,
        today=today,
        intervals=intervals,
    )


def watchlist_page(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    watch_filter = _filtered_watchlist(request)
    table = WatchlistTable(watch_filter.qs, today=watch_filter.today)
    paginate: dict = {"per_page": PAGE_SIZE}
    if sees_whole_district(request.user) and not any(
        request.GET.get(name) for name in watch_filter.filters
    ):
        # The whole district unfiltered: every C rating is a row, and counting ratings reads
        # the (level, employer) index alone instead of joining each C rating to its employer.
        paginate |= {
            "paginator_class": _CountedPaginator,
            "count_rows": Rating.objects.filter(level=Level.C).count,
        }
    RequestConfig(request, paginate=paginate).configure(table)
    return render(
        request,
        "ratings/watchlist_list.html",
        {
            "filter": watch_filter,
            "table": table,
            "may_export_c_list": sees_whole_district(request.user),
            "may_manage_keys": is_admin(request.user),
        },
    )


def watchlist_export(request: HttpRequest) -> HttpResponse:
    """The watchlist as the user sees it (scope and filters), every row."""
    require_role(request.user)
    watch_filter = _filtered_watchlist(request)
    today_key = date_key(watch_filter.today)
    header = [
        _("Area unit"),
        _("Unified social credit code"),
        _("Employer name"),
        _("Clauses"),
        _("C since"),
        _("Last patrol"),
        _("Next patrol due"),
        _("Patrol overdue"),
        _("Trained since C on"),
    ]
    rows = (
        (
            e.unit.name,
            e.credit_code,
            e.name,
            "；".join(f"{code} {text}" for code, text in clause_items(e.rating.clause_codes)),
            e.rating.since,
            last_patrol_on(e),
            due_on(e),
            _("Yes") if e.due_key < today_key else _("No"),
            e.trained_on if e.trained_on else _("Untrained"),
        )
        for e in watch_filter.qs.order_by("unit_id", "name", "id").iterator(chunk_size=2000)
    )
    stamp = watch_filter.today.strftime("%Y%m%d")
    return xlsx_response(
        filename=f"watchlist-{stamp}.xlsx", header=header, rows=rows, sheet_title=_("Watchlist")
    )


def c_list_export(request: HttpRequest) -> HttpResponse:
    """The joint-punishment C list with public fields only, as the partner API gives it.

    District-wide, so supervisors and admins only."""
    require_role(request.user)
    if not sees_whole_district(request.user):
        raise PermissionDenied
    header = [
        _("Unified social credit code"),
        _("Employer name"),
        _("Area unit"),
        _("Level"),
        _("Clauses"),
        _("C since"),
    ]
    rows = (
        (
            r.employer.credit_code,
            r.employer.name,
            r.employer.unit.name,
            r.level,
            r.clause_codes,
            r.since,
        )
        for r in c_list(level=Level.C).iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(
        filename=f"c-list-{stamp}.xlsx", header=header, rows=rows, sheet_title=_("C list")
    )
