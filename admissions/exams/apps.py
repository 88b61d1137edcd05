from django.apps import AppConfig


class ExamsConfig(AppConfig):
    """Phase 2 (R6, R10.4): exam days and their booking, accommodations, timetables, grading and
    the academic list."""

    name = "admissions.exams"
    label = "exams"
