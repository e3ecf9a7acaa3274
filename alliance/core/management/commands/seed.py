"""``alliance seed --scale small|county|state``: fill an empty database with demo data."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.seed.generate import DEFAULT_SEED, SeedError, seed
from alliance.seed.plan import SCALES


class Command(BaseCommand):
    help = "Fill an empty database with realistic, deterministic data (small, county, state)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="random seed: the same seed on the same day gives the same data",
        )

    def handle(self, *args, scale: str, seed: int, **options) -> None:
        self.stdout.write(f"Seeding scale {scale}…")
        try:
            report = _seed(scale, seed, self.stdout.write)
        except SeedError as exc:
            raise CommandError(str(exc))
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:>18}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {report.seconds:.1f} s."))


def _seed(scale: str, rng_seed: int, log):
    # The option is named --seed, which shadows the function inside ``handle``.
    return seed(scale, log=log, rng_seed=rng_seed)
