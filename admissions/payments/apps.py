from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "admissions.payments"
    label = "payments"
