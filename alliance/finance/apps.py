from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "alliance.finance"
    label = "finance"
    verbose_name = "Finance"
