"""The daily digest: one e-mail per inspector listing what is overdue or about to be in their
units. Nothing is sent to someone with nothing to do.

All items of the district are gathered in a fixed number of queries (one per kind of item),
then shared out to the inspectors by unit.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import Complaint
from core.dates import add_months
from core.roles import Role
from employers.models import Employer
from inspections.models import WrittenReview
from ratings.procedure.selectors import objections_overdue
from ratings.selectors import EARLY_WARNING_DAYS, early_warning_cases_district

from .checks import c_employers_overdue, c_patrol_interval_months
from .models import DigestDelivery

logger = logging.getLogger(__name__)

# Early warnings and complaint clocks look as far ahead as the ratings' early-warning page.
DIGEST_HORIZON_DAYS = EARLY_WARNING_DAYS


@dataclass(frozen=True)
class DigestItem:
    section: str
    title: str
    detail: str
    due_on: datetime.date | None
    overdue: bool
    path: str

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}"


SECTIONS = [
    ("patrols", gettext_lazy("Patrols due (C employers past their interval)")),
    ("complaints", gettext_lazy("Complaint clocks")),
    ("early_warning", gettext_lazy("Early warning: deadlines in the next 7 days")),
    ("reviews", gettext_lazy("Returned written reviews past their deadline")),
    ("objections", gettext_lazy("Rating objections past their decision date")),
]


def _employer_path(credit_code: str) -> str:
    return reverse("employers:detail", kwargs={"credit_code": credit_code})


def _record_path(url_name: str, pk: int, fallback: str) -> str:
    """The record's own page, or ``fallback`` while the app that owns it has no such page."""
    try:
        return reverse(url_name, kwargs={"pk": pk})
    except NoReverseMatch:
        return fallback


def _patrol_items(today: datetime.date) -> Iterable[tuple[int, DigestItem]]:
    overdue, _totals = c_employers_overdue(today)
    interval = c_patrol_interval_months()
    last_patrol = {employer_id: last for rows in overdue.values() for employer_id, last in rows}
    if not last_patrol:
        return
    employers = Employer.objects.filter(pk__in=list(last_patrol)).values_list(
        "pk", "unit_id", "name", "credit_code"
    )
    for pk, unit_id, name, credit_code in employers:
        last = last_patrol[pk]
        due = add_months(last, interval) if last else None
        detail = (
            _("last patrol %(date)s") % {"date": last.isoformat()} if last else _("never patrolled")
        )
        yield unit_id, DigestItem("patrols", name, detail, due, True, _employer_path(credit_code))


def _complaint_items(today: datetime.date) -> Iterable[tuple[int, DigestItem]]:
    horizon = today + datetime.timedelta(days=DIGEST_HORIZON_DAYS)
    rows = (
        Complaint.objects.open()
        .filter(due_on__lte=horizon)
        .annotate(scope_unit=Coalesce(F("employer__unit_id"), F("unit_id")))
        .values_list(
            "pk",
            "scope_unit",
            "number",
            "status",
            "due_on",
            "employer__name",
            "employer__credit_code",
            "unregistered_name",
        )
    )
    for pk, unit_id, number, status, due_on, employer_name, credit_code, unregistered in rows:
        clock = (
            _("investigation due %(date)s")
            if status == Complaint.Status.ACCEPTED
            else _("acceptance decision due %(date)s")
        ) % {"date": due_on.isoformat()}
        # Only the number and the employer: the complainant's identity never leaves the system.
        title = f"{number} {employer_name or unregistered}"
        fallback = _employer_path(credit_code) if credit_code else ""
        path = _record_path("complaints:detail", pk, fallback)
        yield unit_id, DigestItem("complaints", title, clock, due_on, due_on < today, path)


def _early_warning_items(today: datetime.date) -> Iterable[tuple[int, DigestItem]]:
    """Open correction orders and handling decisions whose deadline falls in the next week:
    unless done in time the employer turns C (clauses C2, C3). The cases of the ratings'
    early-warning page (``ratings.selectors.early_warning_cases_district``), every unit at
    once; one item per deadline."""
    rows = early_warning_cases_district(today=today, days=DIGEST_HORIZON_DAYS).values_list(
        "employer__unit_id",
        "number",
        "employer__name",
        "employer__credit_code",
        "order_due_on",
        "decision_due_on",
    )
    for unit_id, number, name, credit_code, order_due_on, decision_due_on in rows:
        path = _employer_path(credit_code)
        deadlines = (
            (order_due_on, _("case %(number)s: correction deadline %(date)s")),
            (decision_due_on, _("case %(number)s: performance deadline %(date)s")),
        )
        for due_on, text in deadlines:
            if due_on:
                detail = text % {"number": number, "date": due_on.isoformat()}
                yield unit_id, DigestItem("early_warning", name, detail, due_on, False, path)


def _review_items(today: datetime.date) -> Iterable[tuple[int, DigestItem]]:
    rows = WrittenReview.objects.returned_overdue(today).values_list(
        "employer__unit_id",
        "pk",
        "year",
        "employer__name",
        "employer__credit_code",
        "resubmit_deadline",
    )
    for unit_id, pk, year, name, credit_code, deadline in rows:
        detail = _("%(year)s review, resubmission was due %(date)s") % {
            "year": year,
            "date": deadline.isoformat(),
        }
        path = _record_path("inspections:review_detail", pk, _employer_path(credit_code))
        yield unit_id, DigestItem("reviews", name, detail, deadline, True, path)


def _objection_items(today: datetime.date) -> Iterable[tuple[int, DigestItem]]:
    rows = objections_overdue(today=today).values_list(
        "employer__unit_id", "pk", "employer__name", "decision_due_on"
    )
    return [
        (
            unit_id,
            DigestItem(
                "objections",
                name,
                _("decision was due %(date)s") % {"date": due_on.isoformat()},
                due_on,
                True,
                reverse("ratings:objection_detail", kwargs={"pk": pk}),
            ),
        )
        for unit_id, pk, name, due_on in rows
    ]


def digest_items_by_unit(today: datetime.date) -> dict[int, list[DigestItem]]:
    """Every digest item of the district on ``today``, keyed by unit id."""
    by_unit: dict[int, list[DigestItem]] = defaultdict(list)
    gatherers = (_patrol_items, _complaint_items, _early_warning_items, _review_items)
    for gather in (*gatherers, _objection_items):
        for unit_id, item in gather(today):
            by_unit[unit_id].append(item)
    return by_unit


def digest_for_units(
    items_by_unit: dict[int, list[DigestItem]], unit_ids: list[int]
) -> list[tuple[str, list[DigestItem]]]:
    """The sections (label, items) for someone covering these units, empty sections left out."""
    mine = [item for unit_id in unit_ids for item in items_by_unit.get(unit_id, [])]
    sections = []
    for code, label in SECTIONS:
        items = sorted(
            (i for i in mine if i.section == code),
            key=lambda i: (i.due_on or datetime.date.min, i.title),
        )
        if items:
            sections.append((str(label), items))
    return sections


def digest_message(
    *, user: AbstractBaseUser, today: datetime.date, sections: list[tuple[str, list[DigestItem]]]
) -> EmailMultiAlternatives:
    count = sum(len(items) for _label, items in sections)
    context = {
        "user": user,
        "today": today,
        "sections": sections,
        "count": count,
        "site_url": settings.SITE_URL,
    }
    subject = _("Xiqing credit: %(count)s items need attention (%(date)s)") % {
        "count": count,
        "date": today.isoformat(),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("supervision/digest_email.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("supervision/digest_email.html", context), "text/html"
    )
    return message


def digest_send_all(*, today: datetime.date) -> int:
    """Send today's digest to every active inspector with an e-mail address and something to
    do; returns how many were sent. Safe to run twice: a delivery row per user and day is
    claimed in the same transaction as the send, so a rerun (or a retry after a mail-server
    error) skips everyone already served and a failed send is not recorded."""
    with translation.override(settings.LANGUAGE_CODE):
        items_by_unit = digest_items_by_unit(today)
        inspectors = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.INSPECTOR)
            .exclude(email="")
            .exclude(digest_deliveries__sent_on=today)
            .prefetch_related("units")
            .distinct()
            .order_by("pk")
        )
        sent = 0
        for user in inspectors:
            sections = digest_for_units(items_by_unit, [unit.pk for unit in user.units.all()])
            if not sections:
                continue
            message = digest_message(user=user, today=today, sections=sections)
            try:
                with transaction.atomic():
                    DigestDelivery.objects.create(
                        user=user,
                        sent_on=today,
                        item_count=sum(len(items) for _label, items in sections),
                    )
                    message.send()
            except IntegrityError:
                # Another worker served this user a moment ago.
                continue
            sent += 1
        logger.info("digest %s: %d sent", today.isoformat(), sent)
        return sent
