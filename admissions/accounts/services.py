"""Managing staff accounts from the platform (issue 11, R2.2, R9.2): invite, grant, revoke,
deactivate, reactivate, reset the second factor. Each action locks the account's row, checks,
writes, and records an audit entry on the account (``accounts.user``).

Who may manage whom (``accounts/selectors.py``, ``manager_scope``): an administrator whose
grant covers every school manages every staff account and may grant any role anywhere; an
administrator whose grant names a school manages the grants for that school only, and an
account only if every grant it holds is for that school (so a school's administrator cannot
lock out a central officer who also works for the school).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from admissions.accounts.languages import supported_language
from admissions.accounts.models import STAFF_ROLES, Language, Role, RoleGrant, User
from admissions.accounts.scope import SchoolScope
from admissions.accounts.selectors import (
    can_manage_account,
    can_manage_grant,
    can_see_account,
    manager_scope,
)
from admissions.audit.services import record
from admissions.campaigns.models import School


class StaffError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


# Roles a school's own staff hold: its admissions officer, its committee, its juries see its
# dossiers only (R9.2); "every school" is for the central service and the administrators.
SCHOOL_BOUND_ROLES = frozenset({Role.SCHOOL_OFFICER, Role.COMMITTEE_MEMBER, Role.JURY_MEMBER})


def _check_grant_allowed(scope: SchoolScope, role: str, school: School | None) -> None:
    if role not in STAFF_ROLES:
        raise StaffError(_("Choisissez un rôle du personnel."))
    if school is None and role in SCHOOL_BOUND_ROLES:
        raise StaffError(
            _(
                "Ce rôle s'exerce dans une école : choisissez-la (« Toutes les écoles » est "
                "réservé au service central et aux administrateurs)."
            )
        )
    if not scope.everywhere and (school is None or not scope.includes(school.pk)):
        raise StaffError(_("Vous ne gérez que les rôles de votre école : choisissez-la."))


def _grant_label(role: str, school: School | None) -> dict[str, str | int | None]:
    return {"role": role, "school": school.code if school else None}


def invite_staff(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    school: School | None,
    by: User,
    now: datetime,
    send_email,
    language: str = Language.FR,
) -> User:
    """Create a staff account with no usable password, grant it ``role`` for ``school`` (None:
    every school) and email it a link to choose its password, in ``language`` (the account's
    language from then on).

    ``send_email(user)`` queues the invitation in the outbox (inside this transaction, so a
    rollback sends nothing). Raises StaffError for an address already in use or a grant the
    administrator may not give. Side effects: account, verified email address, grant, audit
    entry "accounts.staff.invited", the invitation email."""
    from allauth.account.models import EmailAddress

    email = User.objects.normalize_email(email.strip()).lower()
    scope = manager_scope(by)
    _check_grant_allowed(scope, role, school)
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        if existing is not None:
            if existing.is_staff_member:
                raise StaffError(
                    _(
                        "Un compte du personnel existe déjà pour %(email)s : ouvrez-le pour lui "
                        "attribuer un rôle."
                    )
                    % {"email": email}
                )
            raise StaffError(
                _(
                    "L'adresse %(email)s est celle d'un compte candidat : invitez le membre du "
                    "personnel avec une autre adresse."
                )
                % {"email": email}
            )
        user = User.objects.create_user(
            email,
            None,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            language=supported_language(language) or Language.FR,
        )
        user.date_joined = now
        user.save(update_fields=["date_joined"])
        # The invitation goes to this address and its link is the only way in: whoever sets
        # the password has proved they read it.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        RoleGrant.objects.create(user=user, role=role, school=school)
        record(by, "accounts.staff.invited", user, data=_grant_label(role, school), at=now)
        send_email(user)
    return user


def send_invitation_again(*, user: User, by: User, now: datetime, send_email) -> None:
    """A new password-setting link for an account that never set its password (the first one
    expired or got lost). Side effects: the email; audit entry "accounts.staff.reinvited"."""
    with transaction.atomic():
        user = _locked(user)
        if not can_manage_account(by, user):
            raise StaffError(_("Vous ne gérez pas ce compte."))
        if user.has_usable_password():
            raise StaffError(
                _(
                    "Ce compte a déjà choisi son mot de passe : il peut le réinitialiser depuis "
                    "la page de connexion."
                )
            )
        if not user.is_active:
            raise StaffError(_("Ce compte est désactivé : réactivez-le d'abord."))
        record(by, "accounts.staff.reinvited", user, at=now)
        send_email(user)


def grant_role(
    *, user: User, role: str, school: School | None, by: User, now: datetime
) -> RoleGrant:
    """Give ``user`` the ``role`` for ``school`` (None: every school). Raises StaffError for a
    grant the administrator may not give or one the account already holds.
    Side effects: audit entry "accounts.grant.added"."""
    _check_grant_allowed(manager_scope(by), role, school)
    with transaction.atomic():
        user = _locked(user)
        if not can_see_account(by, user):
            raise StaffError(_("Vous ne gérez pas ce compte."))
        if RoleGrant.objects.filter(user=user, role=role, school=school).exists():
            raise StaffError(
                _("Ce compte a déjà ce rôle pour %(school)s.")
                % {"school": school.name if school else _("toutes les écoles")}
            )
        grant = RoleGrant.objects.create(user=user, role=role, school=school)
        record(by, "accounts.grant.added", user, data=_grant_label(role, school), at=now)
    return grant


def revoke_grant(*, grant_id: int, user: User, by: User, now: datetime) -> None:
    """Take a role away. Refused for the account's last role (deactivate it instead: the
    account stays listed) and for one's own last platform administration role.
    Side effects: audit entry "accounts.grant.revoked"."""
    with transaction.atomic():
        user = _locked(user)
        grant = RoleGrant.objects.filter(pk=grant_id, user=user).select_related("school").first()
        if grant is None:
            raise StaffError(_("Ce rôle a déjà été retiré."))
        if not (can_see_account(by, user) and can_manage_grant(by, grant)):
            raise StaffError(_("Vous ne gérez pas ce rôle."))
        others = RoleGrant.objects.filter(user=user).exclude(pk=grant.pk)
        if not others.exists():
            raise StaffError(
                _(
                    "C'est le dernier rôle de ce compte : désactivez le compte plutôt que de lui "
                    "retirer tous ses rôles."
                )
            )
        if (
            user.pk == by.pk
            and grant.role == Role.PLATFORM_ADMIN
            and not user.is_superuser
            and not others.filter(role=Role.PLATFORM_ADMIN).exists()
        ):
            raise StaffError(
                _(
                    "Vous ne pouvez pas retirer votre propre et dernier rôle d'administrateur : "
                    "un autre administrateur doit le faire."
                )
            )
        data = _grant_label(grant.role, grant.school)
        grant.delete()
        record(by, "accounts.grant.revoked", user, data=data, at=now)


def set_active(*, user: User, active: bool, by: User, now: datetime) -> User:
    """Deactivate (no login, open sessions end at their next request) or reactivate an account.
    Refused for oneself. Side effects: audit entry "accounts.account.deactivated" or
    "accounts.account.reactivated" (nothing when the account is already in that state)."""
    with transaction.atomic():
        user = _locked(user)
        if not can_manage_account(by, user):
            raise StaffError(_("Vous ne gérez pas ce compte."))
        if user.pk == by.pk:
            raise StaffError(_("Vous ne pouvez pas désactiver votre propre compte."))
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "accounts.account.reactivated" if active else "accounts.account.deactivated"
        record(by, action, user, at=now)
    return user


def reset_second_factor(*, user: User, by: User, now: datetime) -> int:
    """Delete the account's second factor (authenticator app, recovery codes): at its next
    login it sets up a new one before any staff page (R2.2). Refused for oneself (the account's
    own security page does that). Returns how many authenticators were removed.
    Side effects: audit entry "accounts.mfa.reset" with that count."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        user = _locked(user)
        if not can_manage_account(by, user):
            raise StaffError(_("Vous ne gérez pas ce compte."))
        if user.pk == by.pk:
            raise StaffError(
                _(
                    "Réinitialisez votre propre second facteur depuis la page de sécurité de "
                    "votre compte."
                )
            )
        removed, _by_model = Authenticator.objects.filter(user=user).delete()
        record(by, "accounts.mfa.reset", user, data={"authenticators": removed}, at=now)
    return removed
