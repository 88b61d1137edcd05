from django.contrib import admin
from django.urls import include, path

from admissions.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("gestion/", core_views.staff_home, name="staff_home"),
    path(
        "", include("admissions.referees.urls")
    ),  # before dossiers: dossier/<slug>/ would catch it
    path("", include("admissions.support.urls")),
    path("", include("admissions.payments.urls")),
    path("", include("admissions.verification.urls")),
    path("", include("admissions.notifications.urls")),
    path("", include("admissions.exams.urls.grading")),
    path("", include("admissions.exams.urls.timetable")),  # before committee and dossiers
    path("", include("admissions.committee.urls")),  # before dossiers: dossier/epreuves/
    path("", include("admissions.exams.urls.booking")),
    path("", include("admissions.companies.urls")),  # before dossiers: dossier/entreprise/
    path("", include("admissions.company_search.urls")),  # before dossiers as well
    path("", include("admissions.preentry.urls")),  # before dossiers: dossier/entree-en-formation/
    path("", include("admissions.accounts.urls")),
    path("", include("admissions.alternation.urls")),
    path("", include("admissions.dossiers.urls")),
    path("gestion/statistiques/", include("admissions.verification.funnel_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

# The platform's own error pages (admissions/templates/{400,403,404,500}.html), in the page's language.
handler400 = "admissions.core.views.bad_request"
handler403 = "admissions.core.views.permission_denied"
handler404 = "admissions.core.views.page_not_found"
handler500 = "admissions.core.views.server_error"
