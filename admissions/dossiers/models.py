"""The candidate's application dossier (R3): its pages, its state and its submitted snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from admissions.rules import params
from admissions.rules.params import DiplomaType


class Dossier(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("En cours de saisie")
        SUBMITTED = "submitted", _("Déposé")

    class Civility(models.TextChoices):
        MADAM = "mme", _("Madame")
        SIR = "m", _("Monsieur")
        NONE = "x", _("Ne souhaite pas préciser")

    class StatusSought(models.TextChoices):
        # The rules' own enumeration (admissions.rules.params.StatusSought) gives the values.
        APPRENTICESHIP = params.StatusSought.APPRENTICESHIP.value, _("Apprentissage")
        CONTINUING_EDUCATION = (
            params.StatusSought.CONTINUING_EDUCATION.value,
            _("Formation continue diplômante"),
        )
        PROFESSIONALISATION = (
            params.StatusSought.PROFESSIONALISATION.value,
            _("Contrat de professionnalisation"),
        )

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="dossiers"
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers"
    )
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    state = models.CharField(_("état"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(_("créé le"))
    updated_at = models.DateTimeField(_("modifié le"))
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    snapshot = models.JSONField(_("instantané au dépôt"), null=True, blank=True, editable=False)

    # Identity and contact (R3.1)
    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=100, blank=True)
    nationality = models.CharField(_("nationalité"), max_length=2, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=20, blank=True)
    city = models.CharField(_("ville"), max_length=100, blank=True)
    country = models.CharField(_("pays de résidence"), max_length=2, blank=True)

    # Status sought (R3.1, R3.2)
    status_sought = models.CharField(
        _("statut visé"), max_length=40, choices=StatusSought.choices, blank=True
    )
    technician_experience_years = models.DecimalField(
        _("années d'expérience comme technicien supérieur"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    employer_agreement = models.BooleanField(_("accord de l'employeur"), default=False)
    legal_age_exemption = models.BooleanField(
        _("dérogation légale à la limite d'âge (enregistrée par le service)"), default=False
    )

    # Formations sought (R3.1)
    notice_acknowledged_at = models.DateTimeField(_("notice acceptée le"), null=True, blank=True)

    # Fees (R3.6)
    scholarship_claimed = models.BooleanField(_("boursier (tarif réduit demandé)"), default=False)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "candidate"], name="one_dossier_per_candidate_and_campaign"
            )
        ]
        # The check queue's orders and filters (verification/filters.py, tables.py): a page of
        # 50 reads 50 index entries, however many dossiers the campaign holds (issue 11).
        indexes = [
            models.Index(
                fields=["campaign", "submitted_at", "reference"], name="dossier_queue_submitted"
            ),
            models.Index(fields=["campaign", "last_name", "first_name"], name="dossier_queue_name"),
            models.Index(fields=["campaign", "state"], name="dossier_queue_state"),
            models.Index(fields=["campaign", "status_sought"], name="dossier_queue_status"),
            # The next dossier to check (verification.selectors.next_dossier_to_check).
            models.Index(
                fields=["submitted_at", "id"],
                condition=models.Q(state="submitted"),
                name="dossier_to_check_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_submitted(self) -> bool:
        return self.state != self.State.DRAFT

    @property
    def needs_school_follow_up(self) -> bool:
        """Professionalisation contracts are handled by the school's admissions office (R3.1)."""
        return self.status_sought == self.StatusSought.PROFESSIONALISATION

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class FormationChoice(models.Model):
    """A formation ("option" of a programme) the candidate applies for, in order of preference."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey("campaigns.Option", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rang"))

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "option"], name="one_choice_per_option"),
            models.UniqueConstraint(fields=["dossier", "rank"], name="one_choice_per_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.rank} {self.option}"


class Diploma(models.Model):
    """One line of the education history (R3.1, R3.2)."""

    class Type(models.TextChoices):
        BAC = DiplomaType.BAC.value, _("Baccalauréat")
        BTS = DiplomaType.BTS.value, _("BTS")
        DUT = DiplomaType.DUT.value, _("DUT")
        L2 = DiplomaType.L2.value, _("L2 validée")
        ATS = DiplomaType.ATS.value, _("Classe préparatoire ATS")
        L3 = DiplomaType.L3.value, _("L3")
        FOREIGN = DiplomaType.FOREIGN.value, _("Diplôme étranger")
        OTHER = DiplomaType.OTHER.value, _("Autre")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="diplomas")
    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    speciality = models.CharField(_("spécialité"), max_length=150)
    scientific_or_technical = models.BooleanField(
        _("spécialité scientifique ou technique"), default=True
    )
    institution = models.CharField(_("établissement"), max_length=150, blank=True)
    country = models.CharField(_("pays"), max_length=2, default="FR")
    year = models.PositiveSmallIntegerField(_("année"))
    obtained_on = models.DateField(_("obtenu le"), null=True, blank=True)
    expected_on = models.DateField(_("obtention prévue le"), null=True, blank=True)

    class Meta:
        ordering = ["year", "pk"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.speciality} ({self.year})"


class Experience(models.Model):
    """One professional experience (R3.1), counted for formation continue (R3.2)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="experiences")
    employer = models.CharField(_("employeur"), max_length=150)
    position = models.CharField(_("fonction"), max_length=150)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    higher_technician = models.BooleanField(_("fonction de technicien supérieur"), default=False)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.position} — {self.employer}"


class DossierReminder(models.Model):
    """A reminder sent to a candidate whose dossier was not submitted (R10.2); one per stage."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("étape"), max_length=20)
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "stage"], name="one_reminder_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.stage}"
