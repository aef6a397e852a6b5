"""Complaints for tests and the demo: made the way users make them, through the services
(``register``, ``accept``), or written directly with their clocks set (``ComplaintFactory``,
for code that only reads the stored dates). ``tests/complaints/factories.py`` and
``tests/supervision/factories.py`` re-export them; ``complaints/demo.py`` registers through
``register``."""

import datetime
import itertools
from decimal import Decimal

import factory

from employers.factories import EmployerFactory
from employers.models import Unit

from . import services
from .models import Complaint

COMPLAINANT = {
    "complainant_name": "张三明",
    "complainant_id_number": "120111199001011234",
    "complainant_phone": "13812341234",
    "complainant_address": "天津市西青区李七庄街道丽水园3号楼",
}

_complaint_serial = itertools.count(1)


def register(
    *,
    user,
    employer=None,
    received_on: datetime.date = datetime.date(2026, 2, 10),
    items=("wages",),
    inspectors=(),
    **fields,
) -> Complaint:
    """A complaint registered by ``user``; ``fields`` override the defaults below."""
    values = {
        "kind": Complaint.Kind.COMPLAINT,
        "channel": Complaint.Channel.VISIT,
        "received_on": received_on,
        "workers_involved": 12,
        "amount_involved": Decimal("86000.00"),
        "description": "拖欠12名工人三个月工资。张三明电话13812341234。",
        **COMPLAINANT,
        **fields,
    }
    complaint = Complaint(employer=employer, **values)
    return services.complaint_register(
        complaint=complaint, items=list(items), inspectors=list(inspectors), user=user
    )


def accept(complaint: Complaint, *, user, inspectors, accepted_on=None) -> Complaint:
    return services.complaint_accept(
        complaint=complaint,
        accepted_on=accepted_on or complaint.received_on + datetime.timedelta(days=1),
        inspectors=list(inspectors),
        user=user,
    )


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint with its clocks set directly (the complaints services compute them from
    the working-day calendar; the coverage checks and the digest only read the stored dates)."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    number = factory.LazyFunction(lambda: f"西青投〔2025〕{next(_complaint_serial):04d}号")
    channel = Complaint.Channel.PHONE
    received_on = datetime.date(2025, 10, 1)
    complainant_name = "王某某"
    complainant_phone = "13812345678"
    employer = factory.SubFactory(EmployerFactory)
    unit = factory.LazyAttribute(
        lambda c: c.employer.unit if c.employer else Unit.objects.get(code="120111002")
    )
    status = Complaint.Status.RECEIVED
    acceptance_due_on = datetime.date(2025, 10, 10)
    due_on = factory.LazyAttribute(lambda c: c.acceptance_due_on)
