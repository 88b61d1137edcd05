from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "admissions.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        from admissions.campaigns import signals

        signals.connect()
