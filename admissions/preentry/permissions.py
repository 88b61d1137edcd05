"""Who handles the pre-entry checklist (R7.4, R9.2): those who handle the company phase and the
final list, i.e. the school's admissions officers (and platform administrators) of the
dossier's school (companies/permissions.py). The candidate reaches only their own."""

from __future__ import annotations

from django.db.models import QuerySet

from admissions.accounts.models import User
from admissions.campaigns.models import Campaign
from admissions.companies.permissions import can_place, can_read_final_list, dossiers_placed_by
from admissions.dossiers.models import Dossier


def dossiers_managed_by(user: User) -> QuerySet[Dossier]:
    return dossiers_placed_by(user)


def can_manage(user: User, dossier: Dossier) -> bool:
    return can_place(user, dossier)


def can_remind(user: User, campaign: Campaign) -> bool:
    return can_read_final_list(user, campaign)
