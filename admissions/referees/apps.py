from django.apps import AppConfig


class RefereesConfig(AppConfig):
    name = "admissions.referees"
    label = "referees"
    verbose_name = "Recommandations"
