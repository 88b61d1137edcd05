"""Phase 2 of the campaign (R6, R10.4).

An exam day (``ExamDay``) has a capacity that bookings (``Booking``, one per dossier) fill;
``ExamDay.booked`` is the count kept in step by a conditional UPDATE, so that the last seat is
taken once whatever the load (R6.1). Each day has panels (``ExamPanel``): a jury for the
interview, an examiner for English, with their hours. The timetable places each booked
candidate in one slot per exam (``ExamSlot``). Juries and examiners enter ``Grade`` rows; the
admission committee records the academic list (``AcademicDecision``), which candidates read
only from its publication instant (R6.4).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ExamDay(models.Model):
    """A day of oral exams with its seats (R6.1); times are local to the campaign's zone."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="exam_days",
        verbose_name=_("campagne"),
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("début"))
    ends_at = models.TimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    # Kept equal to the number of bookings by the booking service's conditional UPDATE.
    booked = models.PositiveSmallIntegerField(_("places prises"), default=0, editable=False)
    videoconference = models.TextField(
        _("visioconférence"),
        blank=True,
        help_text=_("Le lien de la visioconférence, ou comment il est communiqué aux candidats."),
    )
    # Breaks of the whole day: [["12:00", "13:30"], ...] (local times, start included).
    breaks = models.JSONField(_("pauses"), default=list, blank=True)
    # The timetable of this day was built at (None: not yet); see ExamSlot.
    timetable_built_at = models.DateTimeField(_("emploi du temps établi le"), null=True, blank=True)

    class Meta:
        verbose_name = _("journée d'épreuves")
        verbose_name_plural = _("journées d'épreuves")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "date"], name="one_exam_day_per_date"),
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="exam_day_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="exam_day_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} — {self.date:%Y-%m-%d}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class ExamPanel(models.Model):
    """Who examines one exam on one day: a jury (several members) for the interview, an English
    examiner (one member); with the hours they are available (R6.1, R6.2)."""

    day = models.ForeignKey(
        ExamDay, on_delete=models.CASCADE, related_name="panels", verbose_name=_("journée")
    )
    exam_code = models.CharField(_("épreuve"), max_length=64)  # an exam code of the campaign file
    name = models.CharField(_("nom"), max_length=100)  # "Jury 1", "Examinateur B"
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="exam_panels", verbose_name=_("membres")
    )
    available_from = models.TimeField(_("disponible de"), null=True, blank=True)
    available_until = models.TimeField(_("disponible jusqu'à"), null=True, blank=True)
    # This panel's own breaks, as ExamDay.breaks.
    breaks = models.JSONField(_("pauses"), default=list, blank=True)

    class Meta:
        verbose_name = _("jury ou examinateur")
        verbose_name_plural = _("jurys et examinateurs")
        ordering = ["day", "exam_code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["day", "name"], name="one_panel_name_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} — {self.name}"


class Booking(models.Model):
    """A candidate's one exam day (R6.1). One per dossier: a second choice is refused; staff may
    move it to another day, with a reason in the audit trail."""

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="exam_booking",
        verbose_name=_("dossier"),
    )
    day = models.ForeignKey(
        ExamDay, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("journée")
    )
    booked_at = models.DateTimeField(_("choisi le"))
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("choix du jour d'épreuves")
        verbose_name_plural = _("choix des jours d'épreuves")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.day}"


class Accommodation(models.Model):
    """Exam accommodations a candidate asks for, with a proof, decided by staff (R10.4)."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Accordé")
        REFUSED = "refused", _("Refusé")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="exam_accommodation",
        verbose_name=_("dossier"),
    )
    needs = models.TextField(_("aménagements demandés"))
    proof = models.FileField(_("justificatif"), upload_to="accommodations/%Y/", blank=True)
    proof_name = models.CharField(_("nom du justificatif"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("demandé le"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    # Extra minutes granted per exam, e.g. {"interview": 10, "english": 5}; empty unless approved.
    extra_minutes = models.JSONField(_("temps supplémentaire (minutes)"), default=dict, blank=True)
    granted = models.TextField(_("aménagements accordés"), blank=True)  # shown to the jury
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("aménagement d'épreuves")
        verbose_name_plural = _("aménagements d'épreuves")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.state}"


class ExamSlot(models.Model):
    """A candidate's time for one exam with one panel (R6.2): aware instants."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="slots", verbose_name=_("choix du jour")
    )
    exam_code = models.CharField(_("épreuve"), max_length=64)
    panel = models.ForeignKey(
        ExamPanel, on_delete=models.PROTECT, related_name="slots", verbose_name=_("jury")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ajusté par"),
    )  # None: placed by the solver

    class Meta:
        verbose_name = _("créneau d'épreuve")
        verbose_name_plural = _("créneaux d'épreuves")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "exam_code"], name="one_slot_per_exam"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="exam_slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.exam_code} {self.starts_at:%H:%M}"


class Grade(models.Model):
    """A jury's or examiner's grade for one candidate in one exam, or their absence (R6.3)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        related_name="exam_grades",
        verbose_name=_("dossier"),
    )
    exam_code = models.CharField(_("épreuve"), max_length=64)
    grade = models.DecimalField(_("note"), max_digits=5, decimal_places=2, null=True, blank=True)
    absent = models.BooleanField(_("absent"), default=False)
    comment = models.TextField(_("commentaire"), blank=True)
    # Notes on the exam's phases (English: its three parts), in the campaign file's order.
    phase_notes = models.JSONField(_("notes par phase"), default=list, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("noté par"),
    )
    graded_at = models.DateTimeField(_("noté le"))

    class Meta:
        verbose_name = _("note d'épreuve")
        verbose_name_plural = _("notes d'épreuves")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "exam_code"], name="one_grade_per_exam"),
            # The upper bound is the campaign file's max_grade, checked by the service.
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=0), name="grade_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(absent=True, grade__isnull=True) | Q(absent=False, grade__isnull=False),
                name="grade_or_absent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.exam_code}: {'absent' if self.absent else self.grade}"


class AcademicDecision(models.Model):
    """The admission committee's academic list (R6.4): admitted or not, with the rank and the
    weighted score it was decided on. Candidates read it only from the campaign's
    ``academic_results_at``: through ``exams.selectors``, never directly."""

    class Outcome(models.TextChoices):
        ADMITTED = "admitted", _("Admis académique")
        ELIMINATED = "eliminated", _("Éliminé (note éliminatoire ou absence)")
        BELOW_LIST = "below_list", _("Non retenu sur la liste")

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="academic_decision",
        verbose_name=_("dossier"),
    )
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    score = models.DecimalField(_("moyenne pondérée"), max_digits=6, decimal_places=3, null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"))
    # Set once by the publication, when the candidate's email is owed (R6.4); never cleared.
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision de la liste académique")
        verbose_name_plural = _("décisions de la liste académique")

    def __str__(self) -> str:
        return f"{self.dossier_id} — {self.outcome}"


class ExamSettings(models.Model):
    """What staff set for a campaign's phase 2 beyond the campaign file: until when candidates
    may ask for exam accommodations (R10.4)."""

    campaign = models.OneToOneField(
        "campaigns.Campaign",
        on_delete=models.CASCADE,
        related_name="exam_settings",
        verbose_name=_("campagne"),
    )
    # None: requests are taken until the exams start.
    accommodations_close_at = models.DateTimeField(
        _("demandes d'aménagement jusqu'au"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("réglages des épreuves")
        verbose_name_plural = _("réglages des épreuves")

    def __str__(self) -> str:
        return f"{self.campaign_id}"
