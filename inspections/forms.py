"""Forms of the inspections app. Rules about what may change live in services.py; the forms
check input and turn database constraints into errors next to the field they concern."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm as CoreStyledForm
from core.forms import style_widgets
from core.roles import Role
from employers.models import Employer

from .items import Item
from .models import Case, Patrol, PatrolCheck, WrittenReview, case_date_errors
from .uploads import ALLOWED_DESCRIPTION, EVIDENCE_MAX_BYTES

TWO_INSPECTORS_MESSAGE = _(
    "At least two inspectors must take part (Labour Inspection Regulations Art. 16): "
    "select the second inspector."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledForm(CoreStyledForm):
    # The templates lay out radio buttons and lists of check boxes themselves.
    style_choice_lists = False


def inspectors_for(employer: Employer, current: QuerySet | None = None) -> QuerySet:
    """Inspectors of the employer's unit, plus whoever is already on the record (an inspector
    who has since moved unit still appears on the patrols they took part in)."""
    user_model = get_user_model()
    condition = Q(units=employer.unit_id, groups__name=Role.INSPECTOR)
    if current is not None:
        condition |= Q(pk__in=current.values("pk"))
    return user_model.objects.filter(condition).distinct().order_by("first_name", "username")


class InspectorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        return obj.get_full_name() or obj.get_username()

    def clean(self, value: object) -> QuerySet:
        if not value or len(value) < 2:
            raise ValidationError(TWO_INSPECTORS_MESSAGE, code="two_inspectors")
        return super().clean(value)


def items_field(label: str | Promise, *, required: bool = True) -> forms.MultipleChoiceField:
    """The checklist items (``Item``) as boxes to tick."""
    return forms.MultipleChoiceField(
        label=label, choices=Item.choices, required=required, widget=forms.CheckboxSelectMultiple
    )


def _today() -> datetime.date:
    return timezone.localdate()


class _TeamRecordForm(forms.ModelForm):
    """A record an inspector team makes at an employer: the team is chosen among the
    inspectors of the employer's unit (and those already on the record), and a new record
    starts with its ``date_field`` today and the user on the team."""

    date_field = ""
    inspectors = InspectorsField(queryset=None, label=_("Inspectors (at least two)"))

    def __init__(self, *args, employer: Employer, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.employer = employer
        current = self.instance.inspectors.all() if self.instance.pk else None
        self.fields["inspectors"].queryset = inspectors_for(employer, current)
        if not self.instance.pk:
            # A ModelForm's initial dict (from the blank instance) wins over field.initial.
            if not self.initial.get(self.date_field):
                self.initial[self.date_field] = _today()
            if not self.initial.get("inspectors"):
                self.initial["inspectors"] = [user.pk]


class PatrolForm(_TeamRecordForm):
    """The patrol form, one screen on a phone: who, when, the checklist, what came of it."""

    date_field = "patrolled_on"

    class Meta:
        model = Patrol
        fields = [
            "patrolled_on",
            "inspectors",
            "person_met",
            "headcount_seen",
            "findings",
            "outcome",
        ]
        widgets = {
            "patrolled_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.RadioSelect,
            "headcount_seen": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def __init__(self, *args, employer: Employer, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, employer=employer, user=user, **kwargs)
        existing = {c.item: c for c in self.instance.checks.all()} if self.instance.pk else {}
        for item in Item:
            line = existing.get(item.value)
            self.fields[f"check_{item.value}"] = forms.ChoiceField(
                label=item.label,
                choices=PatrolCheck.Result.choices,
                initial=line.result if line else PatrolCheck.Result.NOT_CHECKED,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.value}"] = forms.CharField(
                label=_("Problem found on %(item)s") % {"item": item.label},
                required=False,
                initial=line.note if line else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        style_widgets(self, choice_lists=False)

    def checklist_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"check_{item}"], self[f"note_{item}"]) for item in Item.values]

    def clean_patrolled_on(self) -> datetime.date:
        value = self.cleaned_data["patrolled_on"]
        if value > _today():
            raise ValidationError(_("The patrol date cannot be in the future."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        problems = []
        for item in Item:
            if data.get(f"check_{item.value}") == PatrolCheck.Result.PROBLEM:
                problems.append(item)
                if not (data.get(f"note_{item.value}") or "").strip():
                    self.add_error(
                        f"note_{item.value}",
                        _("Describe the problem found on %(item)s.") % {"item": item.label},
                    )
        outcome = data.get("outcome")
        if outcome == Patrol.Outcome.CASE_OPENED and not problems:
            self.add_error(
                "outcome",
                _("A case is opened for a problem: mark the items where problems were found."),
            )
        if outcome == Patrol.Outcome.COMPLIANT and problems:
            self.add_error(
                "outcome",
                _("The checklist shows problems: choose corrected on the spot or case opened."),
            )
        return data

    def checks(self) -> dict[str, tuple[str, str]]:
        return {
            item: (
                self.cleaned_data[f"check_{item}"],
                self.cleaned_data.get(f"note_{item}", "")
                if self.cleaned_data[f"check_{item}"] == PatrolCheck.Result.PROBLEM
                else "",
            )
            for item in Item.values
        }


class CaseForm(_TeamRecordForm):
    """Create and edit a case with its measures. The serious flag is not here: only a
    supervisor sets it, on its own form."""

    date_field = "opened_on"

    number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=50,
        help_text=_("Leave empty for the next number, e.g. 西青人社监〔2026〕012号."),
    )
    violation_items = items_field(_("Violation items"), required=False)

    class Meta:
        model = Case
        fields = [
            "number",
            "source",
            "opened_on",
            "violation_items",
            "inspectors",
            "facts",
            "decided_on",
            "order_issued",
            "order_deadline",
            "order_rectified_on",
            "decision_issued",
            "decision_number",
            "decision_deadline",
            "decision_fulfilled_on",
            "penalty_issued",
            "penalty_number",
            "penalty_amount",
            "fine_due_on",
            "fine_paid_on",
            "mass_incident",
            "criminal",
            "forced_labour",
            "obstructed_inspection",
            "closed_on",
        ]
        widgets = {
            "opened_on": DateInput(),
            "decided_on": DateInput(),
            "order_deadline": DateInput(),
            "order_rectified_on": DateInput(),
            "decision_deadline": DateInput(),
            "decision_fulfilled_on": DateInput(),
            "fine_due_on": DateInput(),
            "fine_paid_on": DateInput(),
            "closed_on": DateInput(),
            "facts": forms.Textarea(attrs={"rows": 3}),
            "penalty_amount": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
        }

    def __init__(self, *args, employer: Employer, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, employer=employer, user=user, **kwargs)
        self.instance.employer = employer
        self.fields["fine_due_on"].help_text = _("The date the fine had to be paid by.")
        self.fields["forced_labour"].help_text = _(
            "Child labour is ticked among the violation items."
        )
        if self.instance.pk:
            self.fields["number"].required = True
            self.fields["number"].help_text = ""
        style_widgets(self, choice_lists=False)

    # Each measure's dates belong to that measure: say so on the date the user filled in,
    # before the database constraint would refuse the row.
    _MEASURE_FIELDS = {
        "order_issued": ("order_deadline", "order_rectified_on"),
        "decision_issued": ("decision_number", "decision_deadline", "decision_fulfilled_on"),
        "penalty_issued": ("penalty_number", "penalty_amount", "fine_due_on", "fine_paid_on"),
    }

    def clean_number(self) -> str:
        return (self.cleaned_data.get("number") or "").strip()

    def clean(self) -> dict:
        data = super().clean()
        for flag, fields in self._MEASURE_FIELDS.items():
            if data.get(flag):
                continue
            for name in fields:
                if data.get(name) not in (None, ""):
                    self.add_error(
                        name,
                        _("Tick “%(measure)s” or clear this field.")
                        % {"measure": self.fields[flag].label},
                    )
        # The date rules live with the case (inspections.models.case_dates); the form shows
        # them on their fields. A field that already failed is not in ``data``.
        for name, message in case_date_errors(data).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        decided = data.get("decided_on")
        if data.get("order_issued") and not data.get("order_deadline"):
            self.add_error("order_deadline", _("An order to correct needs a deadline."))
        if data.get("decision_issued") and not data.get("decision_deadline"):
            self.add_error(
                "decision_deadline", _("A handling decision needs a performance deadline.")
            )
        if (
            data.get("order_issued") or data.get("decision_issued") or data.get("penalty_issued")
        ) and not decided:
            self.add_error(
                "decided_on", _("Enter the date of the decision that imposed the measures.")
            )
        amount = data.get("penalty_amount")
        if amount is not None and amount < 0:
            self.add_error("penalty_amount", _("The fine cannot be negative."))
        return data

    def measures(self) -> dict:
        """The cleaned fields ``case_open`` does not take itself."""
        skip = {"number", "source", "opened_on", "violation_items", "inspectors", "facts"}
        return {
            k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields and k not in skip
        }


class SeriousForm(StyledForm):
    serious = forms.BooleanField(label=_("Other major violation judged serious"), required=False)
    serious_reason = forms.CharField(
        label=_("Reason for judging serious"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("serious") and not (data.get("serious_reason") or "").strip():
            self.add_error("serious_reason", _("Judging a violation serious needs a reason."))
        return data


class WithdrawForm(StyledForm):
    withdrawn_reason = forms.CharField(
        label=_("Reason for withdrawal"),
        help_text=_("Withdraw only a minor violation that has already been corrected."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(StyledForm):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=_today)


class EvidenceForm(StyledForm):
    file = forms.FileField(
        label=_("Photo or PDF"),
        # Interpolated when shown, not when the class is defined: in the reader's language.
        help_text=lazy(
            lambda: (
                _("%(allowed)s, at most %(mb)s MB.")
                % {"allowed": ALLOWED_DESCRIPTION, "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
            ),
            str,
        )(),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ReviewForm(forms.ModelForm):
    materials = items_field(_("Materials submitted"), required=False)

    class Meta:
        model = WrittenReview
        fields = [
            "year",
            "received_on",
            "materials",
            "complete",
            "reported_name",
            "reported_headcount",
            "notes",
        ]
        widgets = {
            "received_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, employer: Employer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        if not self.instance.pk:
            for name, value in (
                ("year", _today().year),
                ("received_on", _today()),
                ("reported_name", employer.name),
                ("reported_headcount", employer.headcount),
            ):
                if self.initial.get(name) in (None, ""):
                    self.initial[name] = value
        style_widgets(self, choice_lists=False)

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year")
        if (
            year
            and WrittenReview.objects.filter(employer=self.instance.employer, year=year)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "year",
                _("This employer already has a written review for %(year)s.") % {"year": year},
            )
        return data


class ReviewReturnForm(StyledForm):
    returned_on = forms.DateField(label=_("Returned on"), widget=DateInput(), initial=_today)
    returned_reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )
    resubmit_deadline = forms.DateField(label=_("Resubmission deadline"), widget=DateInput())

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("returned_on")
            and data.get("resubmit_deadline")
            and data["resubmit_deadline"] < data["returned_on"]
        ):
            self.add_error(
                "resubmit_deadline", _("The resubmission deadline cannot be before the return.")
            )
        return data


class ReviewResubmitForm(StyledForm):
    resubmitted_on = forms.DateField(label=_("Resubmitted on"), widget=DateInput(), initial=_today)


class ReviewConcludeForm(StyledForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            (WrittenReview.Status.PASSED, WrittenReview.Status.PASSED.label),
            (WrittenReview.Status.PROBLEMS, _("Problems found: open a case")),
        ],
        widget=forms.RadioSelect,
    )
    concluded_on = forms.DateField(label=_("Concluded on"), widget=DateInput(), initial=_today)
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    violation_items = items_field(_("Violation items"), required=False)
    inspectors = InspectorsField(
        queryset=None, label=_("Inspectors of the case (at least two)"), required=False
    )

    def __init__(self, *args, employer: Employer, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors_for(employer)
        self.fields["inspectors"].initial = [user.pk]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("result") == WrittenReview.Status.PROBLEMS:
            if not data.get("violation_items"):
                self.add_error("violation_items", _("Mark the items where problems were found."))
            if not (data.get("conclusion") or "").strip():
                self.add_error("conclusion", _("Describe the problems found."))
        elif "inspectors" in self.errors:
            # The case inspectors matter only when a case is opened.
            del self.errors["inspectors"]
        return data


class CaseImportForm(StyledForm):
    file = forms.FileField(
        label=_("Case ledger (.xlsx, .xls or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
