from django.urls import path

from alliance.purchasing import views_hub, views_program

app_name = "purchasing"

P = "p/<slug:program_slug>/purchasing"
H = "a/<slug:alliance_slug>/hub/purchasing"

urlpatterns = [
    path(f"{P}/", views_program.home, name="home"),
    path(f"{P}/savings/", views_program.savings, name="savings"),
    path(f"{P}/cycles/<int:cycle_id>/", views_program.order, name="order"),
    path(f"{P}/cycles/<int:cycle_id>/reorder/", views_program.reorder, name="reorder"),
    path(f"{P}/cycles/<int:cycle_id>/invoice.pdf", views_program.invoice, name="invoice"),
    path(
        f"{P}/cycles/<int:cycle_id>/lines/<int:line_id>/receive/",
        views_program.receive,
        name="receive",
    ),
    path(f"{H}/", views_hub.home, name="hub_home"),
    path(f"{H}/savings/", views_hub.savings, name="hub_savings"),
    path(f"{H}/vendors/", views_hub.vendors, name="hub_vendors"),
    path(f"{H}/vendors/<int:vendor_id>/", views_hub.vendor_edit, name="hub_vendor"),
    path(f"{H}/catalog/", views_hub.catalog, name="hub_catalog"),
    path(f"{H}/catalog/<int:item_id>/", views_hub.item_edit, name="hub_item"),
    path(f"{H}/catalog/import/", views_hub.catalog_import_view, name="hub_import"),
    path(f"{H}/cycles/new/", views_hub.cycle_new, name="hub_cycle_new"),
    path(f"{H}/cycles/<int:cycle_id>/", views_hub.cycle, name="hub_cycle"),
    path(f"{H}/cycles/<int:cycle_id>/close/", views_hub.cycle_close, name="hub_cycle_close"),
    path(f"{H}/cycles/<int:cycle_id>/extend/", views_hub.cycle_extend, name="hub_cycle_extend"),
    path(f"{H}/orders/<int:po_id>/", views_hub.purchase_order, name="hub_po"),
    path(
        f"{H}/orders/<int:po_id>/export.<str:fmt>",
        views_hub.purchase_order_export,
        name="hub_po_export",
    ),
    path(
        f"{H}/orders/<int:po_id>/lines/<int:line_id>/",
        views_hub.line_change,
        name="hub_line_change",
    ),
]
