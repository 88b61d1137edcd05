from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "admissions.accounts"
    label = "accounts"

    def ready(self) -> None:
        from admissions.accounts import receivers  # noqa: F401  (connects the signal receivers)
