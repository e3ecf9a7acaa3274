"""A program's profile (/p/<slug>/profile/) and its sites (/p/<slug>/profile/sites/)."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django_scopes import scopes_disabled

from alliance.core.models import AuditEntry
from alliance.members.models import Program, Site
from tests.members.conftest import audit_actions, rows

pytestmark = pytest.mark.django_db

PROFILE = "/p/little-learners/profile/"
SITES = "/p/little-learners/profile/sites/"


def profile_data(program: Program, **changes) -> dict:
    data = model_to_dict(
        program,
        fields=[
            "name",
            "kind",
            "license_number",
            "licensed_capacity",
            "staffed_capacity",
            "ages_min_months",
            "ages_max_months",
            "quality_rating",
            "address",
            "town",
            "zip_code",
            "phone",
            "email",
            "website",
            "tax_id",
            "description",
        ],
    )
    data["license_expires_on"] = program.license_expires_on.isoformat()
    data["languages"] = ["English"]
    data["listed_in_directory"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def fresh(program: Program) -> Program:
    with scopes_disabled():
        return Program.objects.get(pk=program.pk)


# --- profile ----------------------------------------------------------------------------


def test_the_director_sees_an_editable_profile(world, as_user):
    response = as_user(world.director1).get(PROFILE)
    assert response.status_code == 200
    assert response.context["can_manage"] is True
    assert not response.context["form"].fields["name"].disabled


def test_staff_see_the_profile_read_only(world, as_user):
    response = as_user(world.staff).get(PROFILE)
    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert b"Save profile" not in response.content


def test_staff_cannot_post_the_profile(world, as_user):
    response = as_user(world.staff).post(PROFILE, profile_data(world.program1, name="Hacked"))
    assert response.status_code == 403
    assert fresh(world.program1).name == "Little Learners"


def test_the_director_saves_the_profile_and_it_is_audited(world, as_user):
    data = profile_data(
        world.program1,
        staffed_capacity="40",
        quality_rating="4",
        license_number="CC-77777",
        accepts_ccap="on",
    )
    response = as_user(world.director1).post(PROFILE, data)
    assert response.status_code == 302
    program = fresh(world.program1)
    assert (program.staffed_capacity, program.quality_rating) == (40, 4)
    assert program.license_number == "CC-77777"
    assert program.accepts_ccap is True
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="program.updated")
    assert entry.actor == world.director1
    assert entry.program == world.program1
    assert entry.data["staffed_capacity"] == [52, 40]
    assert entry.data["license_number"][1] == "CC-77777"


def test_saving_an_unchanged_profile_writes_no_audit_row(world, as_user):
    with scopes_disabled():
        program = Program.objects.get(pk=world.program1.pk)
        program.languages = ["English"]
        program.save(update_fields=["languages"])
    before = rows(AuditEntry)
    as_user(world.director1).post(PROFILE, profile_data(program))
    assert rows(AuditEntry) == before


BAD_PROFILE = [
    ({"staffed_capacity": "70"}, "staffed_capacity", "cannot be more than licensed capacity"),
    ({"ages_min_months": "50", "ages_max_months": "10"}, "ages_max_months", "oldest age"),
    ({"zip_code": "ABCDE"}, "zip_code", "5-digit ZIP code"),
    ({"email": "nope"}, "email", "Enter a valid email address."),
    ({"name": ""}, "name", "This field is required."),
    ({"town": ""}, "town", "This field is required."),
    ({"licensed_capacity": "-1"}, "licensed_capacity", "greater than or equal to 0"),
    ({"quality_rating": "9"}, "quality_rating", "Select a valid choice."),
    ({"website": "not a url"}, "website", "Enter a valid URL."),
    (
        {"kind": "family_home", "licensed_capacity": "12", "staffed_capacity": "6"},
        "licensed_capacity",
        "may care for at most 5",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_PROFILE)
def test_bad_profile_input_is_422_with_the_message_and_nothing_saved(
    world, as_user, changes, field, message
):
    before = model_to_dict(fresh(world.program1)), rows(AuditEntry)
    response = as_user(world.director1).post(PROFILE, profile_data(world.program1, **changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert (model_to_dict(fresh(world.program1)), rows(AuditEntry)) == before


def test_a_refused_save_leaves_the_page_header_alone(world, as_user):
    response = as_user(world.director1).post(
        PROFILE, profile_data(world.program1, name="New Name", zip_code="bad")
    )
    assert response.status_code == 422
    # The sub-navigation still names the saved program, not the refused input.
    assert response.context["current_program"].name == "Little Learners"


def test_a_director_cannot_reach_another_programs_profile(world, as_user):
    director1 = as_user(world.director1)
    assert director1.get("/p/sunshine/profile/").status_code == 404
    response = director1.post("/p/sunshine/profile/", profile_data(world.program2, name="X"))
    assert response.status_code == 404
    assert fresh(world.program2).name == "Sunshine"


# --- sites ------------------------------------------------------------------------------


def site_data(**changes) -> dict:
    data = {"name": "Annex", "address": "40 Broad St", "town": "Elizabeth", "zip_code": "07202"}
    data.update(changes)
    return data


@pytest.fixture
def annex(world):
    with scopes_disabled():
        return Site.objects.create(program=world.program1, **site_data())


def test_sites_have_an_empty_state(world, as_user):
    response = as_user(world.director1).get(SITES)
    assert response.status_code == 200
    assert b"No further sites" in response.content
    assert b"Add a site" in response.content


def test_staff_see_sites_without_edit_links(world, as_user, annex):
    response = as_user(world.staff).get(SITES)
    assert b"Annex" in response.content
    assert f"{SITES}{annex.pk}/".encode() not in response.content
    assert as_user(world.staff).get(f"{SITES}new/").status_code == 403


def test_the_profile_lists_the_sites(world, as_user, annex):
    response = as_user(world.director1).get(PROFILE)
    assert b"Annex" in response.content
    assert f"{SITES}{annex.pk}/".encode() in response.content


def test_the_director_adds_a_site(world, as_user):
    response = as_user(world.director1).post(f"{SITES}new/", site_data())
    assert response.status_code == 302
    with scopes_disabled():
        site = Site.objects.get()
        entry = AuditEntry.objects.get(action="site.created")
    assert (site.program, site.name, site.zip_code) == (world.program1, "Annex", "07202")
    assert entry.actor == world.director1 and entry.program == world.program1


def test_the_director_edits_a_site(world, as_user, annex):
    response = as_user(world.director1).post(
        f"{SITES}{annex.pk}/", site_data(address="41 Broad St")
    )
    assert response.status_code == 302
    with scopes_disabled():
        annex.refresh_from_db()
        entry = AuditEntry.objects.get(action="site.updated")
    assert annex.address == "41 Broad St"
    assert entry.actor == world.director1
    assert entry.data == {"address": ["40 Broad St", "41 Broad St"]}


BAD_SITE = [
    ({"name": ""}, "name", "This field is required."),
    ({"address": ""}, "address", "This field is required."),
    ({"town": ""}, "town", "This field is required."),
    ({"zip_code": "123"}, "zip_code", "5-digit ZIP code"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_SITE)
def test_bad_site_input_is_422_and_nothing_saved(world, as_user, changes, field, message):
    before = rows(Site), rows(AuditEntry)
    response = as_user(world.director1).post(f"{SITES}new/", site_data(**changes))
    assert response.status_code == 422
    assert any(message in e for e in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert (rows(Site), rows(AuditEntry)) == before


def test_a_second_site_with_the_same_name_is_refused(world, as_user, annex):
    response = as_user(world.director1).post(f"{SITES}new/", site_data(name="annex"))
    assert response.status_code == 422
    assert "already has a site with that name" in response.context["form"].errors["name"][0]
    assert rows(Site) == 1


def test_a_bad_edit_leaves_the_site_unchanged(world, as_user, annex):
    response = as_user(world.director1).post(f"{SITES}{annex.pk}/", site_data(zip_code="x"))
    assert response.status_code == 422
    with scopes_disabled():
        annex.refresh_from_db()
    assert annex.zip_code == "07202"
    assert audit_actions(action="site.updated") == []


def test_a_director_can_never_reach_another_programs_site(world, as_user):
    with scopes_disabled():
        theirs = Site.objects.create(program=world.program2, **site_data(name="Their annex"))
    director1 = as_user(world.director1)
    # Through director1's own program URL: not found.
    assert director1.get(f"{SITES}{theirs.pk}/").status_code == 404
    response = director1.post(f"{SITES}{theirs.pk}/", site_data(name="Mine now"))
    assert response.status_code == 404
    # Through the other program's URL: not found either.
    assert director1.get(f"/p/sunshine/profile/sites/{theirs.pk}/").status_code == 404
    assert director1.get("/p/sunshine/profile/sites/").status_code == 404
    with scopes_disabled():
        theirs.refresh_from_db()
    assert theirs.name == "Their annex"


def test_the_sites_page_takes_the_same_queries_for_5_or_40_sites(world, as_user, query_growth):
    def add(n, start):
        with scopes_disabled():
            Site.objects.bulk_create(
                Site(program=world.program1, **site_data(name=f"Site {start + i}"))
                for i in range(n)
            )

    add(5, 0)
    query_growth(as_user(world.director1), SITES, lambda: add(35, 5), max_queries=12)
