"""Reads of the procedure: notices due and overdue, objections under review and overdue, and
the C list as it may go to partner departments (final listings only)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    BooleanField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Conditional
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer

from ..models import Level, Rating
from .models import Notice, Objection, objection_open_exists

# Shown wherever an employer's level is shown while an objection against it is open.
OBJECTION_OPEN_LABEL = _("Objection under review")


def with_objection_open(queryset: QuerySet, employer_ref: str = "pk") -> QuerySet:
    """``objection_open`` on every row (异议处理中); ``employer_ref`` names the employer's id."""
    return queryset.annotate(objection_open=objection_open_exists(employer_ref))


def employer_objection_open(employer: Employer) -> bool:
    return Objection.objects.filter(employer=employer).open().exists()


def notices_visible(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Notice]:
    """Notices of the employers the user may see, with their employer and unit."""
    return Notice.objects.visible_to(user).select_related("employer__unit", "served_by")


def objections_visible(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Objection]:
    return Objection.objects.visible_to(user).select_related("employer__unit", "reviewer", "notice")


def objections_overdue(*, today: datetime.date) -> QuerySet[Objection]:
    """Open objections past their decision day, district-wide (the supervisors' digest)."""
    return (
        Objection.objects.overdue(today)
        .select_related("employer", "reviewer")
        .order_by("decision_due_on", "id")
    )


def notice_current(employer: Employer, rating: Rating | None) -> Notice | None:
    """The notice that tells the employer's current rating: the latest one with the same level
    and clauses (a rolling C notice, or the yearly notice)."""
    if rating is None:
        return None
    return (
        Notice.objects.filter(
            employer=employer, level=rating.level, clause_codes=rating.clause_codes
        )
        .order_by("-created_at", "-id")
        .first()
    )


def ratings_final_for_partners(*, today: datetime.date | None = None) -> QuerySet[Rating]:
    """C ratings whose listing is final, with ``final_on`` (the day it became final).

    Final (国办发〔2020〕49号: tell first, check objections): the latest rolling C notice of the
    employer was served (PARTNER_REQUIRE_NOTICE_SERVED), and no objection is open and either
    the objection period passed without one or the objection was decided
    (PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED). With both rules off a C is final from its
    first day."""
    today = today or timezone.localdate()
    latest = Notice.objects.filter(
        employer=OuterRef("employer_id"), kind=Notice.Kind.ROLLING, level=Level.C
    ).order_by("-created_at", "-id")
    on_notice = Objection.objects.filter(notice_id=OuterRef("current_notice"))
    ratings = (
        Rating.objects.filter(level=Level.C)
        .select_related("employer", "employer__unit")
        .annotate(
            current_notice=Subquery(latest.values("pk")[:1]),
            notice_served_on=Subquery(latest.values("served_on")[:1], output_field=DateField()),
            unopposed_final_on=Subquery(
                latest.values("final_unopposed_on")[:1], output_field=DateField()
            ),
        )
        .annotate(
            objection_open=objection_open_exists("employer_id"),
            objected=Exists(on_notice),
            objection_decided_on=Subquery(
                on_notice.exclude(outcome="").order_by("-decided_on").values("decided_on")[:1],
                output_field=DateField(),
            ),
        )
        .order_by("employer_id")
    )
    require_served = settings.PARTNER_REQUIRE_NOTICE_SERVED
    require_period = settings.PARTNER_REQUIRE_OBJECTION_PERIOD_PASSED
    if require_served:
        ratings = ratings.filter(notice_served_on__isnull=False)
    if require_period:
        ratings = ratings.filter(objection_open=False).filter(
            Q(objected=False, unopposed_final_on__lte=today) | Q(objection_decided_on__isnull=False)
        )
        final_on = Conditional(
            When(objection_decided_on__isnull=False, then="objection_decided_on"),
            default="unopposed_final_on",
            output_field=DateField(),
        )
    elif require_served:
        final_on = Conditional(
            When(notice_served_on__gt=F("since"), then="notice_served_on"),
            default="since",
            output_field=DateField(),
        )
    else:
        final_on = F("since")
    return ratings.annotate(final_on=final_on)


def rating_list_for_partners(*, level: str, today: datetime.date | None = None) -> QuerySet:
    """What the partner exchange sends for ``level``: final C listings only; A and B as they
    are (no listing, so no ``final_on``)."""
    if level == Level.C:
        return ratings_final_for_partners(today=today)
    return (
        Rating.objects.filter(level=level)
        .select_related("employer", "employer__unit")
        .annotate(final_on=Value(None, output_field=DateField()))
        .annotate(objection_open=Value(False, output_field=BooleanField()))
        .order_by("employer_id")
    )


def procedure_panel(employer: Employer, rating: Rating | None) -> dict:
    """The procedure's part of the rating panel: the current notice, the letter, and whether
    an objection is under review. Two queries."""
    return {
        "notice": notice_current(employer, rating),
        "objection_open": employer_objection_open(employer),
        "objection_open_label": OBJECTION_OPEN_LABEL,
    }
