from django.core.management.base import BaseCommand, CommandError

from alliance.seed.generate import SCALES, seed


class Command(BaseCommand):
    help = "Fill an empty database with realistic, deterministic data (small, county, state)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=20241, help="random seed")

    def handle(self, *args, scale, seed: int, **options):
        self.stdout.write(f"Seeding scale {scale}…")
        try:
            report = seed_run(scale, seed, self.stdout.write)
        except RuntimeError as exc:
            raise CommandError(str(exc))
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:>15}: {count:,}")
        self.stdout.write(self.style.SUCCESS(f"Done in {report.seconds:.1f} s."))


def seed_run(scale, rng_seed, log):
    return seed(scale, log=log, rng_seed=rng_seed)
