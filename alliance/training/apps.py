from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "alliance.training"
    label = "training"
    verbose_name = "Training"
