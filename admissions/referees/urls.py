from django.urls import path

from admissions.referees import views

app_name = "referees"
urlpatterns = [
    path("dossier/recommandations/", views.candidate, name="candidate"),
    path("recommandation/<str:token>/", views.recommendation, name="recommendation"),
]
