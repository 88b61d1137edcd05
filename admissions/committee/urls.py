from django.urls import path

from admissions.committee.views import candidate, staff

app_name = "committee"
urlpatterns = [
    path("gestion/commission/", staff.queue, name="queue"),
    path("gestion/commission/publication/", staff.publication, name="publication"),
    path("gestion/commission/<str:reference>/", staff.dossier_page, name="dossier"),
    path("gestion/commission/<str:reference>/avis", staff.score, name="score"),
    path("gestion/commission/<str:reference>/decision", staff.decide, name="decide"),
    path(
        "gestion/commission/<str:reference>/pieces/<str:code>",
        staff.document_file,
        name="document_file",
    ),
    # Before dossiers' urls: dossier/<slug>/ would catch it.
    path("dossier/epreuves/", candidate.exam_days, name="exam_days"),
]
