"""The dossier's pages (R3.1, R10.1), defined once.

Each page is one ``Page``: its slug (the URL ``/dossier/<slug>/``), its French title, the view
that serves it (or the URL name of its view elsewhere), whether it applies to a dossier, what it still
misses and whether it is optional. Everything that lists the pages reads ``PAGES``: the page
states and the blockers (``selectors.page_states``, ``selectors.submission_blockers``), the view
dispatch (``views.pages.page``), the side menu (``menu``, rendered by ``layout.html``), the
blockers' links and the review summary's sections.

This module reads the dossier and the rules only: the selectors call it, so it never imports
selectors, services or views (the view is named, not imported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from admissions.dossiers.models import Dossier
from admissions.rules import documents, eligibility, fees
from admissions.rules.params import Campaign as CampaignParams
from admissions.rules.params import StatusSought


@dataclass(frozen=True)
class PageFacts:
    """What the completeness checks read, computed once per request (``selectors.page_states``)."""

    dossier: Dossier
    params: CampaignParams
    language: str
    checklist: documents.Checklist
    requested: frozenset[str]  # checklist codes a referee was asked for and has not answered
    diplomas: tuple[eligibility.Diploma, ...]
    fee_outstanding: Decimal | None  # None before any formation is chosen
    fee_paid: Decimal
    currency: str
    today: date  # dates a current job on the experience page


def _always(dossier: Dossier, params: CampaignParams) -> bool:
    return True


def _never_optional(dossier: Dossier) -> bool:
    return False


@dataclass(frozen=True)
class Page:
    slug: str
    title: Promise  # French, translated when shown (gettext_lazy)
    view: str | None = None  # the view's name in admissions.dossiers.views, at /dossier/<slug>/
    url_name: str | None = None  # else the URL name of its own view (another app's, the overview)
    missing: Callable[[PageFacts], list[str]] | None = None  # None: nothing to complete
    optional: Callable[[Dossier], bool] = _never_optional  # nothing required for this dossier
    applies: Callable[[Dossier, CampaignParams], bool] = _always

    @property
    def checked(self) -> bool:
        """A page with something to complete: numbered in the menu, listed in the page states."""
        return self.missing is not None

    @property
    def url(self) -> str:
        if self.url_name:
            return reverse(self.url_name)
        return reverse("dossiers:page", args=[self.slug])


@dataclass(frozen=True)
class PageState:
    slug: str
    title: str
    complete: bool
    missing: tuple[str, ...]  # what is missing, in the page's language
    optional: bool = False  # nothing is required on this page for this dossier: "facultatif"


# --- What each page misses ----------------------------------------------------------------


def identity_missing(facts: PageFacts) -> list[str]:
    labels = {
        "civility": _("la civilité"),
        "last_name": _("le nom"),
        "first_name": _("le prénom"),
        "birth_date": _("la date de naissance"),
        "birth_place": _("le lieu de naissance"),
        "nationality": _("la nationalité"),
        "phone": _("le téléphone"),
        "address": _("l'adresse"),
        "postal_code": _("le code postal"),
        "city": _("la ville"),
        "country": _("le pays de résidence"),
    }
    return [str(label) for field, label in labels.items() if not getattr(facts.dossier, field)]


def status_missing(facts: PageFacts) -> list[str]:
    dossier = facts.dossier
    if not dossier.status_sought:
        return [str(_("le statut visé"))]
    if dossier.status_sought == StatusSought.CONTINUING_EDUCATION:
        missing = []
        if dossier.technician_experience_years is None:
            missing.append(str(_("vos années d'expérience comme technicien supérieur")))
        if not dossier.employer_agreement:
            missing.append(str(_("l'accord de votre employeur")))
        return missing
    return []


def formations_missing(facts: PageFacts) -> list[str]:
    missing = []
    if not facts.dossier.choices.all():
        missing.append(str(_("au moins une formation")))
    if facts.dossier.notice_acknowledged_at is None:
        missing.append(str(_("la case attestant que vous avez pris connaissance de la notice")))
    return missing


def education_missing(facts: PageFacts) -> list[str]:
    """At least one diploma, and one that qualifies (R3.2): the page is not complete while the
    eligibility panel says the diploma does not qualify. For a professionalisation contract the
    school decides (a warning, not a blocker), so only a diploma is required."""
    if not facts.diplomas:
        return [str(_("au moins un diplôme"))]
    if facts.dossier.status_sought == StatusSought.PROFESSIONALISATION:
        return []
    decision = eligibility.diploma_eligibility(facts.params, facts.diplomas)
    return [] if decision.allowed else [reason.text(facts.language) for reason in decision.reasons]


def experience_optional(dossier: Dossier) -> bool:
    """Experience is required for formation continue only (R3.2)."""
    return dossier.status_sought != StatusSought.CONTINUING_EDUCATION


def experience_missing(facts: PageFacts) -> list[str]:
    """Formation continue only (R3.2): the higher-technician experience, at least the minimum
    years (3 in 2021) counted from the rows described; a current job counts until today."""
    if experience_optional(facts.dossier):
        return []
    minimum = facts.params.eligibility.continuing_min_experience_years
    days = sum(
        ((experience.ended_on or facts.today) - experience.started_on).days
        for experience in facts.dossier.experiences.all()
        if experience.higher_technician
    )
    if days >= minimum * 365:
        return []
    return [
        str(
            _("vos expériences comme technicien supérieur, %(years)s ans au moins")
            % {"years": minimum}
        )
    ]


def _is_letter(document: documents.RequiredDocument) -> bool:
    return document.code.startswith("motivation")


def uploads_missing(facts: PageFacts) -> list[str]:
    return [
        doc.label(facts.language)
        for doc in facts.checklist.missing
        if doc.source == documents.Source.UPLOAD and not _is_letter(doc)
    ]


def letters_missing(facts: PageFacts) -> list[str]:
    return [doc.label(facts.language) for doc in facts.checklist.missing if _is_letter(doc)]


def recommendations_missing(facts: PageFacts) -> list[str]:
    # A referee asked and not answered yet: still missing, but the candidate has done their part.
    return [
        str(
            _("%(label)s (demandée, réponse du référent attendue)")
            % {"label": doc.label(facts.language)}
        )
        if facts.requested & set(doc.accepted_codes)
        else doc.label(facts.language)
        for doc in facts.checklist.missing
        if doc.source == documents.Source.REFEREE
    ]


def fees_missing(facts: PageFacts) -> list[str]:
    if facts.fee_outstanding is None:
        return [str(_("le règlement des frais de dossier"))]
    if facts.fee_outstanding <= 0:
        return []
    # R3.6, issue 8: what an added option or a rejected proof leaves due blocks too.
    amount = {"amount": fees.format_money(facts.fee_outstanding, facts.currency, facts.language)}
    if facts.fee_paid:
        return [str(_("le règlement du reste dû (%(amount)s)")) % amount]
    return [str(_("le règlement des frais de dossier (%(amount)s)")) % amount]


# --- The registry -------------------------------------------------------------------------

OVERVIEW = Page("overview", _("Vue d'ensemble"), url_name="dossiers:overview")
IDENTITY = Page("identite", _("Identité et coordonnées"), view="identity", missing=identity_missing)
STATUS = Page("statut", _("Statut visé"), view="status", missing=status_missing)
FORMATIONS = Page(
    "formations", _("Formations visées"), view="formations", missing=formations_missing
)
EDUCATION = Page(
    "parcours", _("Parcours de formation"), view="education", missing=education_missing
)
EXPERIENCE = Page(
    "experience",
    _("Expérience professionnelle"),
    view="experience",
    missing=experience_missing,
    optional=experience_optional,
)
UPLOADS = Page("pieces", _("Pièces justificatives"), view="uploads", missing=uploads_missing)
RECOMMENDATIONS = Page(
    "recommandations",
    _("Recommandations"),
    url_name="referees:candidate",  # /dossier/recommandations/, the referees' app
    missing=recommendations_missing,
)
LETTERS = Page("motivation", _("Lettres de motivation"), view="motivation", missing=letters_missing)
FEES = Page("frais", _("Frais de dossier"), view="fees", missing=fees_missing)
REVIEW = Page("depot", _("Vérification et dépôt"), view="review")
MESSAGES = Page("messages", _("Messages"), url_name="support:candidate")  # /dossier/messages/

# In the menu's order.
PAGES: tuple[Page, ...] = (
    OVERVIEW,
    IDENTITY,
    STATUS,
    FORMATIONS,
    EDUCATION,
    EXPERIENCE,
    UPLOADS,
    RECOMMENDATIONS,
    LETTERS,
    FEES,
    REVIEW,
    MESSAGES,
)
BY_SLUG: dict[str, Page] = {page.slug: page for page in PAGES}
# The pages whose view ``views.pages.page`` serves at /dossier/<slug>/; the others have their
# own URL (``url_name``).
AT_SLUG: dict[str, Page] = {page.slug: page for page in PAGES if page.view is not None}


def served_at_slug(slug: str) -> Page | None:
    """The page ``/dossier/<slug>/`` serves, else None (a 404)."""
    return AT_SLUG.get(slug)


def page_url(slug: str) -> str:
    return BY_SLUG[slug].url


@dataclass(frozen=True)
class MenuEntry:
    page: Page
    number: int | None  # the pages to complete are numbered from 1
    state: PageState | None  # None for a page with nothing to complete


def menu(dossier: Dossier, params: CampaignParams, states: list[PageState]) -> list[MenuEntry]:
    """The side menu: every page that applies, with its state (from ``selectors.page_states``)."""
    by_slug = {state.slug: state for state in states}
    entries = []
    number = 0
    for page in PAGES:
        if not page.applies(dossier, params):
            continue
        state = by_slug.get(page.slug)
        if page.checked:
            number += 1
        entries.append(MenuEntry(page, number if page.checked else None, state))
    return entries
