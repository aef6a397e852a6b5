"""manage.py draw_inspections --units CODE,... --share C=1,B=0.2,A=0.05 --seed N [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planning.draws import DrawError, draw_create, parse_shares, units_from_codes


class Command(BaseCommand):
    help = (
        "双随机、一公开: draw employers per level and a pair of inspectors for each, from a seed "
        "that is recorded so the draw can be replayed (manage.py replay_draw ID)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", required=True, help="area unit codes, comma-separated")
        parser.add_argument(
            "--share", default="", help="share per level, e.g. C=1,B=0.2,A=0.05 (default: settings)"
        )
        parser.add_argument("--seed", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="draw without recording it")

    def handle(self, *args, units: str, share: str, seed: int, dry_run: bool, **options) -> None:
        try:
            result = draw_create(
                units=units_from_codes(units.split(",")),
                seed=seed,
                shares=parse_shares(share) if share else None,
                dry_run=dry_run,
            )
        except DrawError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.line)
