from django.urls import path

from alliance.enrollment import (
    views_family,
    views_hub,
    views_openings,
    views_program,
    views_transitions,
)

app_name = "enrollment"

P = "p/<slug:program_slug>/enrollment/"
H = "a/<slug:alliance_slug>/hub/enrollment/"
A = "a/<slug:alliance_slug>/"

urlpatterns = [
    # Program
    path(P, views_program.enrollments, name="enrollments"),
    path(P + "new/", views_program.enrollment_new, name="enrollment_new"),
    path(P + "<int:enrollment_id>/", views_program.enrollment_detail, name="enrollment"),
    path(P + "attendance/", views_program.attendance, name="attendance"),
    path(P + "attendance/tap/", views_program.attendance_tap, name="attendance_tap"),
    path(P + "attendance/log/", views_program.attendance_log, name="attendance_log"),
    path(
        P + "attendance/<int:attendance_id>/correct/",
        views_program.attendance_correct,
        name="attendance_correct",
    ),
    path(P + "transitions/", views_transitions.transitions, name="transitions"),
    path(P + "openings/", views_openings.openings, name="openings"),
    path(
        P + "openings/<int:adjustment_id>/remove/",
        views_openings.opening_remove,
        name="opening_remove",
    ),
    path(P + "applications/", views_openings.program_applications, name="program_applications"),
    path(
        P + "applications/<int:application_id>/",
        views_openings.program_application,
        name="program_application",
    ),
    # Hub
    path(H, views_hub.waitlist, name="hub_waitlist"),
    path(
        H + "applications/<int:application_id>/",
        views_hub.application_detail,
        name="hub_application",
    ),
    path(H + "matching/", views_hub.matching, name="hub_matching"),
    path(H + "matching/review/", views_hub.proposals_review, name="hub_review"),
    path(H + "offers/", views_hub.offers, name="hub_offers"),
    path(
        H + "offers/<int:offer_id>/withdraw/", views_hub.offer_withdraw, name="hub_offer_withdraw"
    ),
    path(H + "numbers/", views_hub.numbers, name="hub_numbers"),
    path(H + "vacancies.csv", views_hub.vacancies_csv, name="hub_vacancies_csv"),
    # Families (public)
    path(A + "enroll/", views_family.apply, name="apply"),
    path(A + "enroll/thanks/", views_family.apply_thanks, name="apply_thanks"),
    path(A + "enroll/<str:token>/", views_family.family_application, name="family_application"),
    path(A + "enroll/<str:token>/withdraw/", views_family.family_withdraw, name="family_withdraw"),
    path(A + "enroll/<str:token>/confirm/", views_family.family_confirm, name="family_confirm"),
    path(
        A + "enroll/<str:token>/offers/<int:offer_id>/",
        views_family.family_offer_answer,
        name="family_offer",
    ),
    path("my/applications/", views_family.my_applications, name="my_applications"),
]
