"""python manage.py import_published_lists [--dir DIR] — load the lists CAC already published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from filings import importer
from filings.services.imports import import_catalogue


class Command(BaseCommand):
    help = "Import CAC's published algorithm and deep-synthesis lists and cancellation notices (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=importer.DATA_DIR, help="folder with the three CSV files")
        parser.add_argument("--quiet-problems", action="store_true", help="print only the counts of irregularities")

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = importer.read_all(options["dir"])
        result = import_catalogue(catalogue)
        for key, value in importer.summary(catalogue).items():
            self.stdout.write(f"read {key}: {value}")
        for key, value in sorted(result.written.items()):
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(f"written in all: {result.total_written} (0 on a rerun)")
        if options["quiet_problems"]:
            self.stdout.write(f"irregularities: {len(result.problems)} (run without --quiet-problems to list them)")
        else:
            for problem in result.problems:
                self.stdout.write(f"irregular: {problem}")
