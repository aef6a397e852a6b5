"""重点监管名单: the C-level watchlist and its export."""

from collections.abc import Callable, Sequence
from functools import cached_property

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from core.roles import is_admin, role_required, sees_whole_district
from ratings.models import Level, Rating

from ..exports import WatchlistExport
from ..filters import WatchlistFilter
from ..selectors import patrol_intervals, watchlist
from ..tables import WatchlistTable

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


@role_required()
def watchlist_page(request: HttpRequest) -> HttpResponse:
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
        "planning/watchlist_list.html",
        {
            "filter": watch_filter,
            "table": table,
            "may_export_c_list": sees_whole_district(request.user),
            "may_manage_keys": is_admin(request.user),
        },
    )


@role_required()
def watchlist_export(request: HttpRequest) -> HttpResponse:
    """The watchlist as the user sees it (scope and filters), every row."""
    watch_filter = _filtered_watchlist(request)
    rows = watch_filter.qs.order_by("unit_id", "name", "id")
    return WatchlistExport(today=watch_filter.today).response(rows, stamp=watch_filter.today)
