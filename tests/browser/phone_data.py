"""A district with enough rows in every list for a phone's first screen, for the 375 px
tests, the CSP walk and the screenshots. Everything sits in 李七庄, so the inspector of that
unit, the supervisor and the admin all see it."""

import datetime

from django.utils import timezone

from core.roles import Role
from employers.models import Unit
from imports.models import ImportBatch
from planning.models import TrainingAttendance, TrainingSession
from ratings.models import YearlyEvaluation
from ratings.patrol_due import patrol_due_refresh
from tests.complaints.factories import register
from tests.conftest import LQZ, make_user
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory
from tests.inspections.factories import WrittenReviewFactory
from tests.ratings.factories import RatingFactory

ROWS = 8
PASSWORD = "pass-word-123"
BRANDS = ["华宇", "津西", "瑞丰", "鑫达", "恒通", "德润", "宏远", "利民", "金桥", "海河"]

# name of the list -> its path; who may open it (None: every role)
LIST_PAGES: dict[str, tuple[str, set[str] | None]] = {
    "employers": ("/employers/", None),
    "patrols": ("/patrols/", None),
    "reviews": ("/reviews/", None),
    "cases": ("/cases/", None),
    "complaints": ("/complaints/", None),
    "watchlist": ("/watchlist/", None),
    "patrols_due": ("/ratings/patrols-due/", None),
    "training": ("/ratings/training/", None),
    "early_warning": ("/ratings/early-warning/", None),
    "yearly": ("/ratings/yearly/", {"supervisor", "admin"}),
    "imports": ("/imports/", {"admin"}),
    "coverage": ("/coverage/", None),
}


def seed_phone_lists() -> dict:
    today = timezone.localdate()
    unit = Unit.objects.get(code=LQZ)
    users = {
        "inspector": make_user("phone_inspector", Role.INSPECTOR, (LQZ,)),
        "supervisor": make_user("phone_supervisor", Role.SUPERVISOR),
        "admin": make_user("phone_admin", Role.ADMIN),
    }
    session = TrainingSession.objects.create(
        held_on=today - datetime.timedelta(days=20), topic="劳动保障法规培训", organiser="监察支队"
    )
    employer_ids = []
    for i in range(ROWS):
        employer = EmployerFactory(
            unit=unit, name=f"天津{BRANDS[i]}{'机械制造' if i % 2 else '物流'}有限公司"
        )
        employer_ids.append(employer.pk)
        patrol = PatrolFactory(employer=employer, patrolled_on=today - datetime.timedelta(200 + i))
        patrol.inspectors.set([users["inspector"]])
        WrittenReviewFactory(employer=employer, year=today.year, received_on=today.replace(day=1))
        case = CaseFactory(
            employer=employer,
            opened_on=today - datetime.timedelta(days=40),
            decided_on=today - datetime.timedelta(days=10),
            order_issued=True,
            order_deadline=today + datetime.timedelta(days=1 + i % 5),
        )
        case.inspectors.set([users["inspector"]])
        register(
            user=users["inspector"],
            employer=employer,
            received_on=today - datetime.timedelta(days=3 + i),
            inspectors=[users["inspector"]],
        )
        # The C employers became C 70 to 120 days ago (after their last patrol): their next
        # patrol (three months on) falls due within the patrols-due list's 30 days, or is overdue.
        RatingFactory(
            employer=employer,
            level="C" if i < 6 else "B",
            clause_codes="C2;C4" if i < 6 else "",
            since=today - datetime.timedelta(days=70 + 10 * i if i < 6 else 45),
        )
        YearlyEvaluation.objects.create(
            employer=employer,
            year=today.year - 1,
            level="B",
            ruleset_version="test",
            evaluated_at=timezone.now(),
        )
        ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROSTER, user=users["admin"], file_name=f"花名册_{i + 1}月.xlsx"
        )
        if i == ROWS - 1:
            TrainingAttendance.objects.create(
                session=session, employer=employer, person_name="王伟", role="principal"
            )
    # The factory writes the rating as the engine would, but not its stored due date.
    patrol_due_refresh(employer_ids=employer_ids)
    _drawn_inspection(unit, users["inspector"], today)
    for _ in range(5):
        TrainingSession.objects.create(
            held_on=today - datetime.timedelta(days=60), topic="欠薪治理培训", organiser="监察支队"
        )
    from supervision.services import coverage_check_month

    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    coverage_check_month(month=month, today=today)
    _coverage_history(month)
    return users


def _drawn_inspection(unit: Unit, inspector, today: datetime.date) -> None:
    """A 双随机 draw that gives the inspector and a colleague one A employer to inspect (the
    employers above have the inspector on their cases and complaints: recused), for "my day"."""
    from planning.draws import draw_create

    colleague = make_user("phone_inspector2", Role.INSPECTOR, (LQZ,))
    EmployerFactory(unit=unit, name=f"天津{BRANDS[ROWS]}物流有限公司")
    draw_create(
        units=[unit],
        seed=2026,
        shares={"A": 1.0, "B": 0.0, "C": 0.0},
        inspector_ids=[inspector.pk, colleague.pk],
        today=today,
    )


def _coverage_history(month: datetime.date) -> None:
    """The eleven months before ``month`` as results only (checks passed per unit), so the
    dashboard's 12-month chart has lines to draw: each unit a little different, 李七庄
    slipping over the last months."""
    from core.dates import add_months
    from supervision.models import CoverageResult

    units = list(Unit.objects.order_by("code"))
    rows = []
    for back in range(1, 12):
        day = add_months(month, -back)
        for index, unit in enumerate(units):
            passed = 5 - (index + back) % 3 // 2
            if unit.code == LQZ:
                passed = max(1, 5 - max(0, 6 - back))
            rows.append(
                CoverageResult(
                    unit=unit,
                    month=day,
                    as_of=add_months(day, 1),
                    checks_passed=passed,
                    checks_total=5,
                    computed_at=timezone.now(),
                )
            )
    CoverageResult.objects.bulk_create(rows)
