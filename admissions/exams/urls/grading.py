"""The grading side's URLs: the jury's grades (R6.3), the committee's academic list (R6.4)."""

from django.urls import path

from admissions.exams.views import grading

app_name = "exams_grading"
urlpatterns = [
    path("gestion/jury/notes/", grading.jury_days, name="days"),
    path("gestion/jury/notes/creneau/<int:slot_id>/", grading.grade_slot, name="grade"),
    path("gestion/jury/notes/<str:day>/", grading.jury_day, name="day"),
    path("gestion/epreuves/liste-academique/", grading.academic_list, name="academic_list"),
    path(
        "gestion/epreuves/liste-academique/export.<str:fmt>",
        grading.academic_list_export,
        name="academic_list_export",
    ),
    path("gestion/epreuves/notes/export.<str:fmt>", grading.grades_export, name="grades_export"),
]
