from django.urls import path

from admissions.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("dossier/", views.overview, name="overview"),
    path("dossier/recu.pdf", views.receipt, name="receipt"),
    path("dossier/mes-donnees.zip", views.my_data, name="my_data"),
    path("dossier/pieces/<str:code>/envoyer", views.upload, name="upload"),
    path("dossier/photo/apercu", views.photo_preview, name="photo_preview"),
    path("dossier/photo/apercu.img", views.photo_preview_file, name="photo_preview_file"),
    path("dossier/pieces/<str:code>/plus-tard", views.mark_pending, name="mark_pending"),
    path("dossier/pieces/<str:code>/fichier", views.document_file, name="document_file"),
    path("dossier/<slug:slug>/", views.page, name="page"),
    path("notice/", views.notice, name="notice"),
]
