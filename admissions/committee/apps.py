from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    """The school's admissibility committee and the publication of its decisions (R5)."""

    name = "admissions.committee"
    label = "committee"
