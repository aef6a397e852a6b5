"""manage.py replay_draw ID: recompute a recorded draw from its seed and inputs and compare."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planning.draws import draw_replay
from planning.models import Draw


class Command(BaseCommand):
    help = "Replay a random inspection draw from its recorded seed and inputs; non-zero exit on a mismatch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("draw_id", type=int)

    def handle(self, *args, draw_id: int, **options) -> None:
        draw = Draw.objects.filter(pk=draw_id).first()
        if draw is None:
            raise CommandError(f"no draw with id {draw_id}")
        report = draw_replay(draw=draw)
        for line in report.differences:
            self.stderr.write(line)
        if not report.hash_matches:
            raise CommandError(f"draw {draw_id}: population hash does not match its inputs")
        if not report.rows_match:
            raise CommandError(
                f"draw {draw_id}: replay differs in {len(report.differences)} employers"
            )
        self.stdout.write(f"replay draw={draw_id} seed={draw.seed} ok hash={draw.population_hash}")
