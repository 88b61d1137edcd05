"""The staff accounts pages (issue 11): platform administrators manage staff accounts and their
roles from the platform, not only from /admin/. Thin views: parse, call one service, show.

Accounts are reached through ``selectors.staff_accounts_visible_to``: a candidate's account, or
a staff account outside the administrator's schools, answers 404 whatever the identifier.
Destructive actions (revoke, deactivate, reset the second factor) show a confirmation page on
GET and act on POST only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from admissions.accounts import selectors, services
from admissions.accounts.emails import queue_staff_invitation
from admissions.accounts.forms import GrantForm, InviteForm, StaffFilterForm
from admissions.accounts.models import RoleGrant, User
from admissions.core import clock
from admissions.core.access import PLATFORM_ADMIN, require_access
from admissions.core.requests import SignedInRequest

PAGE_SIZE = 50


def visible_account(request: SignedInRequest, pk: int) -> User:
    user = selectors.staff_accounts_visible_to(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def second_factor_count(user: User) -> int:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).count()


@require_access(PLATFORM_ADMIN)
def staff_list(request: SignedInRequest) -> HttpResponse:
    """Staff accounts with their roles, filtered by role, school, state and a search."""
    form = StaffFilterForm(request.GET or None, admin=request.user)
    accounts = selectors.filtered_staff_accounts(request.user, form.filters())
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/staff_list.html",
        {
            "page_title": _("Comptes du personnel"),
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_access(PLATFORM_ADMIN)
def invite(request: SignedInRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        role, school = form.grant()
        try:
            user = services.invite_staff(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=form.cleaned_data["language"] or "fr",
                role=role,
                school=school,
                by=request.user,
                now=clock.now(),
                send_email=queue_staff_invitation,
            )
        except services.StaffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Compte créé ; l'invitation est envoyée à %(email)s.") % {"email": user.email},
            )
            return redirect("accounts:staff_detail", pk=user.pk)
    return render(
        request,
        "accounts/staff_invite.html",
        {"page_title": _("Inviter un membre du personnel"), "form": form},
    )


@require_access(PLATFORM_ADMIN)
def staff_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """One account: its roles (each with its revoke link), a form to add one, its state."""
    user = visible_account(request, pk)
    return render_detail(request, user, GrantForm(admin=request.user))


def render_detail(request: SignedInRequest, user: User, form: GrantForm) -> HttpResponse:
    grants = [
        {"grant": grant, "manageable": selectors.can_manage_grant(request.user, grant)}
        for grant in user.role_grants.all()
    ]
    return render(
        request,
        "accounts/staff_detail.html",
        {
            "page_title": str(user),
            "account": user,
            "grants": grants,
            "form": form,
            "manageable": selectors.can_manage_account(request.user, user),
            "is_self": user.pk == request.user.pk,
            "second_factors": second_factor_count(user),
            "password_set": user.has_usable_password(),
        },
    )


@require_access(PLATFORM_ADMIN)
@require_POST
def add_grant(request: SignedInRequest, pk: int) -> HttpResponse:
    user = visible_account(request, pk)
    form = GrantForm(request.POST, admin=request.user)
    if form.is_valid():
        role, school = form.grant()
        try:
            services.grant_role(
                user=user, role=role, school=school, by=request.user, now=clock.now()
            )
        except services.StaffError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Rôle attribué."))
            return redirect("accounts:staff_detail", pk=user.pk)
    return render_detail(request, user, form)


def act_then_back(request: SignedInRequest, user: User, act: Callable[[], str]) -> HttpResponse:
    """Run ``act()`` (a service call returning its success message), show its message or the
    service's refusal, and go back to the account's page."""
    try:
        done = act()
    except services.StaffError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("accounts:staff_detail", pk=user.pk)


def confirm_or_act(
    request: SignedInRequest,
    user: User,
    *,
    title: str,
    question: str,
    button: str,
    act: Callable[[], str],
) -> HttpResponse:
    """GET: the confirmation page; POST: ``act()``, its message, back to the account."""
    if request.method == "POST":
        return act_then_back(request, user, act)
    return render(
        request,
        "accounts/staff_confirm.html",
        {"page_title": title, "account": user, "question": question, "button": button},
    )


@require_access(PLATFORM_ADMIN)
def revoke_grant(request: SignedInRequest, pk: int, grant_pk: int) -> HttpResponse:
    user = visible_account(request, pk)
    grant = RoleGrant.objects.filter(pk=grant_pk, user=user).select_related("school").first()
    if grant is None:
        if request.method == "POST":  # revoked meanwhile (another tab, a double click)
            messages.error(request, _("Ce rôle a déjà été retiré."))
            return redirect("accounts:staff_detail", pk=user.pk)
        raise Http404
    school = grant.school.name if grant.school else _("toutes les écoles")

    def act() -> str:
        services.revoke_grant(grant_id=grant_pk, user=user, by=request.user, now=clock.now())
        return _("Rôle retiré.")

    return confirm_or_act(
        request,
        user,
        title=_("Retirer un rôle"),
        question=_("Retirer le rôle « %(role)s » (%(school)s) au compte %(email)s ?")
        % {"role": grant.get_role_display(), "school": school, "email": user.email},
        button=_("Retirer le rôle"),
        act=act,
    )


@require_access(PLATFORM_ADMIN)
def deactivate(request: SignedInRequest, pk: int) -> HttpResponse:
    user = visible_account(request, pk)

    def act() -> str:
        services.set_active(user=user, active=False, by=request.user, now=clock.now())
        return _("Compte désactivé.")

    return confirm_or_act(
        request,
        user,
        title=_("Désactiver un compte"),
        question=_(
            "Désactiver le compte %(email)s ? Il ne pourra plus se connecter et ses sessions "
            "ouvertes prennent fin ; ses rôles sont conservés pour une réactivation."
        )
        % {"email": user.email},
        button=_("Désactiver le compte"),
        act=act,
    )


@require_access(PLATFORM_ADMIN)
@require_POST
def reactivate(request: SignedInRequest, pk: int) -> HttpResponse:
    user = visible_account(request, pk)

    def act() -> str:
        services.set_active(user=user, active=True, by=request.user, now=clock.now())
        return _("Compte réactivé.")

    return act_then_back(request, user, act)


@require_access(PLATFORM_ADMIN)
def reset_second_factor(request: SignedInRequest, pk: int) -> HttpResponse:
    user = visible_account(request, pk)

    def act() -> str:
        services.reset_second_factor(user=user, by=request.user, now=clock.now())
        return _(
            "Second facteur réinitialisé : le compte en configurera un nouveau à sa prochaine "
            "connexion."
        )

    return confirm_or_act(
        request,
        user,
        title=_("Réinitialiser le second facteur"),
        question=_(
            "Supprimer le second facteur (application d'authentification, codes de secours) du "
            "compte %(email)s ? À sa prochaine connexion, il devra en configurer un nouveau."
        )
        % {"email": user.email},
        button=_("Réinitialiser le second facteur"),
        act=act,
    )


@require_access(PLATFORM_ADMIN)
@require_POST
def send_invitation_again(request: SignedInRequest, pk: int) -> HttpResponse:
    user = visible_account(request, pk)

    def act() -> str:
        services.send_invitation_again(
            user=user, by=request.user, now=clock.now(), send_email=queue_staff_invitation
        )
        return _("Nouvelle invitation envoyée à %(email)s.") % {"email": user.email}

    return act_then_back(request, user, act)
