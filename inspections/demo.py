"""Demo inspection records: patrols with checklists, written reviews and enforcement cases.

Listed in ``xiqing_credit/demo.py``; ``seed_demo`` runs it after employers and users exist. Every
record is built by ``inspections/factories.py`` (the factories the tests use) and written in bulk.
The demo's case numbers start at 501 of each year (``DEMO_CASE_SERIAL_FROM``, through the yearly
counter), so a ledger of the bureau's own numbers (the sample: 001-030) imports beside them. The
case mix is chosen so the demo district, once rated, has A, B and C employers: most cases end
with a correction made in time (B), some orders are overdue (C2), some decisions unperformed
(C3), some carry a penalty (C4) and a few are flagged mass incident, serious or criminal.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from employers.models import Employer

from .factories import CaseFactory, PatrolCheckFactory, PatrolFactory, WrittenReviewFactory
from .items import Item
from .models import Case, CaseNumberCounter, Patrol, PatrolCheck, WrittenReview
from .services import case_number_format
from .signals import cases_changed_in_bulk

PATROL_SHARE = 0.3
REVIEW_SHARE = 0.45
CASES_PER_EMPLOYER = 0.03  # about 0.3 cases per 10 employers
# The first serial of each year the demo numbers its cases from (西青人社监〔2026〕501号): a real
# ledger's numbers, 001 upwards, never meet them.
DEMO_CASE_SERIAL_FROM = 501

_PROBLEM_NOTES = {
    Item.INTERNAL_RULES: "未制定考勤和休假制度，规章制度未经民主程序公示",
    Item.CONTRACTS: "{n}名职工未签订书面劳动合同",
    Item.DISPATCH: "被派遣劳动者人数超过用工总量的10%",
    Item.CHILD_LABOUR: "现场发现一名未满16周岁人员从事包装工作",
    Item.FEMALE_MINOR: "安排孕期女职工延长工作时间",
    Item.WORKING_HOURS: "车间实行12小时两班倒，月加班超过36小时",
    Item.WAGES: "拖欠{n}名职工{m}月份工资",
    Item.SOCIAL_INSURANCE: "{n}名职工未参加社会保险",
    Item.OTHER: "未按要求建立职工名册",
}
_PEOPLE_MET = ["人事经理", "行政主管", "法定代表人", "财务负责人", "车间主任", "店长", "办公室主任"]


def cases_announce_on_commit(cases: Sequence[Case]) -> None:
    """Once the transaction commits, tell the ratings which employers' cases changed: the
    seeders write cases with ``bulk_create``, which sends no ``post_save``."""
    employer_ids = sorted({case.employer_id for case in cases})
    transaction.on_commit(
        lambda: cases_changed_in_bulk.send(sender=Case, employer_ids=employer_ids)
    )


def problem_note(item: str, rng: random.Random) -> str:
    return _PROBLEM_NOTES[item].format(n=rng.randint(2, 15), m=rng.randint(1, 12))


def inspector_pairs() -> tuple[dict[int, list], list]:
    """Inspectors per unit, and the district pool for units that have fewer than two."""
    user_model = get_user_model()
    inspectors = list(
        user_model.objects.filter(groups__name=Role.INSPECTOR).prefetch_related("units").distinct()
    )
    by_unit: dict[int, list] = defaultdict(list)
    for user in inspectors:
        for unit in user.units.all():
            by_unit[unit.pk].append(user)
    return by_unit, inspectors


def inspector_pair(unit_id: int, by_unit: dict[int, list], pool: list, rng: random.Random) -> list:
    people = by_unit.get(unit_id) or []
    if len(people) < 2:
        people = pool
    return rng.sample(people, 2) if len(people) >= 2 else list(people)


class DemoCaseNumbers:
    """The demo's case numbers, handed out by the yearly counter (``CaseNumberCounter``) from
    ``DEMO_CASE_SERIAL_FROM`` on: the counter of each year it numbers is first moved up to the
    demo's block, so the cases users and the complaints seeder open later continue after it.
    Call inside a transaction (the counter row is locked)."""

    def __init__(self) -> None:
        self.taken = set(Case.objects.values_list("number", flat=True))
        self.started: set[int] = set()

    def reserve(self, year: int) -> None:
        """Move the counter of ``year`` up to the demo's block (once; never down)."""
        if year in self.started:
            return
        counter, _created = CaseNumberCounter.objects.get_or_create(year=year)
        if counter.last_number < DEMO_CASE_SERIAL_FROM - 1:
            counter.last_number = DEMO_CASE_SERIAL_FROM - 1
            counter.save(update_fields=["last_number"])
        self.started.add(year)

    def next(self, year: int) -> str:
        self.reserve(year)
        number = CaseNumberCounter.number_next(
            year=year,
            format_number=lambda serial: case_number_format(year=year, serial=serial),
            is_taken=self.taken.__contains__,
        )
        self.taken.add(number)
        return number


@transaction.atomic
def seed_inspections(rng: random.Random) -> str:
    """Idempotent: patrols are only ever created by users or by this seeder, so their
    existence means the district has been seeded."""
    if Patrol.objects.exists():
        return "inspections: demo records already present"
    today = timezone.localdate()
    employers = list(
        Employer.objects.active().order_by("id").only("id", "unit_id", "name", "headcount", "kind")
    )
    if not employers:
        return "inspections: no employers to seed"
    by_unit, pool = inspector_pairs()
    supervisor = get_user_model().objects.filter(groups__name=Role.SUPERVISOR).first()
    creator = pool[0] if pool else None

    patrols, _links, checks = _patrols(employers, today, rng, by_unit, pool, creator)
    reviews = _reviews(employers, today, rng, creator)
    numbers = DemoCaseNumbers()
    # This year's too: the complaints seeder opens its cases through the counter next.
    numbers.reserve(today.year)
    cases, _case_links = _cases(
        employers, today, rng, by_unit, pool, creator, supervisor, patrols, numbers
    )

    cases_announce_on_commit(cases)
    return (
        f"inspections: {len(patrols)} patrols ({checks} checklist lines), "
        f"{len(reviews)} written reviews, {len(cases)} cases"
    )


def _patrols(employers, today, rng, by_unit, pool, creator):
    chosen = [e for e in employers if rng.random() < PATROL_SHARE]
    patrols: list[Patrol] = []
    for employer in chosen:
        for _n in range(rng.choice((1, 1, 1, 2))):
            problems = rng.random() < 0.25
            patrols.append(
                PatrolFactory.build(
                    employer=employer,
                    patrolled_on=today - datetime.timedelta(days=rng.randint(3, 700)),
                    person_met=rng.choice(_PEOPLE_MET),
                    headcount_seen=max(1, int((employer.headcount or 5) * rng.uniform(0.7, 1.1))),
                    outcome=(
                        rng.choice(
                            [
                                Patrol.Outcome.CORRECTED,
                                Patrol.Outcome.CORRECTED,
                                Patrol.Outcome.CASE_OPENED,
                            ]
                        )
                        if problems
                        else Patrol.Outcome.COMPLIANT
                    ),
                    created_by=creator,
                )
            )
    Patrol.objects.bulk_create(patrols, batch_size=1000)
    through = Patrol.inspectors.through
    links = []
    lines = []
    for patrol in patrols:
        for user in inspector_pair(patrol.employer.unit_id, by_unit, pool, rng):
            links.append(through(patrol_id=patrol.pk, user_id=user.pk))
        problem_items = (
            rng.sample(Item.values, rng.randint(1, 2))
            if patrol.outcome != Patrol.Outcome.COMPLIANT
            else []
        )
        findings = []
        for item in Item.values:
            if item in problem_items:
                note = problem_note(item, rng)
                findings.append(note)
                lines.append(
                    PatrolCheckFactory.build(
                        patrol=patrol, item=item, result=PatrolCheck.Result.PROBLEM, note=note
                    )
                )
            else:
                result = (
                    PatrolCheck.Result.COMPLIANT
                    if rng.random() < 0.8
                    else PatrolCheck.Result.NOT_CHECKED
                )
                lines.append(PatrolCheckFactory.build(patrol=patrol, item=item, result=result))
        if findings:
            patrol.findings = "；".join(findings) + (
                "，已当场整改" if patrol.outcome == Patrol.Outcome.CORRECTED else ""
            )
    through.objects.bulk_create(links, batch_size=2000)
    PatrolCheck.objects.bulk_create(lines, batch_size=2000)
    Patrol.objects.bulk_update([p for p in patrols if p.findings], ["findings"], batch_size=1000)
    return patrols, links, len(lines)


def _reviews(employers, today, rng, creator):
    reviews = []
    for employer in employers:
        if employer.kind == Employer.Kind.INDIVIDUAL or rng.random() > REVIEW_SHARE:
            continue
        for year in (today.year - 1, today.year):
            if year == today.year and rng.random() < 0.4:
                continue
            received = datetime.date(year, rng.randint(3, 6), rng.randint(1, 28))
            if received > today:
                continue
            roll = rng.random()
            materials = [i for i in Item.values if rng.random() < 0.85]
            review = WrittenReviewFactory.build(
                employer=employer,
                year=year,
                received_on=received,
                materials=materials,
                complete=len(materials) == len(Item.values),
                reported_name=employer.name,
                reported_headcount=employer.headcount,
                created_by=creator,
            )
            if rng.random() < 0.06 and employer.headcount:
                review.reported_headcount = employer.headcount + rng.randint(3, 30)
            if roll < 0.65 or (year < today.year and roll < 0.8):
                review.status = WrittenReview.Status.PASSED
                review.concluded_on = received + datetime.timedelta(days=rng.randint(10, 40))
                review.conclusion = "材料齐全，未发现违法行为"
            elif roll < 0.85:
                review.status = WrittenReview.Status.RETURNED
                review.returned_on = received + datetime.timedelta(days=rng.randint(5, 20))
                review.returned_reason = "缺少工资支付凭证和社会保险缴费明细"
                review.resubmit_deadline = review.returned_on + datetime.timedelta(days=15)
                review.complete = False
            elif roll < 0.93:
                review.status = WrittenReview.Status.RESUBMITTED
                review.returned_on = received + datetime.timedelta(days=10)
                review.returned_reason = "劳动合同签订情况统计表未盖章"
                review.resubmit_deadline = review.returned_on + datetime.timedelta(days=15)
                review.resubmitted_on = review.returned_on + datetime.timedelta(
                    days=rng.randint(3, 14)
                )
            else:
                review.status = WrittenReview.Status.SUBMITTED
            for name in ("concluded_on", "returned_on", "resubmit_deadline", "resubmitted_on"):
                value = getattr(review, name)
                if value and value > today and name != "resubmit_deadline":
                    setattr(review, name, today)
            reviews.append(review)
    WrittenReview.objects.bulk_create(reviews, batch_size=1000)
    return reviews


def _cases(employers, today, rng, by_unit, pool, creator, supervisor, patrols, numbers):
    count = max(3, round(len(employers) * CASES_PER_EMPLOYER))
    # Repeat offenders are real: a few employers get two or three cases (C1 needs 3).
    targets = rng.sample(employers, min(count, len(employers)))
    repeat = targets[: max(1, count // 20)]
    targets = targets[: count - 2 * len(repeat)] + repeat + repeat
    patrol_for = {p.employer_id: p for p in patrols if p.outcome == Patrol.Outcome.CASE_OPENED}
    cases: list[Case] = []
    for employer in targets:
        kind = rng.choices(
            [
                "rectified",
                "overdue",
                "decision",
                "decision_overdue",
                "penalty",
                "mass",
                "serious",
                "criminal",
                "withdrawn",
                "old",
                "open",
            ],
            weights=[34, 12, 8, 4, 14, 4, 3, 2, 8, 6, 5],
        )[0]
        age = rng.randint(400, 700) if kind == "old" else rng.randint(20, 330)
        opened = today - datetime.timedelta(days=age)
        decided = opened + datetime.timedelta(days=rng.randint(7, 30))
        if decided > today:
            decided = today
        source_patrol = patrol_for.pop(employer.pk, None)
        case = CaseFactory.build(
            number=numbers.next(opened.year),
            employer=employer,
            source=Case.Source.PATROL
            if source_patrol
            else rng.choice(
                [
                    Case.Source.SPECIAL,
                    Case.Source.COMPLAINT,
                    Case.Source.WRITTEN_REVIEW,
                    Case.Source.PATROL,
                    Case.Source.TRANSFER,
                ]
            ),
            source_patrol=source_patrol,
            opened_on=opened,
            violation_items=rng.sample(
                [Item.WAGES, Item.CONTRACTS, Item.SOCIAL_INSURANCE, Item.WORKING_HOURS],
                rng.randint(1, 2),
            ),
            created_by=creator,
        )
        case.facts = "；".join(problem_note(i, rng) for i in case.violation_items)
        if kind != "open":
            case.decided_on = decided
            case.order_issued = True
            case.order_deadline = decided + datetime.timedelta(days=rng.choice((15, 30)))
        if kind in ("rectified", "old", "penalty", "mass", "serious", "criminal", "withdrawn"):
            case.order_rectified_on = min(
                today, case.order_deadline - datetime.timedelta(days=rng.randint(0, 10))
            )
            if case.order_rectified_on < decided:
                case.order_rectified_on = decided
        if kind == "overdue":
            # the deadline has passed and nothing was rectified
            deadline = min(case.order_deadline, today - datetime.timedelta(days=rng.randint(1, 60)))
            case.order_deadline = max(deadline, opened + datetime.timedelta(days=1))
            case.decided_on = min(case.decided_on, case.order_deadline)
        if kind in ("decision", "decision_overdue"):
            case.decision_issued = True
            case.decision_number = f"津西青人社监理字〔{decided.year}〕{rng.randint(1, 300):03d}号"
            case.decision_deadline = decided + datetime.timedelta(days=15)
            if kind == "decision":
                case.decision_fulfilled_on = min(today, case.decision_deadline)
                case.order_rectified_on = min(today, case.order_deadline)
            else:
                case.decision_deadline = max(
                    case.decided_on, min(case.decision_deadline, today - datetime.timedelta(days=5))
                )
                case.order_rectified_on = min(today, case.order_deadline)
        if kind in ("penalty", "criminal"):
            case.penalty_issued = True
            case.penalty_number = f"津西青人社监罚字〔{decided.year}〕{rng.randint(1, 120):03d}号"
            case.penalty_amount = Decimal(rng.choice((2000, 5000, 10000, 20000, 50000)))
        if kind == "mass":
            case.mass_incident = True
            case.facts += f"；引发{rng.randint(10, 60)}名职工集体上访"
        if kind == "serious":
            case.serious = True
            case.serious_reason = "拖欠工资数额较大且经责令后仍拒不支付，情节严重"
            case.serious_judged_by = supervisor
        if kind == "criminal":
            case.criminal = True
            case.facts += "；涉嫌拒不支付劳动报酬罪，已移送公安机关"
        if kind == "withdrawn":
            case.withdrawn = True
            case.withdrawn_reason = "违法情节轻微并已及时纠正"
        if (
            kind in ("rectified", "old", "penalty", "decision")
            and case.order_rectified_on
            and case.order_rectified_on < today
        ):
            case.closed_on = min(
                today, case.order_rectified_on + datetime.timedelta(days=rng.randint(3, 20))
            )
        case.full_clean(
            exclude=["employer", "source_patrol", "created_by", "serious_judged_by"],
            validate_unique=False,
        )
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=500)
    through = Case.inspectors.through
    links = [
        through(case_id=case.pk, user_id=user.pk)
        for case in cases
        for user in inspector_pair(case.employer.unit_id, by_unit, pool, rng)
    ]
    through.objects.bulk_create(links, batch_size=2000)
    return cases, links
