"""Forms of inspection planning: patrol intervals and training records."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.text import with_note
from employers.models import Employer
from ratings.models import Level

from .models import TrainingAttendance, TrainingSession

MAX_INTERVAL_MONTHS = 60


class PatrolIntervalsForm(forms.Form):
    """One field per level; a better level is never patrolled more often than a worse one."""

    def __init__(self, *args, initial_months: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for level, label in Level.choices:
            self.fields[f"months_{level}"] = forms.IntegerField(
                label=_("Level %(level)s: months between patrols") % {"level": label},
                min_value=1,
                max_value=MAX_INTERVAL_MONTHS,
                initial=initial_months.get(level),
                error_messages={
                    "required": _("Enter the months between patrols for level %(level)s.")
                    % {"level": level},
                    "invalid": _("Level %(level)s: enter a whole number of months.")
                    % {"level": level},
                    "min_value": _("Level %(level)s: the interval must be at least 1 month.")
                    % {"level": level},
                    "max_value": _("Level %(level)s: the interval can be at most %(max)s months.")
                    % {"level": level, "max": MAX_INTERVAL_MONTHS},
                },
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        a, b, c = (cleaned.get(f"months_{level}") for level in Level.values)
        if a is not None and b is not None and a < b:
            self.add_error(
                "months_A",
                _("Level A (%(a)s months) must not be patrolled more often than level B (%(b)s).")
                % {"a": a, "b": b},
            )
        if b is not None and c is not None and b < c:
            self.add_error(
                "months_B",
                _("Level B (%(b)s months) must not be patrolled more often than level C (%(c)s).")
                % {"b": b, "c": c},
            )
        return cleaned

    @property
    def months(self) -> dict[str, int]:
        return {level: self.cleaned_data[f"months_{level}"] for level in Level.values}


class TrainingSessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "organiser"]
        widgets = {
            "held_on": forms.DateInput(
                attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
            ),
            "topic": forms.TextInput(attrs={"class": "form-control"}),
            "organiser": forms.TextInput(attrs={"class": "form-control"}),
        }
        labels = {"held_on": _("Date"), "topic": _("Topic"), "organiser": _("Organiser")}
        error_messages = {
            "held_on": {
                "required": _("Enter the date of the training."),
                "invalid": _("Enter the date as YYYY-MM-DD."),
            },
            "topic": {"required": _("Enter the topic of the training.")},
            "organiser": {"required": _("Enter who organised the training.")},
        }


def trainable_employers(user: AbstractBaseUser) -> QuerySet[Employer]:
    """C employers whose attendance the user may record: inspectors their units', supervisors
    and admins the whole district."""
    return (
        Employer.objects.visible_to(user)
        .filter(rating__level=Level.C)
        .select_related("unit")
        .order_by("unit__code", "name")
    )


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employer) -> str:
        return with_note(obj.name, obj.unit.name)


class TrainingAttendanceForm(forms.ModelForm):
    employer = EmployerChoiceField(
        queryset=Employer.objects.none(),
        label=_("Employer"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": _("Choose an employer from the C list of your units."),
        },
    )

    class Meta:
        model = TrainingAttendance
        fields = ["employer", "person_name", "role", "attended"]
        widgets = {
            "person_name": forms.TextInput(attrs={"class": "form-control"}),
            "role": forms.Select(attrs={"class": "form-select"}),
            "attended": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }
        labels = {
            "person_name": _("Person trained"),
            "role": _("Role"),
            "attended": _("Attended"),
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = trainable_employers(user)
        if self.instance.pk and self.instance.employer_id:
            # An employer that has since left the C list keeps its recorded attendance.
            choices = choices | Employer.objects.filter(pk=self.instance.employer_id)
        self.fields["employer"].queryset = choices.select_related("unit").distinct()

    def has_changed(self) -> bool:
        # A new row with neither employer nor name is a blank row left over, whatever its
        # "attended" box says: skip it instead of asking for the missing fields.
        if self.instance.pk is None and self.is_bound:
            employer = self.data.get(self.add_prefix("employer"), "")
            person = self.data.get(self.add_prefix("person_name"), "")
            if not str(employer).strip() and not str(person).strip():
                return False
        return super().has_changed()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("employer") and not cleaned.get("person_name", "").strip():
            self.add_error("person_name", _("Enter the name of the person trained."))
        return cleaned


class BaseAttendanceFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_queryset(self) -> QuerySet[TrainingAttendance]:
        # An inspector edits only the attendees from their own units.
        return (
            super()
            .get_queryset()
            .filter(employer__in=Employer.objects.visible_to(self.user))
            .select_related("employer__unit")
        )

    def get_form_kwargs(self, index: int | None) -> dict:
        return {**super().get_form_kwargs(index), "user": self.user}


AttendanceFormSet = forms.inlineformset_factory(
    TrainingSession,
    TrainingAttendance,
    form=TrainingAttendanceForm,
    formset=BaseAttendanceFormSet,
    fields=["employer", "person_name", "role", "attended"],
    extra=3,
    can_delete=False,
)
