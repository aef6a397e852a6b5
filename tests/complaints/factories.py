"""Complaints made the way users make them: through the services."""

import datetime
from decimal import Decimal

from complaints import services
from complaints.models import Complaint

COMPLAINANT = {
    "complainant_name": "张三明",
    "complainant_id_number": "120111199001011234",
    "complainant_phone": "13812341234",
    "complainant_address": "天津市西青区李七庄街道丽水园3号楼",
}


def register(
    *,
    user,
    employer=None,
    received_on: datetime.date = datetime.date(2026, 2, 10),
    items=("wages",),
    inspectors=(),
    **fields,
) -> Complaint:
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
