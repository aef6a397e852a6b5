"""The ground floor's pages: the working calendar (administrators only)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import dates, workdays
from core.forms import OfficialDaysForm, official_days_as_lines
from core.models import OfficialDay
from core.roles import Role, role_required
from core.services import official_days_replace_year

FIRST_EDITABLE_YEAR = 2000
LAST_EDITABLE_YEAR = 2100
RECENT_YEARS = 4  # the years before this one that the overview lists in full

ONLY_ADMINS = _("Only administrators maintain the working calendar.")


@role_required(Role.ADMIN, message=ONLY_ADMINS)
def calendar_overview(request: HttpRequest) -> HttpResponse:
    today = dates.local_today()
    last = max([today.year + 1, *workdays.entered_years()])
    recent = list(range(last, today.year - RECENT_YEARS, -1))
    older = list(range(today.year - RECENT_YEARS, workdays.FIRST_KNOWN_YEAR - 1, -1))
    return render(
        request,
        "core/calendar_overview.html",
        {
            "years": workdays.calendar_years(recent),
            "older_years": older,
            "next_year": today.year + 1,
            "next_year_known": workdays.year_source(today.year + 1) != workdays.SOURCE_ESTIMATE,
        },
    )


@role_required(Role.ADMIN, message=ONLY_ADMINS)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    """GET: the year's days and the form. POST: check the form and show what would change;
    POST with ``confirm``: replace the year's schedule and list the deadlines that moved."""
    if not FIRST_EDITABLE_YEAR <= year <= LAST_EDITABLE_YEAR:
        raise Http404
    source = workdays.year_source(year)
    days = workdays.year_days(year)
    if request.method == "POST":
        form = OfficialDaysForm(request.POST, year=year)
        if form.is_valid() and "edit" not in request.POST:
            new_days = form.cleaned_data["lines"]
            if request.POST.get("confirm") == "1":
                try:
                    moved = official_days_replace_year(
                        year=year,
                        days=new_days,
                        source=form.cleaned_data["source"],
                        user=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    return render(
                        request,
                        "core/calendar_saved.html",
                        {"year": year, "moved": moved, "count": len(new_days)},
                    )
            else:
                return render(
                    request,
                    "core/calendar_confirm.html",
                    {
                        "year": year,
                        "form": form,
                        "new_days": new_days,
                        "source": source,
                        "replaced": OfficialDay.objects.filter(year=year).count(),
                    },
                )
    else:
        initial = {}
        if source == workdays.SOURCE_TABLE:
            rows = list(OfficialDay.objects.filter(year=year))
            initial = {
                "lines": official_days_as_lines(rows),
                "source": next((row.source for row in reversed(rows) if row.source), ""),
            }
        elif source == workdays.SOURCE_PACKAGE:
            initial = {
                "lines": "\n".join(
                    f"{day.date.isoformat()} {day.kind} {day.name}".rstrip() for day in days
                )
            }
        # An estimated year starts empty: its dates come from the notice, never from a guess.
        form = OfficialDaysForm(initial=initial, year=year)
    return render(
        request,
        "core/calendar_year.html",
        {"year": year, "source": source, "days": days, "form": form},
    )
