"""Survey results at scale: the results page, a cross-tab and the exports for a survey with
``--responses`` submitted responses (the interest survey template), on SQLite by default.

Prints the number of SQL queries and the time of each; never asserts a time.

    .venv/bin/python bench/community.py [--responses 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_bench_community \
        .venv/bin/python bench/community.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=5000)
    args = parser.parse_args()
    db = Path(tempfile.gettempdir()) / "alliance_bench_community.sqlite3"
    db.unlink(missing_ok=True)
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    if url.startswith("postgres"):
        from bench.purchasing import _fresh_postgres

        _fresh_postgres(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scopes_disabled

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from alliance.accounts.models import Role, User
    from alliance.community.models import Answer, Response
    from alliance.community.services_surveys import copy_interest_survey
    from alliance.members.models import Alliance

    rng = random.Random(7)
    with scopes_disabled():
        alliance = Alliance.objects.create(name="Bench County", slug="bench", county="Bench")
        hub = User.objects.create_user("hub@bench.example", "x")
        Role.objects.create(user=hub, kind="hub", alliance=alliance)
        survey = copy_interest_survey(alliance=alliance, acting_user=hub)
        survey.status = "open"
        survey.save(update_fields=["status"])
        questions = {q.position + 10 * q.section.position: q for q in survey.questions.all()}
        started = time.perf_counter()
        now = timezone.now()
        responses = Response.objects.bulk_create(
            [
                Response(
                    alliance=alliance,
                    survey=survey,
                    submitted_at=now,
                    program_kind=rng.choice(["center", "family_home"]),
                    town=rng.choice(["Elizabeth", "Union", "Plainfield", "Linden"]),
                    language=rng.choice(["en", "es"]),
                )
                for _ in range(args.responses)
            ],
            batch_size=2000,
        )
        answers = []
        for response in responses:
            for question in questions.values():
                if question.kind in ("single", "multiple"):
                    picks = [c["value"] for c in question.choices if rng.random() < 0.5]
                    for value in picks[:1] if question.kind == "single" else picks:
                        answers.append(
                            Answer(
                                alliance=alliance,
                                response=response,
                                question=question,
                                choice=value,
                            )
                        )
                elif question.kind == "rating":
                    n = rng.randrange(1, 6)
                    answers.append(
                        Answer(
                            alliance=alliance,
                            response=response,
                            question=question,
                            choice=str(n),
                            number=n,
                        )
                    )
                elif question.kind == "number":
                    answers.append(
                        Answer(
                            alliance=alliance,
                            response=response,
                            question=question,
                            number=rng.randrange(1, 100),
                        )
                    )
                elif rng.random() < 0.3:
                    answers.append(
                        Answer(
                            alliance=alliance,
                            response=response,
                            question=question,
                            text="We need substitutes.",
                        )
                    )
        Answer.objects.bulk_create(answers, batch_size=5000)
        print(
            f"built {len(responses)} responses, {len(answers)} answers "
            f"in {time.perf_counter() - started:.1f} s ({connection.vendor})"
        )
        challenge = next(q for q in questions.values() if q.kind == "multiple")

    client = Client()
    client.force_login(hub, backend="alliance.accounts.backends.EmailBackend")
    base = f"/a/bench/hub/community/surveys/{survey.pk}"
    client.get("/a/bench/hub/community/surveys/")  # warm up: URL loading, template compiling
    for label, path in (
        ("results page", f"{base}/results/"),
        ("results + cross-tab by town", f"{base}/results/?crosstab={challenge.pk}&by=town"),
        ("CSV export", f"{base}/export.csv"),
        ("XLSX export", f"{base}/export.xlsx"),
        ("challenge board", "/a/bench/hub/community/board/"),
    ):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        print(
            f"{label:32} status {response.status_code}  queries {len(ctx.captured_queries):3}"
            f"  {elapsed * 1000:8.0f} ms  {len(response.content):>10,} bytes"
        )


if __name__ == "__main__":
    main()
