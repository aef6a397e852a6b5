"""Forms of user administration."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import Role

from ..models import Unit


class StaffUserForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        error_messages={
            "invalid": _("Use letters, digits and @ . + - _ only."),
            "required": _("Enter a username."),
        },
        widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role.")},
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Area units"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An inspector sees and changes the records of these units only."),
    )

    def __init__(self, *args, editing: object | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        taken = get_user_model().objects.filter(username=username)
        if self.editing is None and taken.exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == Role.INSPECTOR and not cleaned.get("units"):
            self.add_error("units", _("An inspector needs at least one area unit."))
        return cleaned
