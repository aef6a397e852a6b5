"""The generated records of the benchmark district: patrols, written reviews, cases and
complaints of a seeded registry (see ``bench/seed.py``, which writes them)."""

import datetime
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from employers.demo import _GIVEN, _SURNAMES
from employers.models import Employer

Row = tuple[type[models.Model], dict]


@dataclass(frozen=True)
class Plan:
    """Row counts for a scale: about 0.3 cases per employer, as the issue asks."""

    employers: int

    @property
    def cases(self) -> int:
        return round(self.employers * 0.3)

    @property
    def patrols(self) -> int:
        return round(self.employers * 0.4)

    @property
    def reviews(self) -> int:
        return round(self.employers * 0.25)

    @property
    def complaints(self) -> int:
        return round(self.employers * 0.06)


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone()
    )


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _employer_units() -> array:
    """unit id of every seeded employer, indexed by employer id (ids are 1..N)."""
    units = array("l", [0])
    for _pk, unit_id in (
        Employer.objects.order_by("pk").values_list("pk", "unit_id").iterator(chunk_size=20_000)
    ):
        units.append(unit_id)
    return units


def _offender(rng: random.Random, n: int) -> int:
    """An employer id, skewed: a small set of repeat offenders carries a quarter of the records,
    which is what produces C1 (three sanctions in a year) in realistic numbers."""
    if rng.random() < 0.25:
        return rng.randrange(max(1, n // 50)) * 50 + 1
    return rng.randint(1, n)


def _patrol_rows(plan: Plan, today: datetime.date, ctx: dict) -> Iterator[Row]:
    """Patrols over three years, each by the two inspectors of the employer's unit."""
    rng = random.Random(f"patrols-{plan.employers}")
    patrol = apps.get_model("inspections.Patrol")
    through = patrol._meta.get_field("inspectors").remote_field.through
    employer_units = _employer_units()
    link_id = 0
    for pk in range(1, plan.patrols + 1):
        employer_id = _offender(rng, plan.employers)
        day = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        outcome = rng.choices(["compliant", "corrected", "case_opened"], weights=[80, 13, 7])[0]
        yield (
            patrol,
            {
                "id": pk,
                "employer_id": employer_id,
                "patrolled_on": day,
                "findings": "" if outcome == "compliant" else "工资台账不完整，已要求补齐",
                "outcome": outcome,
                "created_at": _aware(day),
                "updated_at": _aware(day),
            },
        )
        for user_id in ctx["inspectors"][employer_units[employer_id]]:
            link_id += 1
            yield through, {"id": link_id, "patrol_id": pk, "user_id": user_id}


def _review_rows(plan: Plan, today: datetime.date, ctx: dict) -> Iterator[Row]:
    """This year's and last year's written reviews of a quarter of the employers."""
    rng = random.Random(f"reviews-{plan.employers}")
    review = apps.get_model("inspections.WrittenReview")
    pk = 0
    employers = rng.sample(range(1, plan.employers + 1), k=min(plan.reviews, plan.employers))
    for employer_id in employers:
        year = today.year - rng.choice((0, 1))
        received = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randint(0, 120))
        if received > today:
            received = today - datetime.timedelta(days=rng.randint(0, 30))
        status = rng.choices(
            ["submitted", "returned", "resubmitted", "passed", "problems"],
            weights=[15, 6, 5, 65, 9],
        )[0]
        row = {
            "id": (pk := pk + 1),
            "employer_id": employer_id,
            "year": year,
            "received_on": received,
            "materials": rng.sample(["contracts", "wages", "social_insurance", "working_hours"], 3),
            "complete": status != "returned",
            "status": status,
            "created_at": _aware(received),
            "updated_at": _aware(received),
        }
        if status in ("returned", "resubmitted"):
            row["returned_on"] = received + datetime.timedelta(days=rng.randint(3, 20))
            row["returned_reason"] = "工资支付凭证未附"
            row["resubmit_deadline"] = row["returned_on"] + datetime.timedelta(days=15)
        if status == "resubmitted":
            row["resubmitted_on"] = row["returned_on"] + datetime.timedelta(days=rng.randint(1, 15))
        if status in ("passed", "problems"):
            row["concluded_on"] = received + datetime.timedelta(days=rng.randint(5, 40))
        yield review, row


_ITEMS = [
    "contracts",
    "wages",
    "social_insurance",
    "working_hours",
    "internal_rules",
    "female_minor",
    "dispatch",
    "other",
]


def _case_rows(plan: Plan, today: datetime.date, ctx: dict) -> Iterator[Row]:
    """Cases over the last three years with the mix of measures a district really has: most
    carry an order to correct (mostly rectified, some overdue, some still running), fewer a
    handling decision or a penalty, a few are withdrawn, a handful carry the serious flags."""
    rng = random.Random(f"cases-{plan.employers}")
    case = apps.get_model("inspections.Case")
    for pk in range(1, plan.cases + 1):
        employer_id = _offender(rng, plan.employers)
        opened = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
        decided = opened + datetime.timedelta(days=rng.randint(5, 45))
        row: dict[str, Any] = {
            "id": pk,
            "number": f"西青人社监〔{opened.year}〕{pk:07d}号",
            "employer_id": employer_id,
            "source": rng.choices(
                ["patrol", "complaint", "written_review", "special", "transfer"],
                weights=[40, 35, 10, 10, 5],
            )[0],
            "opened_on": opened,
            "violation_items": rng.sample(_ITEMS, rng.randint(1, 3)),
            "facts": "经调查，该单位存在劳动保障违法行为",
            "created_at": _aware(opened),
            "updated_at": _aware(opened),
        }
        if decided > today:
            yield case, row  # still under investigation: no decision, no measures yet
            continue
        row["decided_on"] = decided
        finished = [decided]
        if rng.random() < 0.05:
            row["withdrawn"] = True
            row["withdrawn_reason"] = "违法行为轻微并已及时改正"
            row["closed_on"] = decided
            yield case, row
            continue
        if rng.random() < 0.78:
            deadline = decided + datetime.timedelta(days=rng.randint(10, 30))
            row.update(order_issued=True, order_deadline=deadline)
            # 93% of the orders whose deadline passed were met; the rest are overdue (C2).
            if (deadline < today and rng.random() < 0.93) or rng.random() < 0.3:
                done = decided + datetime.timedelta(days=rng.randint(1, (deadline - decided).days))
                row["order_rectified_on"] = min(done, today)
                finished.append(row["order_rectified_on"])
            else:
                finished.append(None)
        if rng.random() < 0.2:
            deadline = decided + datetime.timedelta(days=rng.randint(15, 30))
            row.update(
                decision_issued=True,
                decision_number=f"西青人社处字〔{decided.year}〕{pk:07d}号",
                decision_deadline=deadline,
            )
            if (deadline < today and rng.random() < 0.92) or rng.random() < 0.2:
                row["decision_fulfilled_on"] = min(deadline, today)
                finished.append(row["decision_fulfilled_on"])
            else:
                finished.append(None)
        if rng.random() < 0.12:
            row.update(
                penalty_issued=True,
                penalty_number=f"西青人社罚字〔{decided.year}〕{pk:07d}号",
                penalty_amount=Decimal(rng.randint(4, 100) * 500),
            )
        roll = rng.random()
        if roll < 0.008:
            row["mass_incident"] = True
        elif roll < 0.012:
            row.update(serious=True, serious_reason="拖欠劳动报酬数额巨大，情节严重")
        elif roll < 0.0135:
            row["criminal"] = True
        if None not in finished:
            closed = max(finished) + datetime.timedelta(days=rng.randint(1, 20))
            row["closed_on"] = closed if closed <= today else None
        yield case, row


def _complaint_rows(plan: Plan, today: datetime.date, ctx: dict) -> Iterator[Row]:
    """Complaints and reports: about half were accepted and opened one of the seeded cases
    that came from a complaint; the rest were closed without a case, not accepted, or are
    still waiting for a decision. Each is assigned to the two inspectors of its unit."""
    rng = random.Random(f"complaints-{plan.employers}")
    complaint = apps.get_model("complaints.Complaint")
    item_model = _model("complaints.ComplaintItem")
    through = complaint._meta.get_field("inspectors").remote_field.through
    case_model = apps.get_model("inspections.Case")
    employer_units = _employer_units()
    from_complaints = list(
        case_model.objects.filter(source="complaint")
        .order_by("pk")
        .values_list("pk", "employer_id", "opened_on", "closed_on")[: plan.complaints // 2]
    )
    people = [_SURNAMES[i % len(_SURNAMES)] + _GIVEN[i % len(_GIVEN)] for i in range(500)]
    item_id = link_id = 0
    for pk in range(1, plan.complaints + 1):
        if pk <= len(from_complaints):
            case_id, employer_id, opened, closed = from_complaints[pk - 1]
            received = opened - datetime.timedelta(days=rng.randint(1, 5))
            row: dict[str, Any] = {
                "case_id": case_id,
                "decided_on": opened,
                "investigation_due_on": opened + datetime.timedelta(days=84),
            }
            if closed is None:
                row.update(status="accepted", due_on=row["investigation_due_on"])
            else:
                row.update(status="closed", outcome="violation", closed_on=closed)
        else:
            case_id = None
            employer_id = rng.randint(1, plan.employers)
            received = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
            roll = rng.random()
            decided = received + datetime.timedelta(days=rng.randint(1, 6))
            if roll < 0.08 and received > today - datetime.timedelta(days=20):
                row = {"status": "received", "due_on": received + datetime.timedelta(days=7)}
            elif roll < 0.25 or decided > today:
                row = {
                    "status": "not_accepted",
                    "decided_on": min(decided, today),
                    "rejection_reason": "outside_powers",
                    "rejection_note": "属于劳动争议仲裁受理范围，已告知申请仲裁",
                }
            else:
                row = {
                    "status": "closed",
                    "decided_on": decided,
                    "outcome": rng.choice(["unfounded", "mediated", "to_arbitration"]),
                    "closed_on": decided + datetime.timedelta(days=rng.randint(5, 50)),
                }
                row["closed_on"] = min(row["closed_on"], today)
        kind = "report" if rng.random() < 0.2 else "complaint"
        anonymous = kind == "report" and rng.random() < 0.5
        row.update(
            id=pk,
            number=f"西青投〔{received.year}〕{pk:07d}号",
            kind=kind,
            channel=rng.choice(["visit", "phone", "letter", "online", "hotline_12345"]),
            received_on=received,
            anonymous=anonymous,
            complainant_name="" if anonymous else people[pk % 500],
            complainant_phone="" if anonymous else f"13{rng.randint(100000000, 999999999)}",
            employer_id=employer_id,
            unit_id=employer_units[employer_id],
            workers_involved=rng.randint(1, 30),
            amount_involved=Decimal(rng.randint(1, 400) * 500),
            description="拖欠工资" if rng.random() < 0.6 else "未依法缴纳社会保险",
            acceptance_due_on=received + datetime.timedelta(days=7),
            created_at=_aware(received),
            updated_at=_aware(received),
        )
        yield complaint, row
        if item_model is not None:
            for item in rng.sample(_ITEMS, rng.randint(1, 2)):
                item_id += 1
                yield item_model, {"id": item_id, "complaint_id": pk, "item": item}
        for user_id in ctx["inspectors"][employer_units[employer_id]]:
            link_id += 1
            yield through, {"id": link_id, "complaint_id": pk, "user_id": user_id}
