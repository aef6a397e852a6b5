"""双随机、一公开: random draws of employers and of inspector pairs, reproducible from a seed.

The draw itself (``draw_compute``) is pure: plain data in, the drawn employers with their pairs
out, one ``random.Random(seed)`` consumed in a fixed order, so the same inputs and seed give the
same draw on any machine. The services around it gather the inputs from the database, record
them on the Draw (with the SHA-256 of the population) and replay a recorded draw.

Order of the random calls (the contract a replay relies on):
1. per level, in the order A, B, C: ``rng.sample`` of the level's employer ids (sorted), the
   count being ``ceil(share * population of the level)``;
2. per drawn employer, by id: ``rng.sample`` of two inspectors from the pool (sorted) less the
   recused ones, repeated while the pair equals the employer's last patrol's pair.
"""

import datetime
import hashlib
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from complaints.models import Complaint
from core import workdays
from core.roles import Role
from employers.models import Employer, Unit
from inspections.models import Case, Patrol
from ratings.models import Level

from .models import Draw, DrawnInspection

LEVEL_ORDER = ("A", "B", "C")
PER_EMPLOYER = 2  # two inspectors per employer (《关于推广随机抽查规范事中事后监管的通知》)
# A pool where every pair is the last one would loop for ever: give up after this many tries.
MAX_PAIR_TRIES = 50


class DrawError(ValueError):
    """The draw cannot be made as asked (no employers, an unknown unit, a bad share)."""


@dataclass(frozen=True)
class DrawnRow:
    employer_id: int
    level: str
    pair: tuple[int, int] | None  # None: no pair left after recusal


def population_hash(population: Sequence[Sequence], inspector_ids: Iterable[int]) -> str:
    """SHA-256 of ``employer_id:level`` sorted by id, then the sorted inspector ids, as
    ``E 12:A,15:C|I 3,7`` in UTF-8: what anyone can recompute from the published lists."""
    employers = ",".join(f"{pk}:{level}" for pk, level in sorted(map(tuple, population)))
    inspectors = ",".join(str(pk) for pk in sorted(inspector_ids))
    return hashlib.sha256(f"E {employers}|I {inspectors}".encode()).hexdigest()


def parse_shares(text: str) -> dict[str, float]:
    """``C=1,B=0.2,A=0.05`` -> {"C": 1.0, "B": 0.2, "A": 0.05}; a level left out draws none."""
    shares: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        level, sep, value = part.partition("=")
        level = level.strip().upper()
        try:
            share = float(value)
        except ValueError:
            share = -1.0
        if not sep or level not in LEVEL_ORDER or not 0 <= share <= 1:
            raise DrawError(f"bad share {part!r}: use LEVEL=FRACTION, e.g. C=1,B=0.2,A=0.05")
        shares[level] = share
    return shares


def default_shares() -> dict[str, float]:
    return {str(k): float(v) for k, v in settings.DRAW_DEFAULT_SHARES.items()}


def select_employers(
    rng: random.Random, population: Sequence[Sequence], shares: Mapping[str, float]
) -> list[tuple[int, str]]:
    """Step 1: the drawn employers, sorted by id."""
    by_level: dict[str, list[int]] = {level: [] for level in LEVEL_ORDER}
    for pk, level in population:
        by_level[level].append(pk)
    drawn: list[tuple[int, str]] = []
    for level in LEVEL_ORDER:
        ids = sorted(by_level[level])
        count = min(len(ids), math.ceil(shares.get(level, 0) * len(ids) - 1e-9))
        drawn.extend((pk, level) for pk in rng.sample(ids, count))
    return sorted(drawn)


def assign_pair(
    rng: random.Random, pool: Sequence[int], recused: Iterable[int], last_pair: Iterable[int]
) -> tuple[int, int] | None:
    """Step 2 for one employer: two inspectors not recused, never the last patrol's pair."""
    eligible = sorted(set(pool) - set(recused))
    last = frozenset(last_pair)
    if len(eligible) < PER_EMPLOYER or (len(eligible) == PER_EMPLOYER and last == set(eligible)):
        return None
    for _try in range(MAX_PAIR_TRIES):
        pair = rng.sample(eligible, PER_EMPLOYER)
        if frozenset(pair) != last:
            return (min(pair), max(pair))
    return None


def draw_compute(
    *,
    seed: int,
    population: Sequence[Sequence],
    shares: Mapping[str, float],
    inspector_ids: Sequence[int],
    recusals: Mapping[str, Sequence[int]],
    last_pairs: Mapping[str, Sequence[int]],
) -> list[DrawnRow]:
    """The whole draw from its inputs (keys of ``recusals``/``last_pairs``: employer ids as
    strings, as JSON stores them)."""
    rng = random.Random(seed)
    chosen = select_employers(rng, population, shares)
    pool = sorted(inspector_ids)
    return [
        DrawnRow(
            pk,
            level,
            assign_pair(rng, pool, recusals.get(str(pk), ()), last_pairs.get(str(pk), ())),
        )
        for pk, level in chosen
    ]


# --- gathering the inputs --------------------------------------------------------------------


def units_from_codes(codes: Iterable[str]) -> list[Unit]:
    codes = [c.strip() for c in codes if c.strip()]
    units = list(Unit.objects.filter(code__in=codes).order_by("code"))
    missing = sorted(set(codes) - {u.code for u in units})
    if missing:
        raise DrawError(f"unknown area unit: {', '.join(missing)}")
    if not units:
        raise DrawError("no area unit given")
    return units


def draw_population(units: Sequence[Unit]) -> list[list]:
    """[employer id, level] of the active employers of the units (no rating yet: A)."""
    rows = (
        Employer.objects.filter(unit__in=units)
        .active()
        .order_by("pk")
        .values_list("pk", "rating__level")
    )
    return [[pk, level or Level.A] for pk, level in rows]


def inspector_pool(units: Sequence[Unit]) -> QuerySet:
    """Active inspectors assigned to any of the units: the default pool."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.INSPECTOR, units__in=units)
        .distinct()
        .order_by("pk")
    )


def _recusals(employer_ids: list[int], pool: set[int]) -> dict[str, list[int]]:
    """Inspectors of the pool assigned to an open complaint or an open case of the employer."""
    recused: dict[str, set[int]] = {}
    complaints = Complaint.objects.open().filter(employer_id__in=employer_ids)
    cases = Case.objects.filter(employer_id__in=employer_ids, closed_on__isnull=True)
    for model, queryset in ((Complaint, complaints), (Case, cases)):
        through = model.inspectors.through
        owner = f"{model._meta.model_name}_id"
        links = through.objects.filter(
            **{f"{owner}__in": queryset.values("pk")}, user_id__in=pool
        ).values_list(f"{model._meta.model_name}__employer_id", "user_id")
        for employer_id, user_id in links:
            recused.setdefault(str(employer_id), set()).add(user_id)
    return {pk: sorted(ids) for pk, ids in recused.items()}


def _last_pairs(employer_ids: list[int]) -> dict[str, list[int]]:
    """The inspectors of each employer's latest patrol (the last patrol by date, then id)."""
    latest = Patrol.objects.filter(employer_id=OuterRef("employer_id")).order_by(
        "-patrolled_on", "-pk"
    )
    patrols = Patrol.objects.filter(employer_id__in=employer_ids).filter(pk=latest.values("pk")[:1])
    through = Patrol.inspectors.through
    pairs: dict[str, list[int]] = {}
    for employer_id, user_id in through.objects.filter(patrol__in=patrols).values_list(
        "patrol__employer_id", "user_id"
    ):
        pairs.setdefault(str(employer_id), []).append(user_id)
    return {pk: sorted(ids) for pk, ids in pairs.items()}


@dataclass(frozen=True)
class DrawResult:
    draw: Draw | None
    rows: list[DrawnRow]
    seed: int
    inputs: dict
    population_hash: str

    @property
    def line(self) -> str:
        """SPEC section 7: ``draw seed=N employers=N inspectors=N pairs=N``."""
        pairs = sum(1 for row in self.rows if row.pair)
        inspectors = len(self.inputs["inspector_ids"])
        return (
            f"draw seed={self.seed} employers={len(self.rows)} "
            f"inspectors={inspectors} pairs={pairs}"
        )


def draw_publish_by(drawn_on: datetime.date) -> datetime.date:
    """The last day to publish the results: DRAW_PUBLISH_WORKDAYS working days on."""
    day, _estimated = workdays.add_workdays_estimated(drawn_on, settings.DRAW_PUBLISH_WORKDAYS)
    return day


def draw_create(
    *,
    units: Sequence[Unit],
    seed: int,
    shares: Mapping[str, float] | None = None,
    inspector_ids: Sequence[int] | None = None,
    user: AbstractBaseUser | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> DrawResult:
    """Make a draw over the units and record it (with ``dry_run`` nothing is written)."""
    today = today or timezone.localdate()
    shares = dict(default_shares() if shares is None else shares)
    population = draw_population(units)
    if not population:
        raise DrawError("no active employer in the area units")
    if inspector_ids is None:
        inspector_ids = list(inspector_pool(units).values_list("pk", flat=True))
    pool = sorted(set(inspector_ids))
    # The employers are drawn first: recusal is then looked up for those only.
    chosen = [pk for pk, _level in select_employers(random.Random(seed), population, shares)]
    inputs = {
        "units": [u.code for u in units],
        "shares": shares,
        "population": population,
        "inspector_ids": pool,
        "recusals": _recusals(chosen, set(pool)),
        "last_pairs": _last_pairs(chosen),
    }
    rows = draw_compute(
        seed=seed,
        population=population,
        shares=shares,
        inspector_ids=pool,
        recusals=inputs["recusals"],
        last_pairs=inputs["last_pairs"],
    )
    digest = population_hash(population, pool)
    if dry_run:
        return DrawResult(None, rows, seed, inputs, digest)
    with transaction.atomic():
        draw = Draw.objects.create(
            seed=seed,
            drawn_on=today,
            inputs=inputs,
            population_hash=digest,
            publish_by=draw_publish_by(today),
            created_by=user,
        )
        draw.units.set(units)
        DrawnInspection.objects.bulk_create(
            DrawnInspection(
                draw=draw,
                employer_id=row.employer_id,
                level=row.level,
                first_inspector_id=row.pair[0] if row.pair else None,
                second_inspector_id=row.pair[1] if row.pair else None,
            )
            for row in rows
        )
    return DrawResult(draw, rows, seed, inputs, digest)


@dataclass(frozen=True)
class ReplayReport:
    hash_matches: bool
    rows_match: bool
    differences: list[str]

    @property
    def ok(self) -> bool:
        return self.hash_matches and self.rows_match


def draw_replay(*, draw: Draw) -> ReplayReport:
    """Recompute a recorded draw from its seed and inputs and compare with what was stored."""
    inputs = draw.inputs
    digest = population_hash(inputs["population"], inputs["inspector_ids"])
    rows = draw_compute(
        seed=draw.seed,
        population=inputs["population"],
        shares=inputs["shares"],
        inspector_ids=inputs["inspector_ids"],
        recusals=inputs.get("recusals", {}),
        last_pairs=inputs.get("last_pairs", {}),
    )
    expected = {row.employer_id: row.pair for row in rows}
    stored = {
        pk: (first, second) if first else None
        for pk, first, second in draw.inspections.values_list(
            "employer_id", "first_inspector_id", "second_inspector_id"
        )
    }
    differences = [
        f"employer {pk}: recorded {stored.get(pk)} replayed {expected.get(pk)}"
        for pk in sorted(expected.keys() | stored.keys())
        if stored.get(pk, "missing") != expected.get(pk, "missing")
    ]
    return ReplayReport(digest == draw.population_hash, not differences, differences)


# --- reads ----------------------------------------------------------------------------------


def draws_visible_to(user: AbstractBaseUser) -> QuerySet[Draw]:
    """Supervisors and admins see every draw; an inspector the draws of their units."""
    from core.roles import sees_whole_district

    draws = Draw.objects.all()
    if sees_whole_district(user):
        return draws
    return draws.filter(units__in=Unit.objects.filter(inspectors=user)).distinct()


def draw_results(draw: Draw) -> QuerySet[DrawnInspection]:
    """The drawn employers with the first patrol recorded on or after the draw (the result)."""
    patrol = Patrol.objects.filter(
        employer_id=OuterRef("employer_id"), patrolled_on__gte=draw.drawn_on
    ).order_by("patrolled_on", "pk")
    return (
        draw.inspections.select_related(
            "employer", "employer__unit", "first_inspector", "second_inspector"
        )
        .annotate(
            patrol_on=patrol.values("patrolled_on")[:1],
            patrol_outcome=patrol.values("outcome")[:1],
            patrol_id=patrol.values("pk")[:1],
        )
        .order_by("employer__unit__code", "employer__name", "pk")
    )


def drawn_for_inspector(user: AbstractBaseUser) -> QuerySet[DrawnInspection]:
    """Drawn inspections assigned to the inspector and not yet patrolled since the draw."""
    patrolled = Patrol.objects.filter(
        employer_id=OuterRef("employer_id"), patrolled_on__gte=OuterRef("draw__drawn_on")
    )
    return (
        DrawnInspection.objects.filter(Q(first_inspector=user) | Q(second_inspector=user))
        .filter(~Exists(patrolled))
        .select_related("employer", "employer__unit", "draw")
        .order_by("draw__publish_by", "employer__name")
    )


def draw_mark_published(*, draw: Draw, today: datetime.date | None = None) -> Draw:
    """The first public export of the results marks the draw published."""
    if draw.published_on is None:
        draw.published_on = today or timezone.localdate()
        draw.save(update_fields=["published_on"])
    return draw
