from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "alliance.benefits"
    label = "benefits"
    verbose_name = "Benefits"
