"""`manage.py workdays add 2026-02-10 10` and `manage.py workdays between 2026-02-10 2026-03-02`."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from filings.workdays import WorkCalendar


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Count Chinese statutory working days (holidays and make-up working days included)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the Nth working day after a date")
        add.add_argument("start")
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="working days after START up to and including END")
        between.add_argument("start")
        between.add_argument("end")

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = WorkCalendar.load()
        if options["action"] == "add":
            if options["days"] < 1:
                raise CommandError("the number of working days must be at least 1")
            result = calendar.add(_date(options["start"]), options["days"])
            self.stdout.write(result.value.isoformat())
            provisional = result.provisional
        else:
            count = calendar.between(_date(options["start"]), _date(options["end"]))
            self.stdout.write(str(count.days))
            provisional = count.provisional
        if provisional:
            self.stderr.write(
                "provisional: a date falls in a year whose holiday calendar is not known yet (weekends only)"
            )
