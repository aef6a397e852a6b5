"""Forms of credit repair and of the district's rule set."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import rules

# ISO format: a date input shows nothing for a localised value.
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
SELECT = forms.Select(attrs={"class": "form-select"})
TEXT = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class RepairApplyForm(forms.Form):
    code = forms.ChoiceField(label=_("Clause to repair"), widget=SELECT)
    applied_on = forms.DateField(label=_("Application received on"), widget=DATE)
    corrected_on = forms.DateField(
        label=_("Violation corrected on (verified by the bureau)"), required=False, widget=DATE
    )
    statement = forms.CharField(
        label=_("What the employer did"), required=False, widget=TEXT, max_length=4000
    )

    def __init__(self, *args: object, codes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (code, f"{code} {rules.CLAUSE_TITLES[code]}") for code in codes
        ]


class RepairDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the repair")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons"), required=False, widget=TEXT, max_length=4000)


class RuleSetSwitchForm(forms.Form):
    ruleset_id = forms.ChoiceField(label=_("Rule set"), widget=SELECT)
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXT, max_length=2000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ruleset_id"].choices = [
            (rs.id, f"{rs.id} · {rs.title}") for rs in rules.RULE_SETS.values()
        ]


class ReplayForm(forms.Form):
    rules = forms.ChoiceField(label=_("Rule set to replay"), widget=SELECT)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rules"].choices = [
            (rs.id, f"{rs.id} · {rs.title}") for rs in rules.RULE_SETS.values()
        ]
