from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "admissions.support"
    label = "support"
    verbose_name = "Assistance"
