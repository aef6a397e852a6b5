"""Forms of the procedure: recording service, recording an objection, deciding it."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from inspections.models import Case

from .models import Notice, Objection
from .services import reviewer_recused_ids

# ISO format: a type=date input shows nothing for a localised date
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = forms.Select(attrs={"class": "form-select"})
TEXT = forms.Textarea(attrs={"rows": 4, "class": "form-control"})
FILE = {"class": "form-control", "accept": ".jpg,.jpeg,.png,.pdf"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={**FILE, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ServiceForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Served by way of"), choices=Notice.Method.choices, widget=SELECT
    )
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    receipt = forms.FileField(
        label=_("Receipt (photo or PDF of the signed return)"),
        required=False,
        widget=forms.ClearableFileInput(attrs=FILE),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def supervisors():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.SUPERVISOR, is_active=True)
        .distinct()
        .order_by("first_name", "username")
    )


class ReviewerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: object) -> str:
        return obj.get_full_name() or obj.get_username()


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Objection.Channel.choices, widget=SELECT
    )
    ground = forms.ChoiceField(label=_("Grounds"), choices=Objection.Ground.choices, widget=SELECT)
    text = forms.CharField(label=_("What the employer says"), widget=TEXT)
    reviewer = ReviewerField(
        label=_("Reviewer (a supervisor not involved in the cases)"),
        queryset=supervisors(),
        widget=SELECT,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: object, notice: Notice, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["reviewer"].queryset = supervisors()

    def clean_reviewer(self) -> object:
        reviewer = self.cleaned_data["reviewer"]
        if reviewer.pk in reviewer_recused_ids(self.notice):
            raise ValidationError(
                _("%(name)s worked on a case behind this rating and cannot review the objection.")
                % {"name": reviewer.get_full_name() or reviewer.get_username()}
            )
        return reviewer


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Objection.Outcome.choices, widget=SELECT
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=TEXT)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    withdraw_cases = forms.ModelMultipleChoiceField(
        label=_("Withdraw these cases (the objection is upheld for them)"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: object, objection: Objection, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdraw_cases"].queryset = Case.objects.filter(
            pk__in=objection.notice.case_ids, withdrawn=False
        ).order_by("number")
        self.fields["withdraw_cases"].label_from_instance = lambda case: case.number
