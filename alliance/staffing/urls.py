from django.urls import path

from alliance.staffing import views_jobs, views_me, views_public, views_ratio, views_staff

app_name = "staffing"

P = "p/<slug:program_slug>"
S = f"{P}/staff/<int:staff_id>"
A = "a/<slug:alliance_slug>"

urlpatterns = [
    # A program's staff
    path(f"{P}/staff/", views_staff.staff_list, name="staff_list"),
    path(f"{P}/staff/new/", views_staff.staff_new, name="staff_new"),
    path(f"{P}/staff/me/", views_me.my_record, name="my_record"),
    path(f"{P}/staff/compliance/", views_staff.compliance, name="compliance"),
    path(f"{S}/", views_staff.staff_detail, name="staff_detail"),
    path(f"{S}/credentials/", views_staff.credential_add, name="credential_add"),
    path(
        f"{S}/credentials/<int:credential_id>/",
        views_staff.credential_verify,
        name="credential_verify",
    ),
    path(f"{S}/schedule/", views_staff.block_add, name="block_add"),
    path(f"{S}/schedule/<int:block_id>/remove/", views_staff.block_remove, name="block_remove"),
    path(f"{S}/separate/", views_staff.separate, name="separate"),
    path(f"{S}/clock/", views_staff.clock, name="clock"),
    # Ratios
    path(f"{P}/ratios/", views_ratio.board, name="board"),
    path(f"{P}/ratios/request/", views_ratio.request_substitute, name="request_substitute"),
    path(f"{P}/ratios/clock/", views_staff.board_clock, name="board_clock"),
    path(f"{P}/ratios/settings/", views_ratio.staffing_settings, name="settings"),
    path(f"{P}/ratios/field-trips/", views_ratio.field_trip_new, name="field_trip_new"),
    path(
        f"{P}/ratios/field-trips/<int:trip_id>/cancel/",
        views_ratio.field_trip_cancel,
        name="field_trip_cancel",
    ),
    path(f"{P}/ratios/rest/", views_ratio.room_rest, name="room_rest"),
    path(f"{P}/ratios/home-day/", views_ratio.home_day, name="home_day"),
    # Hiring
    path(f"{P}/jobs/", views_jobs.postings, name="postings"),
    path(f"{P}/jobs/new/", views_jobs.posting_new, name="posting_new"),
    path(f"{P}/jobs/<int:posting_id>/", views_jobs.posting, name="posting"),
    path(
        f"{P}/jobs/applications/<int:application_id>/",
        views_jobs.application,
        name="application",
    ),
    path(f"{P}/talent/", views_jobs.talent_pool, name="pool"),
    path(f"{P}/talent/<int:candidate_id>/", views_jobs.candidate, name="candidate"),
    # Public job board
    path(f"{A}/jobs/", views_public.jobs, name="jobs"),
    path(f"{A}/jobs/<int:posting_id>/", views_public.job, name="job"),
    path(f"{A}/jobs/<int:posting_id>/applied/", views_public.job_applied, name="job_applied"),
    path(f"{A}/jobs/me/<str:token>/", views_public.my_candidacy, name="my_candidacy"),
    # Hub
    path(f"{A}/hub/talent/", views_public.hub_pool, name="hub_pool"),
    path(f"{A}/hub/talent/<int:candidate_id>/", views_public.hub_candidate, name="hub_candidate"),
    path(f"{A}/hub/staffing/", views_public.hub_retention, name="hub_retention"),
]
