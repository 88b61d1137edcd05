from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "admissions.notifications"
    label = "notifications"
    verbose_name = "Notifications"
