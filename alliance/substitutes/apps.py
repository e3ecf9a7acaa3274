from django.apps import AppConfig


class SubstitutesConfig(AppConfig):
    name = "alliance.substitutes"
    label = "substitutes"
    verbose_name = "Substitutes"
