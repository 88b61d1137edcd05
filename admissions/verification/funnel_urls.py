from django.urls import path

from admissions.verification.views import funnel

app_name = "statistics"
urlpatterns = [
    path("", funnel.funnel, name="funnel"),
    path("export.<str:fmt>", funnel.funnel_export, name="funnel_export"),
]
