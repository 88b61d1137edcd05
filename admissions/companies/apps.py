from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    """The company phase: host companies, their confirmation, the final list, fraud (R7)."""

    name = "admissions.companies"
    label = "companies"
