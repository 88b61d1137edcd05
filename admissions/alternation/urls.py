from django.urls import path

from admissions.alternation import views

app_name = "alternation"
urlpatterns = [
    path("alternance/", views.index, name="index"),
    path("alternance/abonnement/<str:token>.ics", views.feed, name="feed"),
    path("alternance/<str:academic_year>/", views.table, name="table"),
    path("alternance/<str:academic_year>/calendrier.pdf", views.table_pdf, name="pdf"),
]
