import datetime

import pytest
from django.core.management import call_command

from filings.models import CalendarOverride, CalendarYear
from filings.workdays import WorkCalendar, deadline_end

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # regulation.md §8.3: make-up Saturdays count, the Spring Festival does not.
        (D(2026, 2, 10), 10, D(2026, 3, 2)),
        (D(2026, 9, 18), 10, D(2026, 10, 9)),
        (D(2026, 4, 30), 20, D(2026, 6, 1)),
        (D(2025, 9, 26), 30, D(2025, 11, 13)),
    ],
)
def test_worked_examples(start, days, expected):
    result = WorkCalendar().add(start, days)
    assert result.value == expected
    assert result.provisional is False


def test_between_counts_working_days_after_the_start():
    assert WorkCalendar().between(D(2026, 2, 10), D(2026, 3, 2)).days == 10
    assert WorkCalendar().between(D(2026, 3, 2), D(2026, 2, 10)).days == -10


def test_unknown_year_is_weekends_only_and_provisional():
    result = WorkCalendar().add(D(2026, 12, 30), 3)
    assert result.provisional is True
    # Weekends only: 12-31 (Thu), 2027-01-01 (Fri, a holiday in reality), 2027-01-04 (Mon).
    assert result.value == D(2027, 1, 4)


@pytest.mark.django_db
def test_overrides_and_completed_years_make_a_future_year_certain():
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, source_notice="国办发明电〔2026〕X号")
    CalendarYear.objects.create(year=2027, source_notice="国办发明电〔2026〕X号")
    result = WorkCalendar.load().add(D(2026, 12, 30), 3)
    assert result == type(result)(D(2027, 1, 5), False)


def test_a_deadline_ends_at_midnight_beijing_time():
    end = deadline_end(D(2026, 3, 2))
    assert end.isoformat() == "2026-03-03T00:00:00+08:00"


@pytest.mark.django_db
def test_command_line(capsys):
    call_command("workdays", "add", "2026-02-10", "10")
    call_command("workdays", "between", "2026-02-10", "2026-03-02")
    out = capsys.readouterr().out.split()
    assert out == ["2026-03-02", "10"]
