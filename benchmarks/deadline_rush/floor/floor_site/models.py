from django.db import models


class Entry(models.Model):
    """One row per POST: the floor's single INSERT."""

    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
