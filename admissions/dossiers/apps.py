from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "admissions.dossiers"
    label = "dossiers"
