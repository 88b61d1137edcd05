from django.conf import settings
from django.db import models


class Draft(models.Model):
    """One draft per account: what a page save updates."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200)
    updated_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.name


class AuditLine(models.Model):
    """One line per save: the audit trail a page save writes."""

    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    action = models.CharField(max_length=100)
    target_id = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.action
