from django.urls import path

from alliance.training import views_hub, views_member, views_program

app_name = "training"

A = "a/<slug:alliance_slug>/training"
H = "a/<slug:alliance_slug>/hub/training"

urlpatterns = [
    # Hub: catalog and sessions
    path(f"{H}/", views_hub.sessions, name="hub_sessions"),
    path(f"{H}/courses/", views_hub.courses, name="hub_courses"),
    path(f"{H}/courses/<int:course_id>/", views_hub.course_edit, name="hub_course"),
    path(f"{H}/sessions/new/", views_hub.session_new, name="hub_session_new"),
    path(f"{H}/sessions/<int:session_id>/", views_hub.session_detail, name="hub_session"),
    path(f"{H}/sessions/<int:session_id>/edit/", views_hub.session_edit, name="hub_session_edit"),
    path(
        f"{H}/sessions/<int:session_id>/cancel/",
        views_hub.session_cancel,
        name="hub_session_cancel",
    ),
    path(
        f"{H}/registrations/<int:registration_id>/certificate.pdf",
        views_member.hub_certificate,
        name="hub_certificate",
    ),
    path(f"{H}/hours.csv", views_hub.registry_export, name="hub_export"),
    # People of the alliance
    path(f"{A}/", views_member.catalog, name="catalog"),
    path(f"{A}/mine/", views_member.mine, name="mine"),
    path(f"{A}/mine/calendar/", views_member.feed_token, name="feed_token"),
    path(f"{A}/sessions/<int:session_id>/", views_member.session, name="session"),
    path(f"{A}/sessions/<int:session_id>/register/", views_member.register, name="register"),
    path(
        f"{A}/sessions/<int:session_id>/register-others/",
        views_member.register_other,
        name="register_other",
    ),
    path(
        f"{A}/sessions/<int:session_id>/attendance/",
        views_member.attendance,
        name="attendance",
    ),
    path(f"{A}/registrations/<int:registration_id>/cancel/", views_member.cancel, name="cancel"),
    path(
        f"{A}/registrations/<int:registration_id>/certificate.pdf",
        views_member.certificate,
        name="certificate",
    ),
    path(f"{A}/sessions.ics", views_member.public_feed, name="public_feed"),
    path(f"{A}/feed/<str:token>.ics", views_member.personal_feed, name="personal_feed"),
    # A member program's compliance
    path("p/<slug:program_slug>/training/", views_program.compliance, name="compliance"),
    path(
        "p/<slug:program_slug>/training/hours.<str:fmt>",
        views_program.export,
        name="program_export",
    ),
    path(
        "p/<slug:program_slug>/training/registrations/<int:registration_id>/certificate.pdf",
        views_program.certificate,
        name="program_certificate",
    ),
]
