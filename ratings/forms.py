"""Forms of the yearly evaluation: the notification date of one employer, or of many."""

from django import forms
from django.utils.translation import gettext_lazy as _


class NotifiedForm(forms.Form):
    notified_on = forms.DateField(
        label=_("Notified on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )


class MarkNotifiedForm(forms.Form):
    notified_on = forms.DateField(
        label=_("Notified on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm these employers were notified on this date"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
