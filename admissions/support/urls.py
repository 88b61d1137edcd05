from django.urls import path

from admissions.support import views

app_name = "support"
urlpatterns = [
    path("dossier/messages/", views.candidate, name="candidate"),
    path("gestion/messages/", views.staff_list, name="staff_list"),
    path("gestion/messages/export.<str:fmt>", views.staff_list_export, name="staff_list_export"),
    path("gestion/messages/<str:reference>/", views.staff_thread, name="staff_thread"),
    path("aide/", views.faq, name="faq"),
]
