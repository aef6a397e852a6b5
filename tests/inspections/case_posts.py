"""The case form as an inspector fills it in, for the tests that post it."""

from django.http import HttpResponse
from django.urls import reverse

from inspections.forms import CaseForm
from inspections.models import CASE_DATE_FIELDS, Case

CREATE = reverse("inspections:case_create")

_FIELDS = CaseForm.Meta.fields
# The form's measures, from the decision date to the fine's amount: all blank while no measure
# was decided.
MEASURE_FIELDS = tuple(_FIELDS[_FIELDS.index("decided_on") : _FIELDS.index("penalty_amount") + 1])
# A case's dates (the model's one list) and the form's checkboxes.
DATE_FIELDS = CASE_DATE_FIELDS
CHECKBOX_FIELDS = ("order_issued", "decision_issued", "penalty_issued", "mass_incident", "criminal")


def case_form(*inspectors, **overrides) -> dict:
    """A special check opened on 2026-03-01 for unpaid wages, decided on 2026-03-10 with an
    order to rectify by 2026-03-25; an override of None leaves its field out."""
    data = {
        "number": "",
        "source": "special",
        "opened_on": "2026-03-01",
        "violation_items": ["wages"],
        "inspectors": [u.pk for u in inspectors],
        "facts": "拖欠工资",
        **dict.fromkeys(MEASURE_FIELDS, ""),
        "decided_on": "2026-03-10",
        "order_issued": "on",
        "order_deadline": "2026-03-25",
        "closed_on": "",
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def assert_refused_on(response: HttpResponse, field: str) -> None:
    """The new-case form came back with an error on ``field`` and no case was saved."""
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Case.objects.exists()
