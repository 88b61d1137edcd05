from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "admissions.campaigns"
    label = "campaigns"
