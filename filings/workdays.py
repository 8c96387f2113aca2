"""Chinese statutory working days (工作日), used for every deadline in the project.

Sources, in order: the administrator's overrides, chinesecalendar (which knows holidays and
make-up working days up to its release), and for a year neither covers, weekends only, with the
result marked provisional. A deadline counts from the day after the start (the start day is not
counted) and ends at 24:00 Beijing time on its last day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class WorkdayResult:
    value: datetime.date
    provisional: bool


@dataclass(frozen=True)
class WorkdayCount:
    days: int
    provisional: bool


class WorkCalendar:
    def __init__(self, overrides: dict[datetime.date, bool] | None = None, complete_years: set[int] | None = None):
        self.overrides = overrides or {}
        self.complete_years = complete_years or set()

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar with the database's overrides (a small table, read once per use)."""
        from filings.models import CalendarOverride, CalendarYear

        overrides = dict(CalendarOverride.objects.values_list("date", "is_workday"))
        years = set(CalendarYear.objects.values_list("year", flat=True))
        return cls(overrides, years)

    def day(self, day: datetime.date) -> tuple[bool, bool]:
        """(is a working day, whether that is certain)."""
        if day in self.overrides:
            return self.overrides[day], True
        if day.year in self.complete_years:
            return day.weekday() < 5, True
        try:
            return bool(chinese_calendar.is_workday(day)), True
        except NotImplementedError:
            return day.weekday() < 5, False

    def is_workday(self, day: datetime.date) -> bool:
        return self.day(day)[0]

    def add(self, start: datetime.date, working_days: int) -> WorkdayResult:
        """The ``working_days``-th working day strictly after ``start``."""
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        provisional = False
        day = start
        counted = 0
        while counted < working_days:
            day += datetime.timedelta(days=1)
            workday, certain = self.day(day)
            provisional = provisional or not certain
            if workday:
                counted += 1
        return WorkdayResult(day, provisional)

    def between(self, start: datetime.date, end: datetime.date) -> WorkdayCount:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        provisional = False
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            workday, certain = self.day(day)
            provisional = provisional or not certain
            count += workday
        return WorkdayCount(sign * count, provisional)

    def next_workday(self, day: datetime.date) -> WorkdayResult:
        """``day`` itself if it is a working day, else the next one."""
        workday, certain = self.day(day)
        if workday:
            return WorkdayResult(day, not certain)
        return self.add(day, 1)


def deadline_end(day: datetime.date) -> datetime.datetime:
    """A deadline ends at 24:00 Beijing time on its last day."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=BEIJING)
