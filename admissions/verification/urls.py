from django.urls import path

from admissions.verification.views import queue

app_name = "verification"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("export.<str:fmt>", queue.queue_export, name="queue_export"),
    path("pdf/", queue.bulk_export_start, name="bulk_export_start"),
    path("pdf/<int:pk>/", queue.bulk_export, name="bulk_export"),
    path("pdf/<int:pk>/dossiers.zip", queue.bulk_export_download, name="bulk_export_download"),
]
