from django.urls import path

from admissions.company_search.views import candidate, public, staff

app_name = "company_search"
urlpatterns = [
    # Before dossiers' urls: dossier/<slug>/ would catch them.
    path(
        "dossier/entreprise/formation/<int:session_id>/inscription",
        candidate.register,
        name="register",
    ),
    path(
        "dossier/entreprise/formation/<int:session_id>/desinscription",
        candidate.unregister,
        name="unregister",
    ),
    path("dossier/entreprise/conseils-telephone/", candidate.phone_advice, name="phone"),
    path("dossier-de-presentation/<slug:code>.pdf", public.presentation, name="presentation"),
    path("gestion/recherche-entreprise/", staff.index, name="index"),
    path("gestion/recherche-entreprise/sessions/nouvelle", staff.session_new, name="session_new"),
    path(
        "gestion/recherche-entreprise/sessions/<int:session_id>/",
        staff.session_page,
        name="session",
    ),
    path(
        "gestion/recherche-entreprise/sessions/<int:session_id>/invitations",
        staff.invite,
        name="invite",
    ),
    path(
        "gestion/recherche-entreprise/sessions/<int:session_id>/annulation",
        staff.cancel,
        name="cancel",
    ),
    path(
        "gestion/recherche-entreprise/telephone/<int:request_id>/traitee",
        staff.phone_done,
        name="phone_done",
    ),
    path(
        "gestion/recherche-entreprise/dossier-de-presentation",
        staff.presentation_upload,
        name="presentation_upload",
    ),
    path(
        "gestion/recherche-entreprise/inscriptions.<str:fmt>",
        staff.registrations_export,
        name="registrations_export",
    ),
    path(
        "gestion/recherche-entreprise/conseils-telephone.<str:fmt>",
        staff.phone_export,
        name="phone_export",
    ),
]
