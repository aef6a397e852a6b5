import re
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm, style_widgets
from core.roles import Role, is_admin
from employers.credit_code import normalise_credit_code
from employers.models import Employer, Unit
from inspections.forms import items_field

from .models import MAX_EXTENSION_WORKDAYS, Complaint

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dX])$")
PHONE = re.compile(r"^[\d\-+ ()]{5,20}$")


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AbstractBaseUser) -> str:
        return obj.get_full_name() or obj.get_username()


def inspectors_field(label: str | Promise, **options: Any) -> InspectorChoiceField:
    """Inspectors to pick as boxes to tick; the form sets their choices (``inspector_choices``)."""
    return InspectorChoiceField(
        label=label,
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        **options,
    )


def inspector_choices(user: AbstractBaseUser, unit: Unit | None = None) -> QuerySet:
    """Inspectors the user may pick: those of the given unit, else of the user's own units
    (every inspector for an administrator)."""
    queryset = get_user_model().objects.filter(groups__name=Role.INSPECTOR, is_active=True)
    if unit is not None:
        queryset = queryset.filter(units=unit)
    elif not is_admin(user):
        queryset = queryset.filter(units__in=Unit.objects.filter(inspectors=user))
    return queryset.distinct().order_by("first_name", "username")


def resolve_employer(user: AbstractBaseUser, text: str) -> Employer:
    """An employer the user may record against, from a credit code or a name; raises a
    ValidationError naming the candidates when the text is ambiguous."""
    text = (text or "").strip()
    scope = Employer.objects.editable_by(user).select_related("unit")
    code = normalise_credit_code(text)
    if len(code) == 18:
        found = scope.filter(credit_code=code).first()
        if found:
            return found
    exact = list(scope.filter(name=text)[:2])
    if len(exact) == 1:
        return exact[0]
    candidates = list(scope.filter(Q(name__icontains=text) | Q(credit_code__startswith=code))[:6])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise forms.ValidationError(
            _(
                "No employer in your units matches “%(text)s”. Check the name or credit code, or "
                "tick “not in the registry” and record its name."
            ),
            params={"text": text},
        )
    raise forms.ValidationError(
        _("“%(text)s” matches several employers: %(names)s. Enter the credit code."),
        params={"text": text, "names": "、".join(e.name for e in candidates[:5])},
    )


class ComplaintIntakeForm(forms.ModelForm):
    employer_query = forms.CharField(
        label=_("Employer (name or credit code)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    unregistered = forms.BooleanField(
        label=_("The employer is not in the registry"), required=False
    )
    items = items_field(_("Items complained about"))
    inspectors = inspectors_field(
        _("Also assign"),
        required=False,
        help_text=_(
            "You are assigned yourself. Assigned inspectors see the complainant's identity."
        ),
    )

    class Meta:
        model = Complaint
        fields = [
            "kind",
            "channel",
            "received_on",
            "anonymous",
            "complainant_name",
            "complainant_id_number",
            "complainant_phone",
            "complainant_address",
            "unregistered_name",
            "unregistered_address",
            "unit",
            "workers_involved",
            "amount_involved",
            "description",
        ]
        widgets = {
            "received_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_on"].initial = timezone.localdate()
        units = Unit.objects.all() if is_admin(user) else Unit.objects.filter(inspectors=user)
        self.fields["unit"].queryset = units
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Only for an employer not in the registry.")
        self.fields["inspectors"].queryset = inspector_choices(user).exclude(pk=user.pk)
        if is_admin(user):
            self.fields["inspectors"].label = _("Assign inspectors")
            self.fields["inspectors"].help_text = _(
                "Assigned inspectors see the complainant's identity."
            )
        style_widgets(self)
        self.fields["employer_query"].widget.attrs.update(
            {"placeholder": _("Type a name or credit code"), "list": "employer-options"}
        )

    def clean_complainant_id_number(self) -> str:
        value = self.cleaned_data["complainant_id_number"].strip().upper()
        if value and not ID_NUMBER.match(value):
            raise forms.ValidationError(_("An ID number has 18 characters (or 15 digits)."))
        return value

    def clean_complainant_phone(self) -> str:
        value = self.cleaned_data["complainant_phone"].strip()
        if value and not PHONE.match(value):
            raise forms.ValidationError(_("Enter a phone number of digits only."))
        return value

    def clean_amount_involved(self) -> Decimal | None:
        # Said here, next to the field: the database constraint would only give a message
        # for the whole form.
        value = self.cleaned_data.get("amount_involved")
        if value is not None and value < 0:
            raise forms.ValidationError(_("The amount involved cannot be negative."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        if data.get("unregistered"):
            if not (data.get("unregistered_name") or "").strip():
                self.add_error("unregistered_name", _("Enter the employer's name."))
            if not data.get("unit"):
                self.add_error("unit", _("Choose the area unit of the unregistered employer."))
            self.instance.employer = None
        else:
            query = data.get("employer_query", "")
            if not query.strip():
                self.add_error(
                    "employer_query",
                    _("Pick the employer from the registry, or tick “not in the registry”."),
                )
            else:
                try:
                    self.instance.employer = resolve_employer(self.user, query)
                    data["unit"] = self.instance.employer.unit
                except forms.ValidationError as error:
                    self.add_error("employer_query", error)
            data["unregistered_name"] = ""
            data["unregistered_address"] = ""
        if not data.get("anonymous") and not (data.get("complainant_name") or "").strip():
            self.add_error(
                "complainant_name", _("Enter the complainant's name or mark the report anonymous.")
            )
        return data

    def _post_clean(self) -> None:
        # Constraints that depend on the service (employer or name, the unit) are checked there;
        # here only the field values are copied onto the instance.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields)


class ComplaintEditForm(forms.ModelForm):
    """Corrections to an open complaint. The identity fields and the free text (which may name
    the complainant) are offered only to those who may see the identity."""

    items = items_field(_("Items complained about"))

    IDENTITY_FIELDS = (
        "anonymous",
        "complainant_name",
        "complainant_id_number",
        "complainant_phone",
        "complainant_address",
        "description",
    )

    class Meta:
        model = Complaint
        # What intake records, but the unit.
        fields = [name for name in ComplaintIntakeForm.Meta.fields if name != "unit"]
        widgets = ComplaintIntakeForm.Meta.widgets

    def __init__(self, *args, with_identity: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].initial = list(self.instance.items.values_list("item", flat=True))
        if not with_identity:
            for name in self.IDENTITY_FIELDS:
                del self.fields[name]
        if self.instance.employer_id:
            del self.fields["unregistered_name"]
            del self.fields["unregistered_address"]
        style_widgets(self)

    clean_complainant_id_number = ComplaintIntakeForm.clean_complainant_id_number
    clean_complainant_phone = ComplaintIntakeForm.clean_complainant_phone
    clean_amount_involved = ComplaintIntakeForm.clean_amount_involved

    def _post_clean(self) -> None:
        # The service validates the whole complaint; copy the field values only.
        self.instance = forms.models.construct_instance(
            self, self.instance, [f for f in self._meta.fields if f in self.fields]
        )


class SupplementForm(StyledForm):
    requested_on = forms.DateField(label=_("Requested on"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Materials to supplement"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SupplementedForm(StyledForm):
    supplemented_on = forms.DateField(label=_("Materials received on"), widget=DATE_WIDGET)


class RejectForm(StyledForm):
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *Complaint.RejectionReason.choices]
    )
    note = forms.CharField(
        label=_("Written reason given to the complainant"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answered_on = forms.DateField(
        label=_("Complainant answered on"), required=False, widget=DATE_WIDGET
    )


class PicksInspectorsForm(StyledForm):
    """A step form with an ``inspectors`` field: the inspectors of the complaint's unit the user
    may pick (``inspector_choices``)."""

    def __init__(self, *args, complaint: Complaint, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(user, complaint.unit)


class AcceptForm(PicksInspectorsForm):
    accepted_on = forms.DateField(
        label=_("Accepted on (the case is opened this day)"), widget=DATE_WIDGET
    )
    inspectors = inspectors_field(_("Inspectors handling the case (at least two)"))


class CloseForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *Complaint.Outcome.choices]
    )
    note = forms.CharField(
        label=_("Outcome details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    answered_on = forms.DateField(
        label=_("Complainant answered on"), required=False, widget=DATE_WIDGET
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DATE_WIDGET)


class AnswerForm(StyledForm):
    answered_on = forms.DateField(label=_("Complainant answered on"), widget=DATE_WIDGET)


class ExtensionRequestForm(StyledForm):
    workdays = forms.IntegerField(
        label=_("Working days"), min_value=1, max_value=MAX_EXTENSION_WORKDAYS, initial=30
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when refusing)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(PicksInspectorsForm):
    inspectors = inspectors_field(_("Assigned inspectors"))


class LinkEmployerForm(StyledForm):
    employer_query = forms.CharField(label=_("Registered employer (name or credit code)"))

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["employer_query"].widget.attrs.update({"list": "employer-options"})

    def clean_employer_query(self) -> Employer:
        return resolve_employer(self.user, self.cleaned_data["employer_query"])
