from django.urls import path

from admissions.notifications import views

app_name = "notifications"
urlpatterns = [
    path("gestion/courriels/", views.outbox, name="outbox"),
    path("gestion/courriels/<int:pk>/", views.email_detail, name="detail"),
    path("gestion/courriels/<int:pk>/renvoyer", views.send_again, name="send_again"),
    path("gestion/courriels/modeles/", views.templates, name="templates"),
    path("gestion/courriels/modeles/<str:kind>/", views.template_preview, name="template"),
]
