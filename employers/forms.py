"""Forms of the employer registry: one employer, and a roster upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from core import spreadsheets as sheets
from core.forms import style_widgets
from core.roles import sees_whole_district

from . import roster
from .models import Employer, Unit


class EmployerForm(forms.ModelForm):
    """Create or edit one employer, held to the same rules as a roster row: the code is
    normalised (spaces, case, full-width) and checked, text is made half-width and trimmed,
    a phone typed as 1.3812345678E10 is repaired. Inspectors choose only their own units."""

    class Meta:
        model = Employer
        fields = [
            "credit_code",
            "name",
            "kind",
            "unit",
            "address",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "headcount",
            "industry",
            "established_on",
            "verified_on",
        ]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "verified_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "headcount": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = Unit.objects.all()
        if not sees_whole_district(user):
            units = units.filter(inspectors=user)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None if units.count() == 1 else "---------"
        # Model validators run on the cleaned code; the raw text may have spaces etc.
        self.fields["credit_code"].validators = []
        self.fields["credit_code"].widget.attrs.update(
            {"autocapitalize": "characters", "spellcheck": "false", "maxlength": 40}
        )
        self.fields["credit_code"].max_length = 40
        if self.instance.pk:
            # The code is the employer's identity in every record and bookmark.
            self.fields["credit_code"].disabled = True
        style_widgets(self)

    def clean_credit_code(self) -> str:
        if self.instance.pk:
            return self.instance.credit_code
        try:
            code = roster.clean_credit_code(self.cleaned_data.get("credit_code", ""))
        except sheets.CellError as exc:
            raise forms.ValidationError(str(exc), code="invalid_credit_code") from exc
        if Employer.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("An employer with this credit code is already registered."), code="duplicate"
            )
        return code

    def _cleaned(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return value
        try:
            return roster.clean_field(name, value)
        except sheets.CellError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_name(self) -> str:
        value = self._cleaned("name")
        if not value:
            raise forms.ValidationError(_("The name is required."), code="required")
        return value

    def clean_address(self) -> str:
        return self._cleaned("address")

    def clean_legal_representative(self) -> str:
        return self._cleaned("legal_representative")

    def clean_contact_person(self) -> str:
        return self._cleaned("contact_person")

    def clean_contact_phone(self) -> str:
        return self._cleaned("contact_phone")

    def clean_industry(self) -> str:
        return self._cleaned("industry")

    def changed_values(self) -> dict[str, Any]:
        """Model field -> value for the fields that were edited (credit code never)."""
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.cleaned_data and name != "credit_code"
        }
