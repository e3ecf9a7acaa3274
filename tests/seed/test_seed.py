"""``alliance seed``: counts follow the plan, demo logins work, same seed → same data,
an occupied database is refused, and module steps get the alliance's objects."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django_scopes import scopes_disabled

from alliance.accounts.models import Role, User
from alliance.families.models import Child, Family
from alliance.members.models import Alliance, Classroom, Program
from alliance.seed.generate import DEMO_PASSWORD, seed
from alliance.seed.plan import plan
from alliance.seed.registry import register_step, unregister_step

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 15)

# Demo login → (roles it must hold, where signing in lands).
DEMO_LOGINS = {
    "hub@example.org": ({("hub", None)}, "/a/union-county/hub/"),
    "director1@example.org": ({("director", "little-learners")}, "/p/little-learners/"),
    "director2@example.org": ({("director", "sunshine")}, "/p/sunshine/"),
    "provider1@example.org": ({("director", "garcia-fcc")}, "/p/garcia-fcc/"),
    # staff1 also substitutes, so home lists both roles (and links to the program).
    "staff1@example.org": ({("staff", "little-learners"), ("substitute", None)}, "/home/"),
    "sub1@example.org": ({("substitute", None)}, "/home/"),
    "sub20@example.org": ({("substitute", None)}, "/home/"),
    "family1@example.org": ({("family", None)}, "/home/"),
    "committee1@example.org": ({("committee", None)}, "/home/"),
}


def quiet(message: str) -> None:
    pass


def test_small_scale_makes_exactly_the_planned_counts():
    report = seed("small", log=quiet, today=TODAY)
    expected = {k: v for k, v in plan("small").items() if k != "history months"}
    assert {k: report.counts[k] for k in expected} == expected
    with scopes_disabled():
        assert Program.objects.count() == expected["programs"]
        assert Classroom.objects.count() == expected["classrooms"]
        assert Child.objects.count() == expected["children"]
        assert Role.objects.filter(kind="staff").count() == expected["staff"]
        assert Role.objects.filter(kind="substitute").count() == expected["substitutes"]
        assert Family.objects.filter(language="es").exists()  # Spanish-speaking families
        assert Program.objects.filter(kind="family_home").count() == expected["family homes"]


def test_every_demo_login_has_its_roles_and_lands_on_its_dashboard():
    seed("small", log=quiet, today=TODAY)
    for email, (roles, landing) in DEMO_LOGINS.items():
        with scopes_disabled():
            held = {
                (r.kind, r.program.slug if r.program else None)
                for r in Role.objects.filter(user__email=email).select_related("program")
            }
        assert held == roles, email
        client = Client()
        response = client.post(
            "/accounts/login/", {"email": email, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200, email
        assert response.request["PATH_INFO"] == landing, (email, response.redirect_chain)
        if email == "staff1@example.org":
            assert 'href="/p/little-learners/"' in response.content.decode()
    with scopes_disabled():
        family = Family.objects.get(account__email="family1@example.org")
        assert family.children.count() == 2  # one in care at Little Learners, one waiting


def _digest() -> str:
    """A fingerprint of the key columns (natural keys only: ids may differ between runs)."""
    h = hashlib.sha256()
    with scopes_disabled():
        rows = [
            Program.objects.order_by("slug").values_list(
                "slug", "name", "kind", "town", "licensed_capacity", "staffed_capacity"
            ),
            Classroom.objects.order_by("program__slug", "name").values_list(
                "program__slug", "name", "age_min_months", "age_max_months", "staffed_capacity"
            ),
            User.objects.order_by("email").values_list("email", "full_name", "language"),
            Role.objects.order_by("user__email", "kind", "program__slug").values_list(
                "user__email", "kind", "program__slug", "created_at"
            ),
            Family.objects.order_by("email").values_list("email", "name", "town", "created_at"),
            Child.objects.order_by("family__email", "first_name", "birth_date").values_list(
                "family__email", "first_name", "last_name", "birth_date"
            ),
        ]
        for queryset in rows:
            for row in queryset:
                h.update(repr(row).encode())
    return h.hexdigest()


def _seed_and_digest(rng_seed: int) -> str:
    with transaction.atomic():
        seed("small", log=quiet, rng_seed=rng_seed, today=TODAY)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = _seed_and_digest(7)
    assert not Alliance.objects.exists()  # rolled back: the second run starts empty
    assert _seed_and_digest(7) == first
    assert _seed_and_digest(8) != first


def test_an_occupied_database_is_refused_with_a_clear_message(world):
    with scopes_disabled():
        before = (Program.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="not empty.*only fills an empty database"):
        call_command("seed", scale="small", stdout=None)
    with scopes_disabled():
        assert (Program.objects.count(), User.objects.count()) == before


def test_the_command_prints_the_counts(capsys):
    call_command("seed", "--scale", "small")
    out = capsys.readouterr().out
    assert "programs: 8" in out and "children waiting: 40" in out and "Done in" in out


def test_slugs_are_unique_and_demo_programs_keep_short_ones():
    seed("small", log=quiet, today=TODAY)
    with scopes_disabled():
        slugs = list(Program.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))
    assert {"little-learners", "sunshine", "garcia-fcc"} <= set(slugs)


@pytest.fixture
def step_calls():
    calls = []

    def widgets(ctx):
        calls.append(ctx)
        return {"widgets": len(ctx.programs)}

    register_step("test.widgets", widgets)
    yield calls
    unregister_step("test.widgets")


def test_module_steps_run_after_the_base_step_with_the_alliances_objects(step_calls):
    report = seed("small", log=quiet, today=TODAY)
    (ctx,) = step_calls
    assert report.counts["widgets"] == 8
    assert ctx.is_demo and ctx.alliance.slug == "union-county"
    assert ctx.hub.email == "hub@example.org"
    assert ctx.directors[ctx.program(0).pk].email == "director1@example.org"
    assert len(ctx.placements) == 160 and len(ctx.waiting) == 40
    # Each child in care was made for its classroom: the age fits the room's range.
    for child, room in ctx.placements:
        assert room.age_min_months <= child.age_in_months(TODAY) <= room.age_max_months
    seats: dict[int, int] = {}
    for _child, room in ctx.placements:
        seats[room.pk] = seats.get(room.pk, 0) + 1
    assert all(
        seats[room.pk] <= room.staffed_capacity for room in ctx.classrooms if room.pk in seats
    )
    assert ctx.history_start == date(2024, 3, 15)


def test_a_failing_step_leaves_the_database_empty():
    def broken(ctx):
        raise RuntimeError("boom")

    register_step("test.broken", broken)
    try:
        with pytest.raises(RuntimeError, match="boom"):
            seed("small", log=quiet, today=TODAY)
    finally:
        unregister_step("test.broken")
    assert not Alliance.objects.exists()
    assert not User.objects.exists()


def test_a_step_name_cannot_be_taken_twice(step_calls):
    with pytest.raises(ValueError, match="already registered"):
        register_step("test.widgets", lambda ctx: None)
