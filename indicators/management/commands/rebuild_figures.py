"""``manage.py rebuild_figures [--year Y ...]``: recompute the precomputed figures from the records."""

from django.core.management.base import BaseCommand, CommandError

from indicators import figures


class Command(BaseCommand):
    help = (
        "Recompute the precomputed figures (every indicator per region and period) from the records, "
        "for the programme's years or the years given, and report any drift corrected. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="a year to rebuild (repeatable)")

    def handle(self, *args, years=None, verbosity=1, **options):
        if years and any(year < 1900 or year > 2200 for year in years):
            raise CommandError("--year: a calendar year, e.g. 2023")
        result = figures.rebuild(years)
        for row in result.drift[:50] if verbosity > 1 else ():
            indicator, part, region, year, month, kept, computed = row
            self.stdout.write(
                f"drift: {indicator} {part or 'value'} region={region} {year}-{month}: {kept} -> {computed}"
            )
        self.stdout.write(
            f"Figures rebuilt for {', '.join(map(str, result.years))}: {result.cells} cells, {result.rows} rows; "
            f"drift corrected: {len(result.drift)}."
        )
