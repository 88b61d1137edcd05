from django.apps import AppConfig


class CompanySearchConfig(AppConfig):
    """Help with the company search (R7.3): training sessions, phone advice, the presentation
    file for companies."""

    name = "admissions.company_search"
    label = "company_search"
