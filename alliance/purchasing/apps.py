from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "alliance.purchasing"
    label = "purchasing"
    verbose_name = "Purchasing"
