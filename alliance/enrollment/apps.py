from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "alliance.enrollment"
    label = "enrollment"
    verbose_name = "Enrollment"
