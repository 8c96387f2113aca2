"""python manage.py bench [dashboard] [registry] [reminders] [retier] — see supervision/bench.py, `make bench`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from supervision import bench


class Command(BaseCommand):
    help = (
        "Time the supervisors' dashboard, the public registry search, the reminder sweep and re-tiering on"
        " generated data (a *_bench database only); exits 1 when a target is missed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "names", nargs="*", metavar="benchmark", help=f"{', '.join(sorted(bench.BENCHMARKS))} (default: all)"
        )
        parser.add_argument("--reminders", type=int, default=100_000, help="due items for the reminder sweep")
        parser.add_argument("--filings", type=int, default=1_000_000, help="filings (re-tiering, registry, dashboard)")
        parser.add_argument("--organizations", type=int, default=1_000, help="provider organisations")

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["names"] or sorted(bench.BENCHMARKS)
        unknown = set(names) - set(bench.BENCHMARKS)
        if unknown:
            raise CommandError(
                f"unknown benchmark {', '.join(sorted(unknown))}; choose from {', '.join(bench.BENCHMARKS)}"
            )
        report = bench.run(names, options)
        if report.missed:
            raise CommandError(f"target missed: {', '.join(report.missed)}")
