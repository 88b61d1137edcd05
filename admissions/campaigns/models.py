"""Schools, programmes, options and campaigns (R1). Filled from campaign files by load_campaign.

The campaign file is the source of truth for what it contains; ``Campaign.document`` keeps the
validated file as loaded. The calendar, fees, seats, exams and options also live in columns
and rows so staff can see them, and move a date or add an extension (R1.2, R1.6) without a new
file. ``Campaign.current_document()`` merges both; ``Campaign.params()`` turns it into the
values the pure rules take.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from admissions.campaigns import schema
from admissions.campaigns.texts import RenderedText, render_markdown
from admissions.core.language import localized
from admissions.rules import params as rules_params

# What is built from a campaign once per revision and process (see Campaign.params()).
_REVISION_CACHE: dict[tuple[str, int, str], object] = {}


REVISION_CACHE_SIZE = 64


def per_revision(pk: int | None, revision: str, what: str, build):
    """``build()`` once per campaign revision and process; every change gives a new revision
    (campaigns/signals.py), so a change made by any process is seen by all at their next read."""
    if pk is None or not revision:
        return build()
    key = (what, pk, revision)
    cached = _REVISION_CACHE.get(key)
    if cached is None:
        cached = build()
        # Full: drop the oldest entries (old revisions first in insertion order). Clearing it
        # all would also drop what this very request built a moment ago, read again at once.
        while len(_REVISION_CACHE) >= REVISION_CACHE_SIZE:
            del _REVISION_CACHE[next(iter(_REVISION_CACHE))]
        _REVISION_CACHE[key] = cached
    return cached


def new_revision() -> str:
    return secrets.token_hex(16)


class School(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    """One admission campaign of one school (R1.1), e.g. ``imt-mines-albi-2021``."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("école")
    )
    name = models.CharField(_("nom"), max_length=300)
    name_en = models.CharField(_("nom en anglais"), max_length=300, blank=True)
    session = models.PositiveSmallIntegerField(_("session"))
    time_zone = models.CharField(_("fuseau horaire"), max_length=64, default="Europe/Paris")

    # Calendar (R1.2). Windows are half-open: open from opens_at included to closes_at excluded.
    applications_opens_at = models.DateTimeField(_("ouverture des candidatures"))
    applications_closes_at = models.DateTimeField(
        _("clôture des candidatures"),
        help_text=_("Exclu : « jusqu'au 9 mars (minuit) » se note 10 mars 00:00."),
    )
    admissibility_results_at = models.DateTimeField(_("publication des résultats d'admissibilité"))
    exam_booking_opens_at = models.DateTimeField(_("ouverture du choix du jour d'épreuves"))
    exam_booking_closes_at = models.DateTimeField(_("clôture du choix du jour d'épreuves"))
    exams_opens_at = models.DateTimeField(_("début des épreuves"))
    exams_closes_at = models.DateTimeField(_("fin des épreuves (exclue)"))
    academic_results_at = models.DateTimeField(_("publication des résultats académiques"))
    final_list_frozen_at = models.DateTimeField(_("arrêt de la liste définitive"))
    diploma_deadline = models.DateField(_("date limite d'obtention du diplôme requis"))
    training_starts_on = models.DateField(_("début de la formation"))
    earliest_contract_start = models.DateField(_("début de contrat au plus tôt"))
    replacement_deadline = models.DateTimeField(
        _("date limite de remplacement des pièces refusées"), null=True, blank=True
    )

    # Fees (R3.6)
    currency = models.CharField(_("devise"), max_length=3, default="EUR")
    fee_standard_first = models.DecimalField(
        _("frais : première formation (non boursier)"), max_digits=8, decimal_places=2
    )
    fee_standard_each_further = models.DecimalField(
        _("frais : formation supplémentaire (non boursier)"), max_digits=8, decimal_places=2
    )
    fee_scholarship_first = models.DecimalField(
        _("frais : première formation (boursier)"), max_digits=8, decimal_places=2
    )
    fee_scholarship_each_further = models.DecimalField(
        _("frais : formation supplémentaire (boursier)"), max_digits=8, decimal_places=2
    )

    # The file as loaded (R1.1)
    document = models.JSONField(_("fichier de campagne validé"), default=dict)
    source_text = models.TextField(_("texte du fichier chargé"), blank=True)
    source_sha256 = models.CharField(_("empreinte SHA-256 du fichier"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(
        _("dernier chargement modifiant la campagne"), null=True, blank=True
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chargé par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # A new random token at every change that reaches params() (see signals.py): processes
    # cache params() per (campaign, revision), so a change made by any process is seen by all
    # at once. Random rather than a counter: a rolled-back change never leaves its number to
    # another change.
    revision = models.CharField(_("révision"), max_length=32, default="", editable=False)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-session", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_closes_at__gt=models.F("applications_opens_at")),
                name="campaign_applications_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(exam_booking_closes_at__gt=models.F("exam_booking_opens_at")),
                name="campaign_exam_booking_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(exams_closes_at__gt=models.F("exams_opens_at")),
                name="campaign_exams_close_after_open",
            ),
            models.CheckConstraint(
                condition=Q(
                    fee_standard_first__gte=0,
                    fee_standard_each_further__gte=0,
                    fee_scholarship_first__gte=0,
                    fee_scholarship_each_further__gte=0,
                ),
                name="campaign_fees_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.revision = new_revision()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The campaign's title in the active language (French unless English is active and given)."""
        return localized(self, "name")

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local(self, instant: datetime) -> datetime:
        """A stored instant as the naive wall time of the campaign's zone (the file's form)."""
        return instant.astimezone(self.zone()).replace(tzinfo=None)

    def loaded_document(self) -> dict:
        """The loaded file (``document``). Pages read the campaign without this wide column
        (``selectors.current_campaign``): it is then read once per revision and process."""
        if "document" not in self.get_deferred_fields():
            return self.document
        return per_revision(
            self.pk,
            self.revision,
            "document",
            lambda: Campaign.objects.values_list("document", flat=True).get(pk=self.pk),
        )

    def notice_text(self) -> str:
        return (self.loaded_document().get("texts") or {}).get("notice", "")

    def faq(self) -> list[dict]:
        return list((self.loaded_document().get("texts") or {}).get("faq", []))

    def notice_html(self) -> RenderedText:
        """The notice (Markdown in the file) as sanitised HTML, rendered once per revision."""
        return per_revision(
            self.pk, self.revision, "notice_html", lambda: render_markdown(self.notice_text())
        )

    def faq_html(self) -> list[dict[str, str]]:
        """The FAQ with its answers (Markdown) rendered to sanitised HTML, once per revision:
        ``answer_html`` and, where the file gives one, ``answer_en_html``."""

        def build() -> list[dict[str, str]]:
            return [
                {
                    **entry,
                    "answer_html": render_markdown(entry.get("answer", "")).html,
                    "answer_en_html": render_markdown(entry.get("answer_en", "")).html,
                }
                for entry in self.faq()
            ]

        return per_revision(self.pk, self.revision, "faq_html", build)

    def contacts(self) -> dict:
        """The school's and the central service's contacts, as the file gives them."""
        document = self.loaded_document()
        return {
            "school": (document.get("school") or {}).get("contacts", {}),
            "central_service": document.get("central_service") or {},
        }

    def current_document(self) -> schema.CampaignDocument:
        """The campaign file as it stands now: the loaded document with the values staff may
        have changed since (calendar, fees, seats, exams, options, extensions) put back in."""
        base = schema.CampaignDocument.model_validate(self.loaded_document())
        data = base.model_dump(mode="python")
        calendar = data["calendar"]
        calendar["applications"] = {
            "opens_at": self.local(self.applications_opens_at),
            "closes_at": self.local(self.applications_closes_at),
        }
        calendar["exam_booking"] = {
            "opens_at": self.local(self.exam_booking_opens_at),
            "closes_at": self.local(self.exam_booking_closes_at),
        }
        calendar["exams"] = {
            "opens_at": self.local(self.exams_opens_at),
            "closes_at": self.local(self.exams_closes_at),
        }
        calendar["admissibility_results_at"] = self.local(self.admissibility_results_at)
        calendar["academic_results_at"] = self.local(self.academic_results_at)
        calendar["final_list_frozen_at"] = self.local(self.final_list_frozen_at)
        calendar["diploma_deadline"] = self.diploma_deadline
        calendar["training_starts_on"] = self.training_starts_on
        calendar["earliest_contract_start"] = self.earliest_contract_start
        calendar["replacement_deadline"] = (
            self.local(self.replacement_deadline) if self.replacement_deadline else None
        )
        data["fees"].update(
            currency=self.currency,
            standard={
                "first": self.fee_standard_first,
                "each_further": self.fee_standard_each_further,
            },
            scholarship={
                "first": self.fee_scholarship_first,
                "each_further": self.fee_scholarship_each_further,
            },
        )
        data["school"].update(
            code=self.school.code, name=self.school.name, short_name=self.school.short_name
        )
        data["campaign"].update(
            code=self.code,
            name=self.name,
            name_en=self.name_en,
            session=self.session,
            time_zone=self.time_zone,
        )
        data["seat_groups"] = [
            {
                "code": group.code,
                "name": group.name,
                "name_en": group.name_en,
                "statuses": list(group.statuses),
                "seats": group.seats,
            }
            for group in self.seat_groups.all()
        ]
        base_exams = {exam["code"]: exam for exam in data["exams"]}
        data["exams"] = [
            {
                **base_exams.get(exam.code, {}),
                "code": exam.code,
                "name": exam.name,
                "name_en": exam.name_en,
                "examiner": exam.examiner,
                "duration_minutes": exam.duration_minutes,
                "max_grade": exam.max_grade,
                "eliminating_at_or_below": exam.eliminating_at_or_below,
                "absence_eliminates": exam.absence_eliminates,
            }
            for exam in self.exam_definitions.all()
        ]
        base_programmes = {programme["code"]: programme for programme in data["programmes"]}
        programmes = list(self.programmes.filter(is_active=True))
        data["programmes"] = [
            {
                **base_programmes.get(programme.code, {}),
                "code": programme.code,
                "name": programme.name,
                "name_en": programme.name_en,
                "url": programme.url,
            }
            for programme in programmes
        ]
        data["options"] = [
            {
                "code": option.code,
                "programme": option.programme.code,
                "name": option.name,
                "name_en": option.name_en,
                "sectors": list(option.sectors),
            }
            for option in self.options_on_offer()
        ]
        data["extensions"] = [
            {
                "window": extension.window,
                "closes_at": self.local(extension.closes_at),
                "reason": extension.reason,
                "candidate": extension.candidate_ref or None,
            }
            for extension in self.extensions.order_by("created_at", "pk")
        ]
        return schema.CampaignDocument.model_validate(data)

    def options_on_offer(self) -> models.QuerySet[Option]:
        """The options candidates may choose now, in the file's order (R1.3, R3.1)."""
        return (
            Option.objects.filter(
                programme__campaign=self, programme__is_active=True, is_active=True
            )
            .select_related("programme")
            .order_by("programme__position", "position", "pk")
        )

    def params(self) -> rules_params.Campaign:
        """The campaign's parameters for the rules, with staff's moved dates and extensions.

        Built once per revision and process: it reads five tables and validates the document."""
        return per_revision(
            self.pk, self.revision, "params", lambda: self.current_document().to_params()
        )


class Programme(models.Model):
    """A formation candidates choose in "Formations visées" (R3.1)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("campagne")
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("intitulé"), max_length=300)
    name_en = models.CharField(_("intitulé en anglais"), max_length=300, blank=True)
    url = models.URLField(_("page de présentation"), blank=True)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    is_active = models.BooleanField(
        _("proposée"),
        default=True,
        help_text=_("Retirée du fichier mais encore référencée : conservée, non proposée."),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="programme_code_per_campaign")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language (French unless English is active and given)."""
        return localized(self, "name")


class Option(models.Model):
    """An option of a programme (R1.3: SENMBA, SIPHASS, SIMMA), matched to company sectors."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="options", verbose_name=_("formation")
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("intitulé"), max_length=300)
    name_en = models.CharField(_("intitulé en anglais"), max_length=300, blank=True)
    sectors = models.JSONField(
        _("secteurs d'activité couverts"),
        default=list,
        blank=True,
        help_text=_("Codes des secteurs du fichier de campagne."),
    )
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    is_active = models.BooleanField(
        _("proposée"),
        default=True,
        help_text=_("Retirée du fichier mais encore référencée : conservée, non proposée."),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="option_code_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def display_name(self) -> str:
        """The name in the active language (French unless English is active and given)."""
        return localized(self, "name")


class SeatGroup(models.Model):
    """Seats shared by some statuses (R1.4): 45 apprentissage; 5 formation continue + contrat pro."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="seat_groups", verbose_name=_("campagne")
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("intitulé"), max_length=200)
    name_en = models.CharField(_("intitulé en anglais"), max_length=200, blank=True)
    statuses = models.JSONField(_("statuts concernés"), default=list)
    seats = models.PositiveIntegerField(_("nombre de places"))
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("groupe de places")
        verbose_name_plural = _("groupes de places")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code"], name="seat_group_code_per_campaign"
            ),
            models.CheckConstraint(condition=Q(seats__gte=0), name="seat_group_seats_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.seats})"


class ExamDefinition(models.Model):
    """One oral exam of phase 2 (R6.2, R6.3)."""

    class Examiner(models.TextChoices):
        JURY = "jury", _("Jury")
        EXAMINER = "examiner", _("Examinateur")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="exam_definitions",
        verbose_name=_("campagne"),
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("intitulé"), max_length=200)
    name_en = models.CharField(_("intitulé en anglais"), max_length=200, blank=True)
    examiner = models.CharField(_("évaluée par"), max_length=16, choices=Examiner.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    max_grade = models.DecimalField(_("note maximale"), max_digits=5, decimal_places=2)
    eliminating_at_or_below = models.DecimalField(
        _("éliminatoire à ou sous"), max_digits=5, decimal_places=2
    )
    absence_eliminates = models.BooleanField(_("absence éliminatoire"), default=True)
    position = models.PositiveSmallIntegerField(_("rang"), default=0)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("épreuve")
        verbose_name_plural = _("épreuves")
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="exam_code_per_campaign"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="exam_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(eliminating_at_or_below__gte=0)
                & Q(eliminating_at_or_below__lt=models.F("max_grade")),
                name="exam_elimination_below_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"


class AlternationPeriod(models.Model):
    """A block of consecutive ISO weeks of one kind (R8.1), copied from the file for staff views."""

    class Kind(models.TextChoices):
        SCHOOL = rules_params.PeriodKind.SCHOOL.value, _("École")
        COMPANY = rules_params.PeriodKind.COMPANY.value, _("Entreprise")
        DEFENCE = rules_params.PeriodKind.DEFENCE.value, _("Soutenances")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="alternation_periods",
        verbose_name=_("campagne"),
    )
    academic_year = models.CharField(_("année scolaire"), max_length=9)
    year_of_study = models.PositiveSmallIntegerField(_("année d'études"))
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    first_week = models.CharField(_("première semaine ISO"), max_length=8)
    last_week = models.CharField(_("dernière semaine ISO"), max_length=8)
    starts_on = models.DateField(_("du (lundi)"))
    ends_on = models.DateField(_("au (dimanche)"))

    class Meta:
        verbose_name = _("période d'alternance")
        verbose_name_plural = _("périodes d'alternance")
        ordering = ["campaign", "year_of_study", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "year_of_study", "first_week"],
                name="alternation_period_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="alternation_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year_of_study} : {self.get_kind_display()} {self.first_week}–{self.last_week}"
        )


class CampaignExtension(models.Model):
    """A window extended for everyone or for one candidate (R1.6), with its reason."""

    class Window(models.TextChoices):
        APPLICATIONS = "applications", _("Dépôt des candidatures")
        EXAM_BOOKING = "exam_booking", _("Choix du jour d'épreuves")
        EXAMS = "exams", _("Épreuves probatoires")

    class Source(models.TextChoices):
        FILE = "file", _("Fichier de campagne")
        STAFF = "staff", _("Personnel")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("campagne")
    )
    window = models.CharField(_("fenêtre"), max_length=32, choices=Window.choices)
    closes_at = models.DateTimeField(_("nouvelle clôture (exclue)"))
    reason = models.TextField(_("motif"))
    candidate_ref = models.CharField(
        _("référence du candidat"),
        max_length=64,
        blank=True,
        help_text=_("Vide : la prolongation vaut pour tout le monde."),
    )
    source = models.CharField(
        _("origine"), max_length=8, choices=Source.choices, default=Source.STAFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("prolongation")
        verbose_name_plural = _("prolongations")
        ordering = ["campaign", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="extension_reason_required"),
        ]

    def __str__(self) -> str:
        who = self.candidate_ref or _("tous")
        return f"{self.get_window_display()} → {self.closes_at:%Y-%m-%d %H:%M} ({who})"
