from django.apps import AppConfig


class VerificationConfig(AppConfig):
    """The central service's administrative check of submitted dossiers (R4)."""

    name = "admissions.verification"
    label = "verification"
