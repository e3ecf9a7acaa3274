from django.urls import path

from alliance.finance import views_hub, views_program

app_name = "finance"

P = "p/<slug:program_slug>/finance"
H = "a/<slug:alliance_slug>/hub/finance"

urlpatterns = [
    path(f"{P}/", views_program.dashboard, name="dashboard"),
    path(f"{P}/benchmarks/", views_program.benchmarks, name="benchmarks"),
    path(f"{P}/targets/", views_program.targets, name="targets"),
    path(f"{P}/model/", views_program.cost_model, name="model"),
    path(f"{P}/model/import/", views_program.cost_model_import, name="model_import"),
    path(f"{P}/scenarios/", views_program.scenarios, name="scenarios"),
    path(
        f"{P}/scenarios/<int:scenario_id>/delete/",
        views_program.scenario_delete,
        name="scenario_delete",
    ),
    path(f"{H}/", views_hub.members, name="hub_members"),
    path(f"{H}/targets/", views_hub.targets, name="hub_targets"),
    path(f"{H}/value/", views_hub.value, name="hub_value"),
    path(f"{H}/value.<str:fmt>", views_hub.value_export, name="hub_value_export"),
]
