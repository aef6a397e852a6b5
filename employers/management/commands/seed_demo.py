from django.core.management.base import BaseCommand, CommandParser

from employers.demo import seed_demo


class Command(BaseCommand):
    help = "Seed a believable demo district: 13 units, employers of all kinds, a user per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--employers", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, employers: int, seed: int, **options) -> None:
        for line in seed_demo(employers=employers, seed=seed):
            self.stdout.write(line)
