"""URLs of the exam timetables (R6.2): staff, the candidate's convocation, the juries' lists."""

from django.urls import path

from admissions.exams.views import timetable

app_name = "exams_timetable"
STAFF = "gestion/epreuves/emplois-du-temps/"
urlpatterns = [
    path(STAFF, timetable.days, name="days"),
    path(f"{STAFF}export.<str:fmt>", timetable.export_all, name="export_all"),
    path(f"{STAFF}<int:day_id>/", timetable.day_page, name="day"),
    path(f"{STAFF}<int:day_id>/etablir", timetable.build, name="build"),
    path(f"{STAFF}<int:day_id>/creneaux/<int:slot_id>", timetable.adjust, name="adjust"),
    path(f"{STAFF}<int:day_id>/convocations", timetable.send_convocations, name="convocations"),
    path(f"{STAFF}<int:day_id>/export.<str:fmt>", timetable.export_day, name="export_day"),
    # Before dossiers' urls: dossier/<slug>/ would catch it.
    path("dossier/epreuves/convocation/", timetable.convocation, name="convocation"),
    path(
        "dossier/epreuves/convocation.ics",
        timetable.convocation_calendar,
        name="convocation_calendar",
    ),
    path("gestion/jury/", timetable.jury_days, name="jury_days"),
    path("gestion/jury/<int:day_id>/", timetable.jury_day, name="jury_day"),
    path("gestion/jury/<int:day_id>/liste.pdf", timetable.jury_day_pdf, name="jury_day_pdf"),
    path("gestion/jury/<int:day_id>/liste.ics", timetable.jury_day_calendar, name="jury_day_ics"),
]
