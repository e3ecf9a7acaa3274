from django.urls import path

from alliance.members import views, views_hub, views_people, views_program

app_name = "members"

urlpatterns = [
    # Public pages of an alliance
    path("a/<slug:alliance_slug>/", views.alliance_home, name="alliance_home"),
    path("a/<slug:alliance_slug>/directory/", views.directory, name="directory"),
    path(
        "a/<slug:alliance_slug>/directory/<slug:entry_slug>/",
        views.directory_entry,
        name="directory_entry",
    ),
    path("a/<slug:alliance_slug>/join/", views.apply, name="apply"),
    path("a/<slug:alliance_slug>/join/thanks/", views.apply_thanks, name="apply_thanks"),
    # Hub
    path("a/<slug:alliance_slug>/hub/", views_hub.dashboard, name="hub_dashboard"),
    path("a/<slug:alliance_slug>/hub/members/", views_hub.members, name="hub_members"),
    path("a/<slug:alliance_slug>/hub/members.csv", views_hub.members_csv, name="hub_members_csv"),
    path(
        "a/<slug:alliance_slug>/hub/applications/", views_hub.applications, name="hub_applications"
    ),
    path(
        "a/<slug:alliance_slug>/hub/applications/<int:application_id>/",
        views_hub.application_detail,
        name="hub_application",
    ),
    path(
        "a/<slug:alliance_slug>/hub/members/<int:member_id>/membership/",
        views_hub.membership_edit,
        name="hub_membership",
    ),
    path("a/<slug:alliance_slug>/hub/tiers/", views_hub.tiers, name="hub_tiers"),
    path("a/<slug:alliance_slug>/hub/tiers/<int:tier_id>/", views_hub.tier_edit, name="hub_tier"),
    path("a/<slug:alliance_slug>/hub/invite/", views_hub.invite_director, name="hub_invite"),
    path("a/<slug:alliance_slug>/hub/activity/", views_hub.audit, name="hub_audit"),
    # A member program
    path("p/<slug:program_slug>/", views_program.dashboard, name="program_dashboard"),
    path("p/<slug:program_slug>/profile/", views_program.profile, name="program_profile"),
    path("p/<slug:program_slug>/profile/sites/", views_program.sites, name="sites"),
    path("p/<slug:program_slug>/profile/sites/new/", views_program.site_new, name="site_new"),
    path(
        "p/<slug:program_slug>/profile/sites/<int:site_id>/",
        views_program.site_edit,
        name="site_edit",
    ),
    path("p/<slug:program_slug>/classrooms/", views_program.classrooms, name="classrooms"),
    path(
        "p/<slug:program_slug>/classrooms/new/", views_program.classroom_new, name="classroom_new"
    ),
    path(
        "p/<slug:program_slug>/classrooms/<int:classroom_id>/",
        views_program.classroom_edit,
        name="classroom_edit",
    ),
    path("p/<slug:program_slug>/people/", views_program.people, name="program_people"),
    path(
        "p/<slug:program_slug>/people/invitations/<int:invitation_id>/revoke/",
        views_people.revoke_invitation,
        name="people_revoke_invitation",
    ),
    path(
        "p/<slug:program_slug>/people/roles/<int:role_id>/remove/",
        views_people.remove_role,
        name="people_remove_role",
    ),
    path("p/<slug:program_slug>/activity/", views_program.audit, name="program_audit"),
]
