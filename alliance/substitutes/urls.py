from django.urls import path

from alliance.substitutes import views_hub, views_offer, views_program, views_sub

app_name = "substitutes"

P = "p/<slug:program_slug>/substitutes/"
H = "a/<slug:alliance_slug>/hub/substitutes/"

urlpatterns = [
    # A director's pages
    path(P, views_program.request_list, name="requests"),
    path(P + "new/", views_program.request_new, name="request_new"),
    path(P + "numbers/", views_program.numbers, name="program_numbers"),
    path(P + "people/", views_program.people, name="people"),
    path(P + "favourites/<int:user_id>/", views_program.favourite, name="favourite"),
    path(P + "<int:request_id>/", views_program.request_detail, name="request_detail"),
    path(P + "<int:request_id>/cancel/", views_program.request_cancel, name="request_cancel"),
    path(
        P + "<int:request_id>/again/", views_program.request_redispatch, name="request_redispatch"
    ),
    path(P + "<int:request_id>/no-show/", views_program.no_show, name="no_show"),
    path(P + "<int:request_id>/pick/", views_program.pick, name="pick"),
    path(P + "<int:request_id>/rate/", views_program.rate, name="rate"),
    path(P + "<int:request_id>/block/", views_program.block, name="block"),
    path(
        P + "timesheets/<int:timesheet_id>/approve/",
        views_program.timesheet_approve,
        name="timesheet_approve",
    ),
    # The one-tap link from the text message (no sign-in)
    path("s/offer/<str:token>/", views_offer.offer_link, name="offer_link"),
    # A substitute's own pages
    path("substitutes/me/", views_sub.my_shifts, name="my_shifts"),
    path("substitutes/me/profile/", views_sub.my_profile, name="my_profile"),
    path("substitutes/me/offers/<int:offer_id>/", views_sub.my_offer, name="my_offer"),
    path(
        "substitutes/me/shifts/<int:assignment_id>/",
        views_sub.my_assignment,
        name="my_assignment",
    ),
    # The hub
    path(H, views_hub.pool, name="hub_pool"),
    path(H + "numbers/", views_hub.numbers, name="hub_numbers"),
    path(H + "settings/", views_hub.settings_edit, name="hub_settings"),
    path(H + "invoices/", views_hub.invoices, name="hub_invoices"),
    path(H + "requests/", views_hub.requests, name="hub_requests"),
    path(H + "people/<int:profile_id>/", views_hub.profile_detail, name="hub_profile"),
    path(H + "reports/", views_hub.reports, name="hub_reports"),
    path(H + "reports/fills.csv", views_hub.fills_csv, name="hub_fills_csv"),
]
