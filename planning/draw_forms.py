"""The form a supervisor fills in to make a 双随机 draw."""

import secrets

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from employers.models import Unit

from .draws import LEVEL_ORDER, default_shares

SEED_LIMIT = 10**9


class DrawForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Area units"),
        queryset=Unit.objects.order_by("code"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area unit.")},
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("Inspector pool"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to draw from every active inspector of the chosen units."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=SEED_LIMIT,
        required=False,
        help_text=_("Leave empty for a random seed; it is recorded with the draw."),
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.INSPECTOR)
            .order_by("username")
        )
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username
        defaults = default_shares()
        for level in reversed(LEVEL_ORDER):
            self.fields[f"share_{level}"] = forms.IntegerField(
                label=_("Level %(level)s: percent of employers drawn") % {"level": level},
                min_value=0,
                max_value=100,
                initial=round(defaults.get(level, 0) * 100),
                error_messages={
                    "required": _("Enter the percent for level %(level)s.") % {"level": level},
                    "min_value": _("Level %(level)s: the percent is 0 to 100.") % {"level": level},
                    "max_value": _("Level %(level)s: the percent is 0 to 100.") % {"level": level},
                },
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    @property
    def shares(self) -> dict[str, float]:
        return {level: self.cleaned_data[f"share_{level}"] / 100 for level in LEVEL_ORDER}

    @property
    def chosen_seed(self) -> int:
        seed = self.cleaned_data.get("seed")
        return secrets.randbelow(SEED_LIMIT) if seed is None else seed
