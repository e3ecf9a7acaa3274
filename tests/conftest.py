"""Fixed personas (as healthchecks and pretix do) plus shared fixtures for every module.

``world`` builds one alliance with two centers and a family child care home, and one person
per role. A second alliance (``other_alliance``) proves hub admins stay in their county.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import translation
from django_scopes import scopes_disabled

from alliance.accounts.models import User
from alliance.core.policy import RoleKind
from alliance.members.models import Alliance, Classroom, Program, ProgramKind
from tests.factories import (
    PASSWORD,
    AllianceFactory,
    ClassroomFactory,
    ProgramFactory,
    RoleFactory,
    TierFactory,
    UserFactory,
)


@dataclass
class World:
    alliance: Alliance
    program1: Program  # director1's center
    program2: Program  # director2's center (the "other program")
    home: Program  # provider1's family child care home
    classroom1: Classroom
    classroom2: Classroom
    hub: User
    director1: User
    director2: User
    provider: User
    staff: User  # teacher at program1
    sub: User
    family: User
    committee: User
    outsider: User  # signed in, no role anywhere
    other_alliance: Alliance
    other_hub: User
    other_program: Program

    def personas(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "outsider": self.outsider,
            "family": self.family,
            "sub": self.sub,
            "committee": self.committee,
            "staff": self.staff,
            "director1": self.director1,
            "director2": self.director2,
            "hub": self.hub,
            "other_hub": self.other_hub,
        }


def _person(email: str, kind: str, alliance: Alliance, program: Program | None = None) -> User:
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    RoleFactory(user=user, kind=kind, alliance=alliance, program=program)
    return user


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request in Spanish leaves Spanish active
    in the thread (LocaleMiddleware activates a language per request and never resets it),
    which would otherwise turn the next test's service messages Spanish."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def world(db) -> World:
    with scopes_disabled():
        alliance = AllianceFactory(name="Union County Child Care Alliance", slug="union-county")
        TierFactory(alliance=alliance, name="Center")
        program1 = ProgramFactory(alliance=alliance, name="Little Learners", slug="little-learners")
        program2 = ProgramFactory(
            alliance=alliance, name="Sunshine", slug="sunshine", town="Plainfield"
        )
        home = ProgramFactory(
            alliance=alliance,
            name="García Family Child Care",
            slug="garcia-fcc",
            kind=ProgramKind.FAMILY_HOME,
            licensed_capacity=5,
            staffed_capacity=5,
            town="Union",
        )
        classroom1 = ClassroomFactory(program=program1, name="Toddlers")
        classroom2 = ClassroomFactory(program=program2, name="Toddlers")
        other = AllianceFactory(name="Essex County Alliance", slug="essex-county", county="Essex")
        other_program = ProgramFactory(alliance=other, name="Newark Kids", slug="newark-kids")
        return World(
            alliance=alliance,
            program1=program1,
            program2=program2,
            home=home,
            classroom1=classroom1,
            classroom2=classroom2,
            hub=_person("hub@example.org", RoleKind.HUB, alliance),
            director1=_person("director1@example.org", RoleKind.DIRECTOR, alliance, program1),
            director2=_person("director2@example.org", RoleKind.DIRECTOR, alliance, program2),
            provider=_person("provider1@example.org", RoleKind.DIRECTOR, alliance, home),
            staff=_person("staff1@example.org", RoleKind.STAFF, alliance, program1),
            sub=_person("sub1@example.org", RoleKind.SUBSTITUTE, alliance),
            family=_person("family1@example.org", RoleKind.FAMILY, alliance),
            committee=_person("committee1@example.org", RoleKind.COMMITTEE, alliance),
            outsider=UserFactory(email="outsider@example.org"),
            other_alliance=other,
            other_hub=_person("hub@essex.example.org", RoleKind.HUB, other),
            other_program=other_program,
        )


def client_for(user: User | None) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user, backend="alliance.accounts.backends.EmailBackend")
    return client


@pytest.fixture
def as_user():
    return client_for


@pytest.fixture
def password() -> str:
    return PASSWORD
