from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "admissions.accounts"
    label = "accounts"
