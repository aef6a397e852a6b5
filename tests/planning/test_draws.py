"""双随机、一公开 draws: shares per level, recusal, reproducibility, the replay command."""

import io
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.roles import Role
from planning.draws import (
    DrawError,
    assign_pair,
    draw_compute,
    draw_create,
    parse_shares,
    population_hash,
    select_employers,
)
from planning.models import Draw
from tests.conftest import LQZ, make_user
from tests.factories import CaseFactory, EmployerFactory, PatrolFactory
from tests.workbooks import xlsx_rows

from .factories import RatingFactory


def test_parse_shares():
    assert parse_shares("C=1,B=0.2,A=0.05") == {"C": 1.0, "B": 0.2, "A": 0.05}
    for bad in ("C=2", "D=0.1", "C", "C=x"):
        with pytest.raises(DrawError):
            parse_shares(bad)


def test_shares_per_level_are_drawn_rounded_up():
    population = (
        [[n, "C"] for n in range(1, 6)]
        + [[n, "B"] for n in range(10, 21)]
        + [[n, "A"] for n in range(100, 141)]
    )
    drawn = select_employers(random.Random(7), population, {"C": 1, "B": 0.2, "A": 0.05})
    by_level = {level: [pk for pk, lvl in drawn if lvl == level] for level in "ABC"}
    assert by_level["C"] == [1, 2, 3, 4, 5]  # 100 %: every C employer
    assert len(by_level["B"]) == 3  # 20 % of 11 = 2.2 -> 3
    assert len(by_level["A"]) == 3  # 5 % of 41 = 2.05 -> 3
    assert drawn == sorted(drawn)


def test_same_seed_same_draw_other_seed_other_draw():
    population = [[n, "A"] for n in range(1, 201)]
    args = dict(
        population=population,
        shares={"A": 0.1},
        inspector_ids=list(range(500, 510)),
        recusals={},
        last_pairs={},
    )
    first = draw_compute(seed=42, **args)
    assert first == draw_compute(seed=42, **args)
    assert first != draw_compute(seed=43, **args)
    assert all(row.pair and row.pair[0] < row.pair[1] for row in first)


def test_recused_inspectors_and_the_last_pair_are_never_drawn():
    pool = [1, 2, 3, 4]
    for seed in range(200):
        pair = assign_pair(random.Random(seed), pool, recused=[1], last_pair=[2, 3])
        assert pair == (2, 4) or pair == (3, 4)
    # only the last pair is left: no pair rather than the same pair again
    assert assign_pair(random.Random(1), [2, 3, 9], recused=[9], last_pair=[2, 3]) is None


def test_population_hash_is_order_independent_and_sensitive():
    a = population_hash([[2, "C"], [1, "A"]], [5, 3])
    assert a == population_hash([[1, "A"], [2, "C"]], [3, 5])
    assert a != population_hash([[1, "A"], [2, "B"]], [3, 5])
    assert len(a) == 64


@pytest.fixture
def district(unit_lqz):
    inspectors = [make_user(f"draw_insp{n}", Role.INSPECTOR, (LQZ,)) for n in range(4)]
    c_employers = []
    for n in range(3):
        employer = EmployerFactory(unit=unit_lqz, name=f"抽查C{n}")
        RatingFactory(employer=employer, level="C")
        c_employers.append(employer)
    for n in range(10):
        employer = EmployerFactory(unit=unit_lqz, name=f"抽查B{n}")
        RatingFactory(employer=employer, level="B", clause_codes="")
    for n in range(20):
        EmployerFactory(unit=unit_lqz, name=f"抽查A{n}")  # not rated yet: A
    return {"inspectors": inspectors, "c": c_employers}


@pytest.mark.django_db
def test_draw_records_inputs_and_respects_recusal(district, unit_lqz):
    first, second, third, _fourth = district["inspectors"]
    target = district["c"][0]
    case = CaseFactory(employer=target)
    case.inspectors.add(first)
    patrol = PatrolFactory(employer=target, patrolled_on="2026-10-01")
    patrol.inspectors.add(second, third)
    result = draw_create(units=[unit_lqz], seed=2026, shares={"C": 1, "B": 0.2, "A": 0.05})
    draw = result.draw
    assert result.line == "draw seed=2026 employers=6 inspectors=4 pairs=6"
    assert draw.inputs["recusals"][str(target.pk)] == [first.pk]
    assert draw.inputs["last_pairs"][str(target.pk)] == sorted([second.pk, third.pk])
    drawn = draw.inspections.get(employer=target)
    pair = {drawn.first_inspector_id, drawn.second_inspector_id}
    assert first.pk not in pair and pair != {second.pk, third.pk}
    assert draw.publish_by > draw.drawn_on


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_prints_the_line(district, unit_lqz):
    out = io.StringIO()
    call_command(
        "draw_inspections", units=LQZ, share="C=1,B=0.2,A=0.05", seed=5, dry_run=True, stdout=out
    )
    assert out.getvalue() == "draw seed=5 employers=6 inspectors=4 pairs=6\n"
    assert not Draw.objects.exists()


@pytest.mark.django_db
def test_replay_command_confirms_and_detects_tampering(district, unit_lqz):
    call_command("draw_inspections", units=LQZ, share="C=1,B=0.2", seed=9, stdout=io.StringIO())
    draw = Draw.objects.get()
    out = io.StringIO()
    call_command("replay_draw", draw.pk, stdout=out)
    assert out.getvalue().startswith(f"replay draw={draw.pk} seed=9 ok")
    # a changed pair is found
    row = draw.inspections.exclude(first_inspector=None).first()
    row.first_inspector_id, row.second_inspector_id = (
        row.second_inspector_id,
        district["inspectors"][0].pk
        if district["inspectors"][0].pk != row.second_inspector_id
        else district["inspectors"][1].pk,
    )
    row.save()
    with pytest.raises(CommandError, match="differs"):
        call_command("replay_draw", draw.pk, stdout=io.StringIO(), stderr=io.StringIO())
    # a changed population no longer matches its hash
    draw.inputs["population"][0][1] = "C" if draw.inputs["population"][0][1] != "C" else "A"
    draw.save()
    with pytest.raises(CommandError, match="hash"):
        call_command("replay_draw", draw.pk, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db
def test_unknown_unit_is_a_one_line_error(db):
    with pytest.raises(CommandError, match="unknown area unit: 999"):
        call_command("draw_inspections", units="999", seed=1, stdout=io.StringIO())


@pytest.mark.django_db
def test_public_export_has_public_fields_and_marks_published(district, unit_lqz, client_supervisor):

    draw = draw_create(units=[unit_lqz], seed=11, shares={"C": 1}).draw
    target = draw.inspections.first().employer
    PatrolFactory(employer=target, patrolled_on=draw.drawn_on, outcome="compliant")
    html = client_supervisor.get(f"/draws/{draw.pk}/").content.decode()
    assert 'data-testid="publish-overdue"' not in html
    response = client_supervisor.get(f"/draws/{draw.pk}/results.xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == ("单位名称", "统一社会信用代码", "所属街镇", "检查日期", "检查结果")
    assert len(rows) == 4  # the three C employers
    done = next(r for r in rows if r[1] == target.credit_code)
    assert done[4] == "合规"
    # no inspector names in the public file
    names = {u.username for u in district["inspectors"]}
    assert not names & {str(cell) for row in rows for cell in row}
    draw.refresh_from_db()
    assert draw.published_on is not None


@pytest.mark.django_db
def test_unpublished_draw_past_its_deadline_shows_overdue(district, unit_lqz, client_supervisor):
    import datetime

    from django.conf import settings

    drawn_on = datetime.date(2026, 6, 1)
    draw = draw_create(units=[unit_lqz], seed=12, shares={"C": 1}, today=drawn_on).draw
    # 20 working days on the official calendar: June 2026 has the Dragon Boat holiday (19th)
    assert settings.DRAW_PUBLISH_WORKDAYS == 20
    assert draw.publish_by == datetime.date(2026, 6, 30)
    for url in ("/draws/", f"/draws/{draw.pk}/"):
        assert 'data-testid="publish-overdue"' in client_supervisor.get(url).content.decode()
