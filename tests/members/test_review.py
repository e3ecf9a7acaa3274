"""Hub review of applications: the list, the detail page, approve and decline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from alliance.accounts.models import Invitation
from alliance.core.models import AuditEntry
from alliance.core.tenancy import alliance_scope
from alliance.members import services
from alliance.members.models import (
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipStatus,
    Program,
)
from tests.factories import ApplicationFactory, TierFactory
from tests.members.conftest import rows

pytestmark = pytest.mark.django_db

LIST = "/a/union-county/hub/applications/"


@pytest.fixture
def application(world):
    with scopes_disabled():
        return ApplicationFactory(
            alliance=world.alliance,
            program_name="Bright Beginnings",
            email="rosa@bright.example.org",
            licensed_capacity=48,
            languages=["English", "Spanish"],
            accepts_ccap=True,
        )


@pytest.fixture
def tier(world):
    with scopes_disabled():
        return TierFactory(
            alliance=world.alliance, name="Large center", annual_fee=Decimal("650.00")
        )


def detail_url(application) -> str:
    return f"/a/union-county/hub/applications/{application.pk}/"


def test_the_list_shows_waiting_applications(world, as_user, application):
    response = as_user(world.hub).get(LIST)
    assert response.status_code == 200
    assert b"Bright Beginnings" in response.content


def test_the_list_filters_by_status_and_falls_back_on_unknown_status(world, as_user, application):
    with scopes_disabled():
        ApplicationFactory(
            alliance=world.alliance, program_name="Old Declined", status=ApplicationStatus.DECLINED
        )
    hub = as_user(world.hub)
    declined = hub.get(LIST + "?status=declined").content
    assert b"Old Declined" in declined and b"Bright Beginnings" not in declined
    fallback = hub.get(LIST + "?status=nonsense")
    assert fallback.context["status"] == ApplicationStatus.SUBMITTED
    assert b"Bright Beginnings" in fallback.content


def test_the_list_has_an_empty_state(world, as_user):
    response = as_user(world.hub).get(LIST)
    assert b"No applications here" in response.content


def test_the_list_never_shows_another_alliances_applications(world, as_user):
    with scopes_disabled():
        ApplicationFactory(alliance=world.other_alliance, program_name="Essex Applicant")
    assert b"Essex Applicant" not in as_user(world.hub).get(LIST).content


def test_the_list_sorts_and_pages(world, as_user):
    with scopes_disabled():
        for i in range(30):
            ApplicationFactory(alliance=world.alliance, program_name=f"Applicant {i:02d}")
    hub = as_user(world.hub)
    by_name = hub.get(LIST + "?sort=name").context["table"]
    assert [a.program_name for a in by_name.rows][:2] == ["Applicant 00", "Applicant 01"]
    last = hub.get(LIST + "?sort=name&page=99").context["table"]
    assert last.page.number == 2
    assert len(last.rows) == 5


def test_the_list_takes_the_same_queries_for_5_or_40_applications(world, as_user, query_growth):
    with scopes_disabled():
        ApplicationFactory.create_batch(5, alliance=world.alliance)

    def grow():
        with scopes_disabled():
            ApplicationFactory.create_batch(35, alliance=world.alliance)

    query_growth(as_user(world.hub), LIST, grow, max_queries=12)


def test_another_alliances_application_is_404(world, as_user):
    with scopes_disabled():
        foreign = ApplicationFactory(alliance=world.other_alliance)
    assert as_user(world.hub).get(detail_url(foreign)).status_code == 404


def test_approving_creates_program_membership_and_invitation(world, as_user, application, tier):
    response = as_user(world.hub).post(
        detail_url(application), {"action": "approve", "tier": tier.pk}
    )
    assert response.status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
        program = Program.objects.get(name="Bright Beginnings")
        membership = Membership.objects.get(program=program)
        invitation = Invitation.objects.get(program=program)
        entry = AuditEntry.objects.get(action="application.approved")
    assert application.status == ApplicationStatus.APPROVED
    assert application.program == program
    assert application.reviewed_by == world.hub
    assert program.alliance == world.alliance
    assert program.licensed_capacity == program.staffed_capacity == 48
    assert program.languages == ["English", "Spanish"]
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.tier == tier
    assert membership.annual_fee == Decimal("650.00")
    assert invitation.email == "rosa@bright.example.org"
    assert invitation.kind == "director"
    assert entry.actor == world.hub
    assert entry.program == program


def test_approving_twice_is_refused_and_makes_one_program(world, as_user, application, tier):
    hub = as_user(world.hub)
    programs = rows(Program)
    first = hub.post(detail_url(application), {"action": "approve", "tier": tier.pk})
    second = hub.post(detail_url(application), {"action": "approve", "tier": tier.pk})
    assert first.status_code == 302
    assert second.status_code == 422
    assert "already decided" in second.content.decode()
    assert rows(Program) == programs + 1
    with scopes_disabled():
        assert Invitation.objects.filter(email="rosa@bright.example.org").count() == 1
        assert AuditEntry.objects.filter(action="application.approved").count() == 1


def test_the_service_refuses_a_second_approval(world, application, tier):
    with alliance_scope(world.alliance):
        services.approve_application(acting_user=world.hub, application=application, tier=tier)
        with pytest.raises(ValidationError) as exc:
            services.approve_application(acting_user=world.hub, application=application, tier=tier)
    assert "status" in exc.value.message_dict
    with scopes_disabled():
        assert Program.objects.filter(name="Bright Beginnings").count() == 1


def test_approving_without_a_tier_is_422_and_saves_nothing(world, as_user, application):
    before = rows(Program), rows(AuditEntry)
    response = as_user(world.hub).post(detail_url(application), {"action": "approve"})
    assert response.status_code == 422
    assert "tier" in response.context["approve_form"].errors
    assert (rows(Program), rows(AuditEntry)) == before


def test_approving_with_another_alliances_tier_is_refused(world, as_user, application):
    with scopes_disabled():
        foreign = TierFactory(alliance=world.other_alliance)
    response = as_user(world.hub).post(
        detail_url(application), {"action": "approve", "tier": foreign.pk}
    )
    assert response.status_code == 422
    assert rows(Membership) == 4  # the world's four programs only


def test_the_slug_of_an_approved_program_is_unique(world, as_user, tier):
    with scopes_disabled():
        twin = ApplicationFactory(alliance=world.alliance, program_name="Little Learners")
    as_user(world.hub).post(detail_url(twin), {"action": "approve", "tier": tier.pk})
    with scopes_disabled():
        slugs = sorted(
            Program.objects.filter(name="Little Learners").values_list("slug", flat=True)
        )
    assert slugs == ["little-learners", "little-learners-2"]


def test_declining_needs_a_note(world, as_user, application):
    before = rows(AuditEntry)
    response = as_user(world.hub).post(
        detail_url(application), {"action": "decline", "decision_note": ""}
    )
    assert response.status_code == 422
    assert "decision_note" in response.context["decline_form"].errors
    assert rows(AuditEntry) == before
    with scopes_disabled():
        application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_declining_records_the_note_and_who(world, as_user, application, tier):
    hub = as_user(world.hub)
    response = hub.post(
        detail_url(application), {"action": "decline", "decision_note": "Needs a license."}
    )
    assert response.status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
        entry = AuditEntry.objects.get(action="application.declined")
    assert application.status == ApplicationStatus.DECLINED
    assert application.decision_note == "Needs a license."
    assert entry.actor == world.hub
    # A declined application cannot then be approved.
    again = hub.post(detail_url(application), {"action": "approve", "tier": tier.pk})
    assert again.status_code == 422
    with scopes_disabled():
        assert not Program.objects.filter(name="Bright Beginnings").exists()


def test_an_unknown_action_changes_nothing(world, as_user, application):
    response = as_user(world.hub).post(detail_url(application), {"action": "explode"})
    assert response.status_code == 200
    with scopes_disabled():
        assert MembershipApplication.objects.get(pk=application.pk).status == "submitted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_make_one_program(world, application, tier):
    """Real row locks: two hub admins press Approve at the same moment (PostgreSQL only;
    SQLite serialises writers, and the sequential double-submit test above covers it)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (make test-postgres)")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        try:
            barrier.wait(timeout=10)
            with alliance_scope(world.alliance):
                services.approve_application(
                    acting_user=world.hub, application=application, tier=tier
                )
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    with scopes_disabled():
        assert Program.objects.filter(name="Bright Beginnings").count() == 1
        assert Membership.objects.filter(program__name="Bright Beginnings").count() == 1
