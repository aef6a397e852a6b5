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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from core.roles import Role, role_group
from employers.credit_code import CHARSET, make_credit_code
from employers.demo import _BRANDS, _GIVEN, _ROADS, _SHOPS, _SURNAMES, _TRADES
from employers.models import Employer, Unit

from .metrics import settle_tables
from .seed_rows import Plan, _case_rows, _complaint_rows, _model, _patrol_rows, _review_rows
from .seed_write import BATCH_ROWS, _indexes_built_after, _reset_sequences, write_rows

Row = tuple[type[models.Model], dict]

# Bump when the shape of the generated data changes: a stored seed of another version is redone.
SEED_VERSION = 4
STATE_TABLE = "bench_seed_state"
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


# --- writing rows -----------------------------------------------------------------------------


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
    if connection.vendor == "postgresql":
        settle_tables(tables)
        return
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
