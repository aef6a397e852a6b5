"""The replay of a rule set over the registry (rerate --all --rules VERSION --dry-run)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ratings.models import Rating, RatingHistory
from ratings.repair.replay import ratings_replay
from ratings.services import employers_rerate_bulk
from tests.clock import frozen_today
from tests.factories import CaseFactory, EmployerFactory

from .cases import order_case, penalty_case

D = datetime.date
TODAY = D(2026, 11, 15)
LINE = "replay rules={} employers={} changed={} A->B={} A->C={} B->A={} B->C={} C->A={} C->B={}"


today = frozen_today(TODAY)


@pytest.fixture
def district(db, today):
    """Employers whose facts only national-2016 reads, and employers it leaves alone."""
    plain = EmployerFactory(name="=平常公司")  # a name that looks like a formula
    penalised = EmployerFactory()
    penalty_case(penalised, decided=D(2026, 6, 1), penalty_amount=1000)
    child = EmployerFactory()
    CaseFactory(employer=child, opened_on=D(2026, 6, 1), violation_items=["child_labour"])
    obstructing = EmployerFactory()
    order_case(
        obstructing,
        opened=D(2026, 6, 1),
        decided=D(2026, 6, 1),
        deadline=D(2026, 7, 1),
        rectified=D(2026, 6, 20),
        obstructed_inspection=True,
    )
    unpaid = EmployerFactory()
    penalty_case(unpaid, decided=D(2024, 6, 1), penalty_amount=500, fine_due_on=D(2024, 7, 1))
    employers_rerate_bulk(cause="full", today=TODAY)
    return {
        "plain": plain,
        "penalised": penalised,
        "child": child,
        "obstructing": obstructing,
        "unpaid": unpaid,
    }


def _stored() -> list[tuple]:
    return list(
        Rating.objects.order_by("employer_id").values_list(
            "employer_id", "level", "clause_codes", "ruleset_version", "computed_at"
        )
    )


def test_replaying_the_current_rules_changes_nothing(district):
    summary = ratings_replay(ruleset_id="xiqing-2018", today=TODAY)
    assert summary.changes == []
    assert summary.line == LINE.format("xiqing-2018", 5, 0, 0, 0, 0, 0, 0, 0)


def test_national_rules_change_exactly_the_employers_whose_facts_need_it(district):
    before, history = _stored(), RatingHistory.objects.count()
    summary = ratings_replay(ruleset_id="national-2016", today=TODAY)
    changed = {
        c.employer_id: (c.old_level, c.old_clauses, c.new_level, c.new_clauses)
        for c in summary.changes
    }
    assert changed == {
        district["child"].pk: ("A", "", "C", "N1"),
        district["obstructing"].pk: ("B", "", "C", "N2"),
        district["unpaid"].pk: ("A", "", "C", "N3"),
    }
    assert summary.line == LINE.format("national-2016", 5, 3, 0, 2, 0, 1, 0, 0)
    # A dry run writes nothing.
    assert _stored() == before
    assert RatingHistory.objects.count() == history


def test_the_command_prints_the_summary_last_and_writes_a_safe_report(district, tmp_path):
    out = io.StringIO()
    report = tmp_path / "replay.xlsx"
    call_command(
        "rerate",
        "--all",
        "--rules",
        "national-2016",
        "--dry-run",
        "--report",
        str(report),
        stdout=out,
    )
    assert out.getvalue().splitlines()[-1] == LINE.format("national-2016", 5, 3, 0, 2, 0, 1, 0, 0)
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert {row[5] for row in rows[1:]} == {"N1", "N2", "N3"}


def test_the_report_cells_never_start_a_formula(district, tmp_path):
    Rating.objects.filter(employer=district["plain"]).update(level="C", clause_codes="C4")
    report = tmp_path / "replay.xlsx"
    call_command(
        "rerate",
        "--all",
        "--rules",
        "xiqing-2018",
        "--dry-run",
        "--report",
        str(report),
        stdout=io.StringIO(),
    )
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows[1][1] == "'=平常公司"
    assert (rows[1][2], rows[1][4]) == ("C", "A")


def test_an_unknown_rule_set_exits_non_zero_naming_the_known_ones(district):
    with pytest.raises(CommandError) as caught:
        call_command("rerate", "--all", "--rules", "national-2099", "--dry-run")
    assert "xiqing-2018" in str(caught.value) and "national-2016" in str(caught.value)


@pytest.mark.parametrize(
    "args",
    [
        ("--all", "--rules", "national-2016"),  # no --dry-run: a replay never writes
        ("--due", "--rules", "national-2016", "--dry-run"),
        ("--all", "--dry-run"),
        ("--all", "--rules", "national-2016", "--dry-run", "--report", "out.csv"),
    ],
)
def test_a_replay_needs_all_rules_and_dry_run(district, args):
    with pytest.raises(CommandError):
        call_command("rerate", *args)


def test_the_plain_rerate_lines_stay(district):
    out = io.StringIO()
    call_command("rerate", "--all", stdout=out)
    assert out.getvalue().strip().startswith("rated=")
