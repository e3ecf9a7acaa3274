from django.urls import path

from alliance.benefits import views_hub, views_program, views_staff

app_name = "benefits"

P = "p/<slug:program_slug>/benefits"
S = f"{P}/staff/<int:staff_id>"
H = "a/<slug:alliance_slug>/hub/benefits"

urlpatterns = [
    path(f"{P}/", views_program.home, name="home"),
    path(f"{P}/me/", views_staff.my_elections, name="my_elections"),
    path(f"{P}/me/dependents/", views_staff.my_add, {"what": "dependent"}, name="my_dependent"),
    path(f"{P}/me/events/", views_staff.my_add, {"what": "event"}, name="my_event"),
    path(f"{S}/", views_staff.staff_elections, name="staff_elections"),
    path(f"{S}/dependents/", views_staff.staff_add, {"what": "dependent"}, name="staff_dependent"),
    path(f"{S}/events/", views_staff.staff_add, {"what": "event"}, name="staff_event"),
    path(f"{P}/plans/<int:plan_id>/summary/", views_program.plan_summary, name="plan_summary"),
    path(f"{P}/policies/", views_program.policies, name="policies"),
    path(f"{P}/policies/<int:plan_id>/", views_program.policy, name="policy"),
    path(f"{P}/statement/", views_program.statement, name="statement"),
    path(f"{P}/retirement/", views_program.retirement, name="retirement"),
    path(f"{P}/payroll.csv", views_program.payroll_csv, name="payroll_csv"),
    path(f"{P}/numbers/", views_program.numbers, name="numbers"),
    path(f"{P}/calculator/", views_program.calculator, name="calculator"),
    path(f"{H}/", views_hub.home, name="hub_home"),
    path(f"{H}/plans/new/", views_hub.plan_edit, name="hub_plan_new"),
    path(f"{H}/plans/<int:plan_id>/", views_hub.plan_edit, name="hub_plan"),
    path(f"{H}/plans/<int:plan_id>/rates/", views_hub.plan_rates, name="hub_plan_rates"),
    path(f"{H}/years/new/", views_hub.year_new, name="hub_year_new"),
    path(f"{H}/remittance/", views_hub.remittance, name="hub_remittance"),
]
