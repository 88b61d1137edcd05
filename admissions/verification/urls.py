"""The central check's URLs (R4, R10.5): the queue, its exports and bulk PDFs, each dossier."""

from django.urls import path

from admissions.verification.views import dossier, queue

app_name = "verification"
urlpatterns = [
    path("gestion/verification/", queue.queue, name="queue"),
    path("gestion/verification/export.<str:fmt>", queue.queue_export, name="queue_export"),
    path("gestion/verification/pdf/", queue.bulk_export_start, name="bulk_export_start"),
    path("gestion/verification/pdf/<int:pk>/", queue.bulk_export, name="bulk_export"),
    path(
        "gestion/verification/pdf/<int:pk>/dossiers.zip",
        queue.bulk_export_download,
        name="bulk_export_download",
    ),
    path("gestion/verification/suivant/", dossier.next_dossier, name="next"),
    path("gestion/dossiers/<str:reference>/", dossier.dossier_page, name="dossier"),
    path(
        "gestion/dossiers/<str:reference>/pieces/<int:pk>/page-<int:page>.png",
        dossier.document_page,
        name="document_page",
    ),
    path(
        "gestion/dossiers/<str:reference>/pieces/<int:pk>/original",
        dossier.document_original,
        name="document_original",
    ),
    path(
        "gestion/dossiers/<str:reference>/pieces/<int:pk>/verdict",
        dossier.review,
        name="review_document",
    ),
    path("gestion/dossiers/<str:reference>/notifier", dossier.notify, name="notify"),
    path("gestion/dossiers/<str:reference>/decision", dossier.decide, name="decide"),
]
