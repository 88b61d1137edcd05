from django.apps import AppConfig


class PreentryConfig(AppConfig):
    """Before training starts (R7.4): the diploma copy, the JDC/JAPD certificate, the contract's
    validation by the apprentice training centre (MidiSup), for each candidate admitted for good."""

    name = "admissions.preentry"
    label = "preentry"
