"""The whole dossier as the candidate checks it before the irreversible submission (R3.7).

A read-only view of what the pages hold, section by section, each with the page that edits it.
Documents, fee and payments come from the live explanations the page frame already computes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_countries import countries

from admissions.core.language import page_language
from admissions.dossiers import pages
from admissions.dossiers.models import Dossier
from admissions.referees.models import Referee
from admissions.referees.selectors import active_referees
from admissions.rules.clock import format_date


@dataclass
class SummarySection:
    slug: str  # the page that edits it
    title: str | Promise
    rows: list[tuple[str, object]] = field(default_factory=list)  # (label, value) pairs
    items: list[str] = field(default_factory=list)  # a list (formations, diplomas, ...)
    empty: str = ""  # what to say when there is nothing


def _country(code: str) -> str:
    return str(countries.name(code)) if code else ""


def _yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


def _diploma_line(diploma) -> str:
    parts = [diploma.get_type_display(), diploma.speciality]
    if diploma.institution:
        parts.append(diploma.institution)
    when: date | None = diploma.obtained_on or diploma.expected_on
    if diploma.obtained_on:
        parts.append(_("obtenu en %(year)s") % {"year": diploma.year})
    elif when:
        parts.append(_("obtention prévue en %(year)s") % {"year": when.year})
    if not diploma.scientific_or_technical:
        parts.append(_("spécialité ni scientifique ni technique"))
    return " — ".join(str(part) for part in parts if part)


def _experience_line(experience) -> str:
    until = experience.ended_on.year if experience.ended_on else _("aujourd'hui")
    line = _("%(position)s, %(employer)s (%(start)s – %(end)s)") % {
        "position": experience.position,
        "employer": experience.employer,
        "start": experience.started_on.year,
        "end": until,
    }
    if experience.higher_technician:
        line += " — " + _("technicien supérieur")
    return line


def dossier_summary(dossier: Dossier) -> list[SummarySection]:
    """The dossier's answers, in the order of its pages (documents and fee: see the template)."""
    language = page_language()
    identity = SummarySection(
        pages.IDENTITY.slug,
        pages.IDENTITY.title,
        rows=[
            (_("Civilité"), dossier.get_civility_display()),
            (_("Nom"), dossier.last_name),
            (_("Prénom"), dossier.first_name),
            (
                _("Date de naissance"),
                format_date(dossier.birth_date, language) if dossier.birth_date else "",
            ),
            (_("Lieu de naissance"), dossier.birth_place),
            (_("Nationalité"), _country(dossier.nationality)),
            (_("Courriel"), dossier.candidate.email),
            (_("Téléphone"), dossier.phone),
            (
                _("Adresse"),
                ", ".join(
                    part
                    for part in (
                        dossier.address,
                        f"{dossier.postal_code} {dossier.city}".strip(),
                        _country(dossier.country),
                    )
                    if part
                ),
            ),
        ],
    )
    status = SummarySection(
        pages.STATUS.slug,
        pages.STATUS.title,
        rows=[(_("Statut"), dossier.get_status_sought_display())],
    )
    if dossier.status_sought == Dossier.StatusSought.CONTINUING_EDUCATION:
        years: Decimal | None = dossier.technician_experience_years
        status.rows += [
            (_("Années comme technicien supérieur"), "" if years is None else years),
            (_("Accord de l'employeur"), _yes_no(dossier.employer_agreement)),
        ]
    formations = SummarySection(
        pages.FORMATIONS.slug,
        pages.FORMATIONS.title,
        items=[
            f"{choice.rank}. {choice.option.display_name}"
            for choice in sorted(dossier.choices.all(), key=lambda choice: choice.rank)
        ],
        rows=[(_("Notice lue et acceptée"), _yes_no(dossier.notice_acknowledged_at is not None))],
        empty=_("Aucune formation choisie."),
    )
    education = SummarySection(
        pages.EDUCATION.slug,
        pages.EDUCATION.title,
        items=[_diploma_line(diploma) for diploma in dossier.diplomas.all()],
        empty=_("Aucun diplôme déclaré."),
    )
    experience = SummarySection(
        pages.EXPERIENCE.slug,
        pages.EXPERIENCE.title,
        items=[_experience_line(row) for row in dossier.experiences.all()],
        empty=_("Aucune expérience décrite."),
    )
    referees = active_referees(dossier)
    recommendations = SummarySection(
        pages.RECOMMENDATIONS.slug,
        pages.RECOMMENDATIONS.title,
        rows=[
            (
                str(label),
                f"{referees[kind].name} — {referees[kind].get_state_display()}"
                if kind in referees
                else _("aucun référent désigné"),
            )
            for kind, label in Referee.Kind.choices
        ],
    )
    return [identity, status, formations, education, experience, recommendations]
