from django.core.management.base import BaseCommand, CommandError

from demo.services import (
    BENCHMARK_COUNTS,
    LARGE_DISTRICT_SCHOOLS,
    DistrictAlreadySeeded,
    default_benchmark_count,
    demo_district_seed,
)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Load a deterministic demo district and print its logins. Refuses on a database that already "
        "holds schools (use --if-empty to leave it as is, or flush the database first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=_positive, default=40, help="Number of schools (default 40).")
        parser.add_argument("--years", type=_positive, default=5, help="School years of data (default 5).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--benchmarks",
            type=int,
            choices=BENCHMARK_COUNTS,
            metavar=f"{{{BENCHMARK_COUNTS[0]}..{BENCHMARK_COUNTS[-1]}}}",
            help=(
                f"Benchmarks per contract (default {default_benchmark_count(1)}, the standard contract; "
                f"{BENCHMARK_COUNTS[-1]} above {LARGE_DISTRICT_SCHOOLS} schools, as a large district's contract)."
            ),
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing, successfully, when the district exists."
        )

    def handle(self, *args, schools, years, seed, benchmarks, if_empty, **options):
        try:
            logins = demo_district_seed(schools=schools, years=years, seed=seed, benchmarks=benchmarks)
        except DistrictAlreadySeeded as exc:
            if if_empty:
                self.stdout.write(f"{exc} Left as it is.")
                return
            raise CommandError(f"{exc} Refusing to add a second demo district: flush the database first.") from None
        benchmarks = benchmarks or default_benchmark_count(schools)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo district loaded: {schools} schools, {years} school years, {benchmarks} benchmarks per contract."
            )
        )
        self.stdout.write(f"Every demo user's password: {logins.password}")
        width = max(len(label) for label, _ in logins.users)
        for label, username in logins.users:
            self.stdout.write(f"  {label.ljust(width)}  {username}")
