from django.urls import path

from admissions.verification.views import dossier

app_name = "verification"
urlpatterns = [
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
    path("gestion/verification/suivant/", dossier.next_dossier, name="next"),
]
