"""The case form as an inspector fills it in, for the tests that post it."""

from django.http import HttpResponse
from django.urls import reverse

from inspections.models import Case

CREATE = reverse("inspections:case_create")

# The form's measure fields, all blank while no measure was decided.
MEASURE_FIELDS = (
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
)
# The form's date fields and its checkboxes.
DATE_FIELDS = (
    "opened_on",
    "decided_on",
    "order_deadline",
    "order_rectified_on",
    "decision_deadline",
    "decision_fulfilled_on",
    "closed_on",
)
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
