from django.apps import AppConfig


class AlternationConfig(AppConfig):
    """The alternation calendar: the annex-3 table, its PDF and the ICS subscription feeds (R8.1)."""

    name = "admissions.alternation"
    label = "alternation"
