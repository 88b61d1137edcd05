from django.urls import path

from admissions.exams.views import booking_candidate as candidate
from admissions.exams.views import booking_staff as staff

app_name = "exams_booking"
urlpatterns = [
    path("gestion/epreuves/journees/", staff.days, name="days"),
    path("gestion/epreuves/journees/nouvelle", staff.day_new, name="day_new"),
    path("gestion/epreuves/journees/<int:day_id>/", staff.day_page, name="day"),
    path("gestion/epreuves/journees/<int:day_id>/jurys/nouveau", staff.panel_new, name="panel_new"),
    path("gestion/epreuves/jurys/<int:panel_id>/", staff.panel_page, name="panel"),
    path("gestion/epreuves/inscriptions/", staff.bookings, name="bookings"),
    path(
        "gestion/epreuves/inscriptions/export.<str:fmt>",
        staff.bookings_export,
        name="bookings_export",
    ),
    path("gestion/epreuves/inscriptions/<str:reference>/deplacer", staff.move, name="move"),
    path("gestion/epreuves/amenagements/", staff.accommodations, name="accommodations"),
    path(
        "gestion/epreuves/amenagements/<str:reference>/",
        staff.accommodation,
        name="accommodation_detail",
    ),
    path(
        "gestion/epreuves/amenagements/<str:reference>/justificatif",
        staff.accommodation_proof,
        name="accommodation_proof_staff",
    ),
    # Before dossiers' urls: dossier/<slug>/ would not catch these, but keep them together.
    path("dossier/epreuves/jour/", candidate.choose, name="choose"),
    path("dossier/epreuves/amenagements/", candidate.accommodation, name="accommodation"),
    path(
        "dossier/epreuves/amenagements/justificatif",
        candidate.accommodation_proof,
        name="accommodation_proof",
    ),
]
