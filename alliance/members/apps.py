from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "alliance.members"
    label = "members"
    verbose_name = "Members"
