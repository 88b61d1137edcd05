from django.urls import path

from admissions.preentry.views import candidate, staff

app_name = "preentry"
urlpatterns = [
    # Before dossiers' urls: dossier/<slug>/ would catch it.
    path("dossier/entree-en-formation/", candidate.candidate, name="candidate"),
    path("dossier/entree-en-formation/<str:code>/fichier", candidate.own_file, name="own_file"),
    path("gestion/entree-en-formation/", staff.checklist_list, name="staff_list"),
    path("gestion/entree-en-formation/relance", staff.remind, name="remind"),
    path("gestion/entree-en-formation/export.<str:fmt>", staff.export, name="export"),
    path("gestion/entree-en-formation/<str:reference>/", staff.dossier_page, name="staff_dossier"),
    path(
        "gestion/entree-en-formation/<str:reference>/<str:kind>/verdict",
        staff.review,
        name="review",
    ),
    path(
        "gestion/entree-en-formation/<str:reference>/<str:kind>/fichier",
        staff.document_file,
        name="staff_file",
    ),
    path("gestion/entree-en-formation/<str:reference>/midisup", staff.midisup, name="midisup"),
    path(
        "gestion/entree-en-formation/<str:reference>/midisup/justificatif",
        staff.midisup_evidence,
        name="midisup_evidence",
    ),
]
