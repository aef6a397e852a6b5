import random

import pytest

from complaints.demo import seed_complaints
from complaints.models import Complaint
from employers.demo import demo_users
from employers.models import Unit
from inspections.models import Case
from tests.factories import EmployerFactory


@pytest.mark.django_db
def test_demo_complaints_in_various_states_and_idempotent():
    demo_users()
    for code in ("120111002", "120111101"):
        EmployerFactory.create_batch(10, unit=Unit.objects.get(code=code))
    line = seed_complaints(random.Random(2026))
    assert line == "complaints: 36 added"
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert statuses >= {"received", "accepted", "closed", "not_accepted"}
    assert Complaint.objects.filter(anonymous=True).exists()
    assert Complaint.objects.filter(needs_registry=True).exists()
    assert (
        Case.objects.filter(source="complaint").count()
        == Complaint.objects.filter(case__isnull=False).count()
    )
    assert seed_complaints(random.Random(2026)) == "complaints: 36 already present"
    assert Complaint.objects.count() == 36


@pytest.mark.django_db
def test_demo_skips_cleanly_without_users():
    assert "none added" in seed_complaints(random.Random(1))
    assert not Complaint.objects.exists()
