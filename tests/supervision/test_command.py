import datetime

import pytest
from django.core.management import CommandError, call_command

from supervision.models import CoverageResult, CoverageRun

from .factories import employer_added_on


@pytest.mark.django_db
def test_coverage_check_prints_the_matrix_and_stores_the_month(capsys, unit_lqz):
    for day in range(1, 6):
        employer_added_on(datetime.date(2025, 10, day), unit=unit_lqz)

    call_command("coverage_check", "--month", "2025-10")

    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["unit", "new_employers"]
    lqz_line = next(line for line in out if line.startswith("120111002"))
    assert "李七庄街道" in lqz_line
    assert "PASS 5" in lqz_line
    ylq_line = next(line for line in out if line.startswith("120111101"))
    assert "FAIL 0" in ylq_line
    assert out[-1].startswith("coverage 2025-10: 13 units, ")
    assert len(out) == 1 + 13 + 1
    assert CoverageResult.objects.filter(month=datetime.date(2025, 10, 1)).count() == 13
    assert CoverageRun.objects.get().source == CoverageRun.Source.COMMAND

    call_command("coverage_check", "--month", "2025-10")
    assert CoverageResult.objects.filter(month=datetime.date(2025, 10, 1)).count() == 13


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2025/10", "2025-13", "2999-01", "October"])
def test_a_bad_month_exits_non_zero_with_one_line(month):
    with pytest.raises(CommandError) as exc:
        call_command("coverage_check", "--month", month)
    message = str(exc.value)
    assert message and "\n" not in message
    assert CoverageResult.objects.count() == 0
    assert CoverageRun.objects.count() == 0
