from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "alliance.families"
    label = "families"
    verbose_name = "Families and children"
