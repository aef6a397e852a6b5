"""Seed a benchmark district of N employers, fast and resumably.

PostgreSQL gets COPY (psycopg2 ``copy_expert``) with explicit ids; other databases get
``bulk_create``. Each phase (employers, patrols, reviews, cases, complaints) runs in one
transaction and records itself in a small ``bench_seed_state`` table in the same transaction, so an
interrupted seed resumes at the phase it had not finished, and a phase whose model did not exist
yet (another app still being built) is added on a later run. A different scale, a new
``SEED_VERSION`` or ``reseed=True`` empties every employer-dependent table first.

The data is deterministic for a given scale and day: a fixed random seed per phase, dates
relative to today so that deadlines are overdue or pending in realistic shares.
"""

import bisect
import datetime
import itertools
import random
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from core import bulk
from core.roles import Role, role_group
from employers.credit_code import CHARSET, make_credit_code
from employers.demo import _BRANDS, _GIVEN, _ROADS, _SHOPS, _SURNAMES, _TRADES
from employers.models import Employer, Unit

Row = tuple[type[models.Model], dict]

# Bump when the shape of the generated data changes: a stored seed of another version is redone.
SEED_VERSION = 4
STATE_TABLE = "bench_seed_state"
BATCH_ROWS = 50_000
DEFAULT_PASSWORD = "bench-pass-2026"
SUPERVISOR = "bench_supervisor"

# Employers are not spread evenly: the development zone and the big towns hold the most.
UNIT_WEIGHTS = {
    "120111001": 5,
    "120111002": 8,
    "120111003": 5,
    "120111004": 5,
    "120111005": 4,
    "120111100": 10,
    "120111101": 11,
    "120111102": 6,
    "120111103": 8,
    "120111104": 9,
    "120111105": 8,
    "120111106": 4,
    "120111450": 17,
}
# Seeded codes have the shape of codes issued since 2015 (organisation part "MA" + 7
# characters), so they never collide with the rows bench/import_roster.py generates ("BN...").
_CODE_SPACE = 31**7
# Multiplying by a number prime to 31 is a bijection modulo 31^7: serial numbers become
# distinct, random-looking codes (so the credit_code index sees realistic keys).
_CODE_MULTIPLIER = 7_368_787
_CODE_OFFSET = 123_456_789


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


def credit_code_for(serial: int, kind: str) -> str:
    """A valid, unique unified social credit code for a serial number."""
    prefix = {"enterprise": "91", "individual": "92", "agency": "91", "training": "52"}[kind]
    value = (serial * _CODE_MULTIPLIER + _CODE_OFFSET) % _CODE_SPACE
    body = []
    for _ in range(7):
        value, digit = divmod(value, 31)
        body.append(CHARSET[digit])
    return make_credit_code(prefix + "120111MA" + "".join(body))


class EmployerMaker:
    """Generates employers quickly: the vocabulary, the dates and the unit weights are laid out
    once, so each row costs a few random draws and list look-ups (a million rows are made in
    seconds, not minutes)."""

    KINDS = (("enterprise", 0.70), ("individual", 0.94), ("agency", 0.98), ("training", 1.0))

    def __init__(self, rng: random.Random, units: list[Unit], today: datetime.date) -> None:
        self.rng = rng
        self.units = units
        self.cum_weights = list(
            itertools.accumulate(UNIT_WEIGHTS.get(unit.code, 5) for unit in units)
        )
        self.people = [
            rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
            for _ in range(5000)
        ]
        self.brands = [b + g for b in _BRANDS for g in _GIVEN]
        self.phones = "35789"
        # days_ago[k] is the date k days before today; moment_ago[k] its 09:30 local time
        self.days_ago = [today - datetime.timedelta(days=k) for k in range(25 * 365)]
        zone = timezone.get_current_timezone()
        self.moment_ago = [
            datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone)
            for day in self.days_ago
        ]

    def unit(self) -> Unit:
        point = self.rng.random() * self.cum_weights[-1]
        return self.units[bisect.bisect(self.cum_weights, point)]

    def make(self, serial: int, unit: Unit | None = None) -> dict:
        """One employer as field values (the seed and the roster-import file share it)."""
        rng = self.rng
        draw = rng.random
        unit = unit or self.unit()
        roll = draw()
        kind = next(name for name, bound in self.KINDS if roll < bound)
        brand = self.brands[int(draw() * len(self.brands))]
        trade, _short, industry = _TRADES[int(draw() * len(_TRADES))]
        people = self.people
        if kind == "enterprise":
            name = f"天津{brand}{trade}有限公司"
            headcount = int(rng.lognormvariate(3.3, 1.0)) + 3
        elif kind == "individual":
            industry = "批发和零售业"
            place = unit.name.removesuffix("街道").removesuffix("镇")
            shop = _SHOPS[int(draw() * len(_SHOPS))]
            name = f"西青区{place}{people[int(draw() * 5000)]}{shop}"
            headcount = 1 + int(draw() * 9)
        elif kind == "agency":
            industry = "租赁和商务服务业"
            name = f"天津{brand}人力资源服务有限公司"
            headcount = 5 + int(draw() * 56)
        else:
            industry = "教育"
            name = f"西青区{brand}职业技能培训学校"
            headcount = 8 + int(draw() * 33)
        # 40% of the register was added in the last three years, which gives every unit dozens
        # of new employers a month (the coverage check wants at least 5).
        added = int(draw() * 3 * 365) if draw() < 0.4 else 3 * 365 + int(draw() * 12 * 365)
        verified = int(draw() * 420) if draw() < 0.88 else None
        road = _ROADS[int(draw() * len(_ROADS))]
        return {
            "credit_code": credit_code_for(serial, kind),
            "name": name,
            "kind": kind,
            "unit_id": unit.pk,
            "address": f"天津市西青区{unit.name}{road}{1 + int(draw() * 400)}号",
            "legal_representative": people[int(draw() * 5000)],
            "contact_person": people[int(draw() * 5000)],
            "contact_phone": f"1{self.phones[int(draw() * 5)]}{100000000 + int(draw() * 9e8)}",
            "headcount": headcount,
            "industry": industry,
            "established_on": self.days_ago[added + int(draw() * 3000)],
            "status": "deregistered" if draw() < 0.03 else "active",
            "verified_on": None if verified is None else self.days_ago[verified],
            "created_at": self.moment_ago[added],
            "updated_at": self.moment_ago[added if verified is None else min(added, verified)],
        }


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone()
    )


# --- writing rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    attname: str
    name: str
    default: Any  # used when a generator leaves the field out


def _table_columns(model: type[models.Model]) -> list[_Column]:
    """Every concrete column with its default, so the seed keeps working while other apps add
    fields (with defaults) to their models."""
    now = timezone.now()
    columns = []
    for fld in model._meta.concrete_fields:
        if getattr(fld, "auto_now", False) or getattr(fld, "auto_now_add", False):
            default = now
        else:
            default = fld.get_default()
        columns.append(_Column(fld.attname, fld.column, default))
    return columns


def write_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert generated rows (with explicit ids); returns the count."""
    columns = _table_columns(model)
    total = 0
    if bulk.copy_supported(connection):
        # core.bulk's COPY (CSV): JSON is the one type whose str() PostgreSQL does not read.
        table = model._meta.db_table
        names = [c.name for c in columns]
        not_null = bulk.text_columns(model)
        formatters = bulk.value_formatters(model)

        def values(row: dict) -> list:
            out = []
            for c, formatter in zip(columns, formatters, strict=True):
                value = row.get(c.attname, c.default)
                out.append(value if formatter is None else formatter(value))
            return out

        chunk: list[list] = []
        for row in rows:
            chunk.append(values(row))
            if len(chunk) == BATCH_ROWS:
                bulk.copy_rows(connection, table, names, chunk, not_null=not_null)
                total += len(chunk)
                chunk = []
        if chunk:
            bulk.copy_rows(connection, table, names, chunk, not_null=not_null)
            total += len(chunk)
        return total
    batch: list[models.Model] = []
    for row in rows:
        values = {c.attname: row.get(c.attname, c.default) for c in columns}
        batch.append(model(**values))
        if len(batch) == 2000:
            model.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


@contextmanager
def _indexes_built_after(tables: list[str]) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes, unique and foreign-key constraints for
    the load and recreate them from their catalogue definitions afterwards, in the same
    transaction: one sorted index build (and one validation join per foreign key) instead of a
    million random index inserts and row-by-row checks. Primary keys stay (ids are ascending)."""
    if connection.vendor != "postgresql":
        yield
        return
    drops: list[str] = []
    creates: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), conindid FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')",
                [table],
            )
            constraint_indexes = set()
            for name, definition, index_oid in cursor.fetchall():
                constraint_indexes.add(index_oid)
                drops.append(
                    f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}"
                )
                creates.append(
                    f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} "
                    f"{definition}"
                )
            cursor.execute(
                "SELECT i.indexrelid, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
                [table],
            )
            for oid, name, definition in cursor.fetchall():
                if oid in constraint_indexes:
                    continue
                drops.append(f"DROP INDEX {connection.ops.quote_name(name)}")
                creates.append(definition)
        # Unique constraints first (foreign keys elsewhere may depend on them), then the rest.
        creates.sort(key=lambda sql: "UNIQUE" not in sql)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for sql in drops:
            cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        for sql in creates:
            cursor.execute(sql)


def _reset_sequences(*models_: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# --- state ------------------------------------------------------------------------------------


def _ensure_state_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} ("
            "phase VARCHAR(40) PRIMARY KEY, scale INTEGER NOT NULL, version INTEGER NOT NULL, "
            "seed_day DATE NOT NULL, row_count INTEGER NOT NULL, seconds REAL NOT NULL)"
        )


def seed_state() -> dict[str, dict]:
    _ensure_state_table()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phase, scale, version, seed_day, row_count, seconds FROM {STATE_TABLE}"
        )
        return {
            phase: {"scale": scale, "version": version, "day": str(day), "rows": n, "seconds": s}
            for phase, scale, version, day, n, s in cursor.fetchall()
        }


def _record_phase(phase: str, scale: int, today: datetime.date, rows: int, seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STATE_TABLE} WHERE phase = %s", [phase])
        cursor.execute(
            f"INSERT INTO {STATE_TABLE} (phase, scale, version, seed_day, row_count, seconds) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [phase, scale, SEED_VERSION, today, rows, seconds],
        )


def _employer_dependents() -> list[type[models.Model]]:
    """Every model that holds rows about employers (directly or through a case, patrol...),
    their history tables and many-to-many tables: what a reseed must empty."""
    found: list[type[models.Model]] = [Employer]
    changed = True
    candidates = [m for m in apps.get_models(include_auto_created=True) if m is not Unit]
    while changed:
        changed = False
        for model in candidates:
            if model in found:
                continue
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not None
            }
            if targets & set(found):
                found.append(model)
                changed = True
    history = [
        m for m in candidates if getattr(m, "instance_type", None) in found and m not in found
    ]
    return found + history


def reset_seed() -> None:
    """Empty every employer-dependent table and forget the seed state."""
    _ensure_state_table()
    tables = [m._meta.db_table for m in _employer_dependents()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"TRUNCATE {quoted}, {STATE_TABLE} RESTART IDENTITY CASCADE")
        return
    with connection.constraint_checks_disabled(), connection.cursor() as cursor:
        for table in [*tables, STATE_TABLE]:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


# --- phases -----------------------------------------------------------------------------------


def _units() -> list[Unit]:
    return list(Unit.objects.order_by("code"))


def _employer_rows(plan: Plan, today: datetime.date) -> Iterator[dict]:
    """The seeded employers, ids 1..N (later phases refer to them by id)."""
    maker = EmployerMaker(random.Random(f"employers-{plan.employers}"), _units(), today)
    for serial in range(plan.employers):
        row = maker.make(serial)
        row["id"] = serial + 1
        yield row


def bench_users() -> dict[str, Any]:
    """A supervisor and two inspectors per unit (patrols need two). Idempotent."""
    user_model = get_user_model()
    supervisor, created = user_model.objects.get_or_create(
        username=SUPERVISOR, defaults={"first_name": "基准测试大队长"}
    )
    if created:
        supervisor.set_password(DEFAULT_PASSWORD)
        supervisor.save()
    supervisor.groups.add(role_group(Role.SUPERVISOR))
    inspectors: dict[int, list[int]] = {}
    group = role_group(Role.INSPECTOR)
    for unit in _units():
        ids = []
        for n in (1, 2):
            user, created = user_model.objects.get_or_create(
                username=f"bench_{unit.code}_{n}", defaults={"first_name": f"{unit.name}监察{n}"}
            )
            if created:
                user.set_password(DEFAULT_PASSWORD)
                user.save()
                user.groups.add(group)
                unit.inspectors.add(user)
            ids.append(user.pk)
        inspectors[unit.pk] = ids
    return {"supervisor": supervisor, "inspectors": inspectors}


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


@dataclass(frozen=True)
class Phase:
    name: str
    model_label: str  # "app_label.ModelName": the phase waits until that model exists
    rows: Callable[[Plan, datetime.date, dict], Iterator[Row]]
    extra_labels: tuple[str, ...] = ()  # further tables the phase fills, when they exist

    def models(self) -> list[type[models.Model]]:
        """The tables the phase fills: its model, its many-to-many tables and the extras."""
        model = apps.get_model(self.model_label)
        throughs = [
            f.remote_field.through
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
        extras = [m for m in map(_model, self.extra_labels) if m is not None]
        return [model, *throughs, *extras]


def _employer_phase_rows(plan: Plan, today: datetime.date, ctx: dict) -> Iterator[Row]:
    for row in _employer_rows(plan, today):
        yield Employer, row


PHASES = [
    Phase("employers", "employers.Employer", _employer_phase_rows),
    Phase("patrols", "inspections.Patrol", _patrol_rows),
    Phase("reviews", "inspections.WrittenReview", _review_rows),
    Phase("cases", "inspections.Case", _case_rows),
    Phase("complaints", "complaints.Complaint", _complaint_rows, ("complaints.ComplaintItem",)),
]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _run_phase(phase: Phase, plan: Plan, today: datetime.date, ctx: dict) -> dict[str, int]:
    """Write a phase's rows, batching each table separately (a phase interleaves its main rows
    with their many-to-many rows). Returns rows written per table."""
    buffers: dict[type[models.Model], list[dict]] = {}
    written: dict[type[models.Model], int] = {}
    tables = [m._meta.db_table for m in phase.models()]
    with _indexes_built_after(tables):
        for model, row in phase.rows(plan, today, ctx):
            batch = buffers.setdefault(model, [])
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                written[model] = written.get(model, 0) + write_rows(model, batch)
                buffers[model] = []
        for model, batch in buffers.items():
            if batch:
                written[model] = written.get(model, 0) + write_rows(model, batch)
    _reset_sequences(*written)
    return {model._meta.db_table: count for model, count in written.items()}


def _analyze(tables: list[str]) -> None:
    """Fresh planner statistics; on PostgreSQL also the visibility map (index-only scans)."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Inside a transaction (the smoke test): VACUUM is not allowed there, ANALYZE is.
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    elif connection.vendor == "postgresql":
        previous = connection.get_autocommit()
        connection.set_autocommit(True)
        try:
            with connection.cursor() as cursor:
                for table in tables:
                    cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
        finally:
            connection.set_autocommit(previous)
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed(
    scale: int, *, reseed: bool = False, log: Callable[[str], None] = print
) -> dict[str, dict]:
    """Bring the database to a seeded district of ``scale`` employers. Returns the phase state."""
    plan = Plan(scale)
    today = timezone.localdate()
    state = seed_state()
    stale = any(
        info["scale"] != scale or info["version"] != SEED_VERSION for info in state.values()
    )
    if reseed or stale:
        log(f"seed: emptying the benchmark tables ({'reseed asked' if reseed else 'other scale'})")
        reset_seed()
        state = {}
    ctx: dict[str, Any] = {"inspectors": bench_users()["inspectors"]}
    touched: list[str] = []
    for phase in PHASES:
        if phase.name in state:
            continue
        if _model(phase.model_label) is None:
            log(f"seed: {phase.name}: skipped ({phase.model_label} does not exist yet)")
            continue
        started = time.perf_counter()
        with transaction.atomic():
            tables = _run_phase(phase, plan, today, ctx)
            seconds = time.perf_counter() - started
            rows = sum(tables.values())
            _record_phase(phase.name, scale, today, rows, seconds)
        detail = ", ".join(f"{t} {n:,}" for t, n in tables.items())
        log(
            f"seed: {phase.name}: {rows:,} rows in {seconds:.1f} s "
            f"({rows / max(seconds, 1e-9):,.0f} rows/s; {detail})"
        )
        touched.extend(tables)
    if touched:
        started = time.perf_counter()
        _analyze(touched)
        log(f"seed: analyze {len(touched)} tables in {time.perf_counter() - started:.1f} s")
    return seed_state()
