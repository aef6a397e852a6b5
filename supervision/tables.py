"""Columns of the lists behind a red cell of the coverage matrix."""

import django_tables2 as tables
from django.contrib.auth.models import AbstractBaseUser
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from core.cards import Card
from core.tables import date_column
from employers.models import Employer
from inspections.models import WrittenReview


class SubjectTable(tables.Table):
    """The records a check counted, in a fixed order (one page of ids at a time, so the
    columns do not sort)."""

    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    class Meta:
        # The columns are the declared ones, in their order; none come from the model.
        fields = ()
        orderable = False
        attrs = {
            "class": "table table-sm table-hover align-middle subject-table",
            "data-testid": "cell-records",
        }

    @classmethod
    def of(cls, user: AbstractBaseUser, ids: list[int]) -> "SubjectTable":
        """The table of those of ``ids`` the user may still see."""
        records = (
            cls._meta.model.objects.visible_to(user)
            .filter(pk__in=ids)
            .select_related(*cls.related)
            .order_by(*cls.ordering)
        )
        return cls(records)


class SubjectEmployerTable(SubjectTable):
    name = tables.Column(linkify=True, verbose_name=_("Name"))
    credit_code = tables.Column(verbose_name=_("Credit code"))
    level = tables.Column(accessor="rating__level", verbose_name=_("Level"), default="—")
    created_at = date_column(_("Added on"))
    verified_on = date_column(_("Last verified on"), default="—")
    status = tables.Column(verbose_name=_("Status"))

    card = Card(
        title="name",
        code="credit_code",
        badge="level",
        dates=("created_at", "verified_on"),
        extra=("status",),
    )
    related = ("unit", "rating")
    ordering = ("name", "pk")

    class Meta(SubjectTable.Meta):
        model = Employer
        empty_text = _("None of these employers is in your units any more.")


class SubjectComplaintTable(SubjectTable):
    # Number, employer and clocks only: the complainant's identity stays on the complaint page.
    number = tables.Column(verbose_name=_("Complaint number"))
    employer = tables.Column(accessor="employer_display_name", verbose_name=_("Employer"))
    received_on = date_column(_("Received on"))
    status = tables.Column(verbose_name=_("Status"))
    acceptance_due_on = date_column(_("Acceptance decision due"), default="—")
    investigation_due_on = date_column(_("Investigation due"), default="—")

    card = Card(
        title="employer",
        code="number",
        link="number",
        dates=("received_on", "investigation_due_on"),
        extra=("status",),
    )
    related = ("employer",)
    ordering = ("received_on", "pk")

    class Meta(SubjectTable.Meta):
        model = Complaint
        empty_text = _("None of these complaints is in your units any more.")

    def render_number(self, value: str, record: Complaint) -> SafeString | str:
        try:
            return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        except NoReverseMatch:
            return value


class SubjectReviewTable(SubjectTable):
    employer = tables.Column(linkify=True, verbose_name=_("Employer"))
    year = tables.Column(verbose_name=_("Year"))
    returned_on = date_column(_("Returned on"), default="—")
    resubmit_deadline = date_column(_("Resubmission deadline"))
    resubmitted_on = date_column(_("Resubmitted on"), default="—")
    status = tables.Column(verbose_name=_("Status"))

    card = Card(
        title="employer",
        dates=("resubmit_deadline", "resubmitted_on"),
        extra=("year", "status"),
    )
    related = ("employer",)
    ordering = ("resubmit_deadline", "pk")

    class Meta(SubjectTable.Meta):
        model = WrittenReview
        empty_text = _("None of these reviews is in your units any more.")


# The table of each kind of subject a check counts; any other subject is an employer.
SUBJECT_TABLES: dict[str, type[SubjectTable]] = {
    "complaint": SubjectComplaintTable,
    "review": SubjectReviewTable,
}


def subject_table(subject: str, user: AbstractBaseUser, ids: list[int]) -> SubjectTable:
    return SUBJECT_TABLES.get(subject, SubjectEmployerTable).of(user, ids)
