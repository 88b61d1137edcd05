"""People: one account model, identified by email, and the roles of R2.2 granted to it."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of R2.2 held by accounts. Referees and company contacts have no account: a link."""

    CANDIDATE = "candidate", _("Candidat")
    CENTRAL_OFFICER = "central_officer", _("Gestionnaire du service Dossier commun")
    SCHOOL_OFFICER = "school_officer", _("Chargé des admissions de l'école")
    COMMITTEE_MEMBER = "committee_member", _("Membre de la commission")
    JURY_MEMBER = "jury_member", _("Membre de jury ou examinateur d'anglais")
    PLATFORM_ADMIN = "platform_admin", _("Administrateur de la plateforme")


STAFF_ROLES = frozenset(Role) - {Role.CANDIDATE}


class Language(models.TextChoices):
    """The languages of the interface and of the emails (settings.LANGUAGES)."""

    FR = "fr", "Français"
    EN = "en", "English"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        user = self.create_user(email, password, **extra)
        RoleGrant.objects.get_or_create(user=user, role=Role.PLATFORM_ADMIN, school=None)
        return user


class User(AbstractUser):
    # django-stubs types AbstractUser.username as str; None removes the field (Django's
    # documented way for an email login), which the stubs cannot express.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse électronique"), unique=True)
    # The language the account last used the platform in: its emails are written in it (R8.2).
    # Set at sign-up, at each login and when the language is switched (accounts/languages.py).
    language = models.CharField(
        _("langue"), max_length=5, choices=Language.choices, default=Language.FR
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs pin AbstractUser.objects to auth's UserManager (username first); an email login
    # needs a BaseUserManager of its own, as Django's docs on custom users show.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def __str__(self) -> str:
        return self.email

    def grants(self) -> frozenset[tuple[str, int | None]]:
        """(role, school id or None for every school) of each grant this account holds; a
        superuser administers every school. Cached on the instance for the request's lifetime."""
        if not hasattr(self, "_grants"):
            # holds_grants: read with the account by accounts/backends.py (no query when False)
            holds_grants = getattr(self, "holds_grants", True)
            granted: set[tuple[str, int | None]] = (
                set(self.role_grants.values_list("role", "school_id")) if holds_grants else set()
            )
            if self.is_superuser:
                granted.add((Role.PLATFORM_ADMIN, None))
            self._grants = frozenset(granted)
        return self._grants

    def roles(self) -> frozenset[str]:
        """The roles this account holds, whatever the school; an account without a staff grant
        is a candidate."""
        return frozenset(role for role, _school in self.grants()) or frozenset({Role.CANDIDATE})

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles() & STAFF_ROLES)


class RoleGrant(models.Model):
    """A staff role held by an account, for one school or (school empty) for all (R2.2, R9.2)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        "campaigns.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
        help_text=_("Vide : toutes les écoles (service central, administrateur)."),
    )

    class Meta:
        verbose_name = _("rôle attribué")
        verbose_name_plural = _("rôles attribués")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "school"], name="one_grant_per_role_and_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"
