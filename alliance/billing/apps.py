from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "alliance.billing"
    label = "billing"
    verbose_name = "Billing"
