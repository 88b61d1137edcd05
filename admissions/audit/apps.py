from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "admissions.audit"
    label = "audit"
