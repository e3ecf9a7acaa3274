from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "alliance.community"
    label = "community"
    verbose_name = "Community"
