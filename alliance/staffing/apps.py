from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "alliance.staffing"
    label = "staffing"
    verbose_name = "Staffing"
