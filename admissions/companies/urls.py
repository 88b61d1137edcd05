from django.urls import path

from admissions.companies.views import candidate, link, staff

app_name = "companies"
urlpatterns = [
    # Before dossiers' urls: dossier/<slug>/ would catch it.
    path("dossier/entreprise/", candidate.candidate, name="candidate"),
    path("entreprise/<str:token>/", link.company_link, name="link"),
    path("gestion/entreprises/", staff.companies, name="staff_list"),
    path("gestion/entreprises/<str:reference>/", staff.dossier_page, name="staff_dossier"),
    path("gestion/entreprises/<str:reference>/confirmation", staff.confirm, name="confirm"),
    path("gestion/entreprises/<str:reference>/contrat", staff.contract_date, name="contract_date"),
    path("gestion/entreprises/<str:reference>/derogation", staff.exemption, name="exemption"),
    path("gestion/entreprises/<str:reference>/fraude", staff.fraud, name="fraud"),
    path("gestion/entreprises/<str:reference>/retrait", staff.withdraw, name="withdraw"),
    path("gestion/liste-definitive/", staff.final_list, name="final_list"),
    path(
        "gestion/liste-definitive/export.<str:fmt>",
        staff.export,
        {"which": "admitted"},
        name="final_list_export",
    ),
    path(
        "gestion/liste-attente/export.<str:fmt>",
        staff.export,
        {"which": "waiting"},
        name="waiting_list_export",
    ),
]
