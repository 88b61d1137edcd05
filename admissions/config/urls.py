from django.contrib import admin
from django.urls import include, path

from admissions.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("", include("admissions.referees.urls")),  # before dossiers: dossier/<slug>/ would catch it
    path("", include("admissions.support.urls")),
    path("", include("admissions.payments.urls")),
    path("", include("admissions.dossiers.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
