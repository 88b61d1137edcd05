"""Issue 11: platform administrators manage staff accounts and their roles from the platform.

Each action is a service with an audit entry; the pages never list a candidate; an
administrator whose grant names a school manages that school's grants only."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation

from admissions.accounts import services
from admissions.accounts.emails import queue_staff_invitation
from admissions.accounts.models import Role, RoleGrant, User
from admissions.audit.models import AuditEntry
from admissions.campaigns.models import School
from admissions.notifications.models import OutboundEmail
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

NOW = datetime(2021, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _no_delivery(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def admin(accounts_by_role):
    return accounts_by_role["platform_admin"]


@pytest.fixture
def school(reference_campaign):
    return reference_campaign.school


@pytest.fixture
def other_school(db):
    return School.objects.create(code="other-school", name="Autre école", short_name="Autre")


@pytest.fixture
def school_admin(school):
    user = User.objects.create_user("school-admin@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=user, role=Role.PLATFORM_ADMIN, school=school)
    return user


@pytest.fixture
def other_school_officer(other_school):
    user = User.objects.create_user("other-officer@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=user, role=Role.SCHOOL_OFFICER, school=other_school)
    return user


def actions_on(user: User) -> list[str]:
    return list(AuditEntry.objects.for_object(user).values_list("action", flat=True))


def invite(by, email="new.officer@example.org", role=Role.SCHOOL_OFFICER, school=None):
    return services.invite_staff(
        email=email,
        first_name="Alix",
        last_name="Durand",
        role=role,
        school=school,
        by=by,
        now=NOW,
        send_email=queue_staff_invitation,
    )


# --- The list ------------------------------------------------------------------------------


def test_list_shows_staff_and_never_candidates(client, admin, accounts_by_role):
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_list"))

    emails = [account.email for account in response.context["page"]]
    assert response.status_code == 200
    assert "candidate@example.org" not in emails
    assert sorted(emails) == sorted(
        user.email for role, user in accounts_by_role.items() if role != "candidate"
    )


def test_list_filters_by_role_and_school(client, admin, school, accounts_by_role):
    client.force_login(admin)

    response = client.get(
        reverse("accounts:staff_list"), {"role": Role.COMMITTEE_MEMBER, "school": school.pk}
    )

    assert [account.email for account in response.context["page"]] == [
        "committee_member@example.org"
    ]


def test_list_filters_every_school_grants_and_search(client, admin):
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_list"), {"school": "all", "search": "central"})

    assert [account.email for account in response.context["page"]] == [
        "central_officer@example.org"
    ]


def test_list_filters_deactivated_accounts(client, admin, accounts_by_role):
    services.set_active(user=accounts_by_role["jury_member"], active=False, by=admin, now=NOW)
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_list"), {"active": "no"})

    assert [account.email for account in response.context["page"]] == ["jury_member@example.org"]


def test_list_with_a_wrong_filter_value_shows_every_account_and_no_500(client, admin):
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_list"), {"role": "candidate", "page": "x"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5


@pytest.mark.parametrize("extra", [0, 2])
def test_list_costs_the_same_queries_for_1_and_3_more_accounts(
    client, admin, school, django_assert_num_queries, extra
):
    for number in range(extra):
        user = User.objects.create_user(f"more{number}@example.org", "a-long-password-1")
        RoleGrant.objects.create(user=user, role=Role.JURY_MEMBER, school=school)
    client.force_login(admin)
    client.get(reverse("accounts:staff_list"))  # session and caches warm

    with django_assert_num_queries(9):
        client.get(reverse("accounts:staff_list"))


def test_school_admin_sees_only_accounts_with_a_grant_at_the_school(
    client, school_admin, other_school_officer, accounts_by_role
):
    client.force_login(school_admin)

    response = client.get(reverse("accounts:staff_list"))
    emails = {account.email for account in response.context["page"]}

    assert emails == {
        "school-admin@example.org",
        "school_officer@example.org",
        "committee_member@example.org",
        "jury_member@example.org",
    }
    assert (
        client.get(reverse("accounts:staff_detail", args=[other_school_officer.pk])).status_code
        == 404
    )


def test_candidate_account_page_answers_404(client, admin, accounts_by_role):
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_detail", args=[accounts_by_role["candidate"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "role", ["candidate", "central_officer", "school_officer", "committee_member", "jury_member"]
)
def test_pages_refuse_every_role_but_the_administrator(client, accounts_by_role, role):
    client.force_login(accounts_by_role[role])

    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.get(reverse("accounts:staff_invite")).status_code == 403


# --- Inviting --------------------------------------------------------------------------------


def test_invite_creates_an_account_without_password_and_queues_the_invitation(admin, school):
    user = invite(admin, school=school)

    assert user.has_usable_password() is False
    assert list(user.role_grants.values_list("role", "school_id")) == [
        (Role.SCHOOL_OFFICER, school.pk)
    ]
    assert EmailAddress.objects.get(user=user).verified is True
    (email,) = OutboundEmail.objects.filter(recipient="new.officer@example.org")
    assert email.kind == OutboundEmail.Kind.ACCOUNT
    assert re.search(r"/accounts/password/reset/key/\w+-[\w-]+/", email.payload["body"])
    assert "Chargé des admissions de l'école" in email.payload["body"]
    assert actions_on(user) == ["accounts.staff.invited"]


def test_invitation_link_lets_the_new_account_set_its_password(client, admin, school):
    user = invite(admin, school=school)
    body = OutboundEmail.objects.get(recipient=user.email).payload["body"]
    path = re.search(r"(/accounts/password/reset/key/[^\s]+)", body).group(1)

    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "Un-mot-de-passe-solide-42", "password2": "Un-mot-de-passe-solide-42"},
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password("Un-mot-de-passe-solide-42") is True


def test_invite_page_creates_the_account_and_shows_it(client, admin, school):
    client.force_login(admin)

    response = client.post(
        reverse("accounts:staff_invite"),
        {"email": "Nouveau@Example.org", "role": Role.COMMITTEE_MEMBER, "school": school.pk},
    )

    user = User.objects.get(email="nouveau@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff_detail", args=[user.pk])


@pytest.mark.parametrize(
    ("page_language", "language", "subject", "roles"),
    [
        ("fr", "en", "Your account on the admissions platform", "Roles:"),
        ("en", "fr", "Votre compte sur la plateforme des admissions", "Rôles :"),
        ("en", "", "Votre compte sur la plateforme des admissions", "Rôles :"),
    ],
)
def test_invitation_is_written_in_the_invitees_language_not_the_administrators(
    client, admin, school, page_language, language, subject, roles
):
    client.force_login(admin)

    response = client.post(
        reverse("accounts:staff_invite"),
        {
            "email": "invitee@example.org",
            "role": Role.COMMITTEE_MEMBER,
            "school": school.pk,
            "language": language,
        },
        HTTP_ACCEPT_LANGUAGE=page_language,
    )

    email = OutboundEmail.objects.get(recipient="invitee@example.org")
    assert response.status_code == 302
    assert email.language == (language or "fr")
    assert email.payload["subject"].endswith(subject)
    assert roles in email.payload["body"]
    assert User.objects.get(email="invitee@example.org").language == (language or "fr")


def test_invitation_sent_again_keeps_the_invitees_language(admin, school):
    user = services.invite_staff(
        email="reinvited@example.org",
        first_name="",
        last_name="",
        role=Role.SCHOOL_OFFICER,
        school=school,
        by=admin,
        now=NOW,
        send_email=queue_staff_invitation,
        language="en",
    )

    services.send_invitation_again(user=user, by=admin, now=NOW, send_email=queue_staff_invitation)

    assert list(
        OutboundEmail.objects.filter(recipient=user.email).values_list("language", flat=True)
    ) == ["en", "en"]


def test_invite_page_offers_the_languages_french_first(client, admin):
    client.force_login(admin)

    response = client.get(reverse("accounts:staff_invite"), HTTP_ACCEPT_LANGUAGE="en")

    field = response.context["form"]["language"]
    assert [value for value, _label in field.field.choices] == ["fr", "en"]
    assert field.initial == "fr"
    assert 'for="id_language"' in response.content.decode()


def test_invite_refuses_an_address_of_a_staff_account(client, admin, school):
    client.force_login(admin)

    response = client.post(
        reverse("accounts:staff_invite"),
        {"email": "jury_member@example.org", "role": Role.JURY_MEMBER, "school": school.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Un compte du personnel existe déjà pour jury_member@example.org : ouvrez-le pour lui "
        "attribuer un rôle."
    ]


def test_invite_refuses_a_candidate_address_and_changes_nothing(admin, candidate, school):
    with pytest.raises(services.StaffError):
        invite(admin, email=candidate.email, school=school)

    assert candidate.role_grants.count() == 0


def test_invite_page_with_a_bad_address_says_so_in_english(client, admin, school):
    client.force_login(admin)

    with translation.override("en"):
        response = client.post(
            reverse("accounts:staff_invite"),
            {"email": "not-an-address", "role": Role.JURY_MEMBER, "school": school.pk},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        errors = list(response.context["form"].errors["email"])

    assert response.status_code == 200
    assert errors == ["Enter a valid email address, for example name@example.com."]


def test_school_admin_cannot_grant_every_school(school_admin):
    with pytest.raises(services.StaffError) as refused:
        invite(school_admin, role=Role.CENTRAL_OFFICER, school=None)

    assert refused.value.message == "Vous ne gérez que les rôles de votre école : choisissez-la."
    assert User.objects.filter(email="new.officer@example.org").count() == 0


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICER, Role.COMMITTEE_MEMBER, Role.JURY_MEMBER])
def test_a_schools_own_role_is_never_granted_for_every_school(client, admin, role):
    """A committee member of "every school" would read every school's dossiers (R9.2)."""
    client.force_login(admin)

    response = client.post(
        reverse("accounts:staff_invite"),
        {"email": "new.member@example.org", "role": role, "school": "all"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Ce rôle s'exerce dans une école : choisissez-la (« Toutes les écoles » est "
        "réservé au service central et aux administrateurs)."
    ]
    assert User.objects.filter(email="new.member@example.org").exists() is False


@pytest.mark.parametrize("role", [Role.CENTRAL_OFFICER, Role.PLATFORM_ADMIN])
def test_the_central_service_and_administrators_may_hold_every_school(admin, role):
    user = invite(admin, role=role, school=None)

    assert list(user.role_grants.values_list("role", "school")) == [(role, None)]


def test_school_admin_cannot_grant_another_school(school_admin, other_school):
    with pytest.raises(services.StaffError):
        invite(school_admin, school=other_school)


# --- Grants ----------------------------------------------------------------------------------


def test_grant_role_adds_it_with_an_audit_entry(admin, accounts_by_role, school):
    jury = accounts_by_role["jury_member"]

    services.grant_role(user=jury, role=Role.COMMITTEE_MEMBER, school=school, by=admin, now=NOW)

    assert set(jury.role_grants.values_list("role", flat=True)) == {
        Role.JURY_MEMBER,
        Role.COMMITTEE_MEMBER,
    }
    assert actions_on(jury) == ["accounts.grant.added"]


def test_duplicate_grant_gets_a_clear_message(client, admin, accounts_by_role, school):
    jury = accounts_by_role["jury_member"]
    client.force_login(admin)

    response = client.post(
        reverse("accounts:staff_add_grant", args=[jury.pk]),
        {"role": Role.JURY_MEMBER, "school": school.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Ce compte a déjà ce rôle pour {school.name}."
    ]
    assert jury.role_grants.count() == 1


def test_revoke_needs_confirmation_then_removes_the_grant(client, admin, accounts_by_role, school):
    jury = accounts_by_role["jury_member"]
    extra = RoleGrant.objects.create(user=jury, role=Role.COMMITTEE_MEMBER, school=school)
    client.force_login(admin)
    url = reverse("accounts:staff_revoke_grant", args=[jury.pk, extra.pk])

    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert jury.role_grants.count() == 2

    response = client.post(url)

    assert response.status_code == 302
    assert list(jury.role_grants.values_list("role", flat=True)) == [Role.JURY_MEMBER]
    assert actions_on(jury) == ["accounts.grant.revoked"]


def test_revoking_twice_says_it_is_already_done(client, admin, accounts_by_role, school):
    jury = accounts_by_role["jury_member"]
    extra = RoleGrant.objects.create(user=jury, role=Role.COMMITTEE_MEMBER, school=school)
    client.force_login(admin)
    url = reverse("accounts:staff_revoke_grant", args=[jury.pk, extra.pk])
    client.post(url, follow=True)

    response = client.post(url, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Ce rôle a déjà été retiré."]


def test_revoking_the_last_grant_of_an_account_is_refused(admin, accounts_by_role):
    jury = accounts_by_role["jury_member"]
    grant = jury.role_grants.get()

    with pytest.raises(services.StaffError):
        services.revoke_grant(grant_id=grant.pk, user=jury, by=admin, now=NOW)

    assert jury.role_grants.count() == 1


def test_revoking_ones_own_last_admin_grant_is_refused(admin, school):
    RoleGrant.objects.create(user=admin, role=Role.JURY_MEMBER, school=school)
    own = admin.role_grants.get(role=Role.PLATFORM_ADMIN)

    with pytest.raises(services.StaffError) as refused:
        services.revoke_grant(grant_id=own.pk, user=admin, by=admin, now=NOW)

    assert refused.value.message == (
        "Vous ne pouvez pas retirer votre propre et dernier rôle d'administrateur : "
        "un autre administrateur doit le faire."
    )
    assert admin.role_grants.filter(role=Role.PLATFORM_ADMIN).count() == 1


def test_school_admin_cannot_revoke_a_grant_of_another_school(
    school_admin, other_school_officer, school
):
    RoleGrant.objects.create(user=other_school_officer, role=Role.JURY_MEMBER, school=school)
    elsewhere = other_school_officer.role_grants.get(role=Role.SCHOOL_OFFICER)

    with pytest.raises(services.StaffError):
        services.revoke_grant(
            grant_id=elsewhere.pk, user=other_school_officer, by=school_admin, now=NOW
        )

    assert other_school_officer.role_grants.count() == 2


# --- Activation and second factor -------------------------------------------------------------


def test_deactivate_needs_confirmation_then_blocks_the_account(client, admin, accounts_by_role):
    jury = accounts_by_role["jury_member"]
    client.force_login(admin)
    url = reverse("accounts:staff_deactivate", args=[jury.pk])

    assert client.get(url).status_code == 200
    jury.refresh_from_db()
    assert jury.is_active is True

    client.post(url)

    jury.refresh_from_db()
    assert jury.is_active is False
    assert actions_on(jury) == ["accounts.account.deactivated"]


def test_deactivated_account_session_ends(client, admin, accounts_by_role):
    jury = accounts_by_role["jury_member"]
    client.force_login(jury)

    services.set_active(user=jury, active=False, by=admin, now=NOW)

    assert client.get(reverse("staff_home")).status_code == 302


def test_reactivate_restores_the_account(client, admin, accounts_by_role):
    jury = accounts_by_role["jury_member"]
    services.set_active(user=jury, active=False, by=admin, now=NOW)
    client.force_login(admin)

    client.post(reverse("accounts:staff_reactivate", args=[jury.pk]))

    jury.refresh_from_db()
    assert jury.is_active is True
    assert actions_on(jury) == ["accounts.account.deactivated", "accounts.account.reactivated"]


def test_deactivating_oneself_is_refused(client, admin):
    client.force_login(admin)

    response = client.post(reverse("accounts:staff_deactivate", args=[admin.pk]), follow=True)

    admin.refresh_from_db()
    assert admin.is_active is True
    assert [str(m) for m in response.context["messages"]] == [
        "Vous ne pouvez pas désactiver votre propre compte."
    ]


def test_school_admin_cannot_deactivate_an_account_with_a_grant_elsewhere(
    school_admin, accounts_by_role, school
):
    central = accounts_by_role["central_officer"]
    RoleGrant.objects.create(user=central, role=Role.JURY_MEMBER, school=school)

    with pytest.raises(services.StaffError):
        services.set_active(user=central, active=False, by=school_admin, now=NOW)

    central.refresh_from_db()
    assert central.is_active is True


def test_reset_second_factor_deletes_the_authenticators(client, admin, accounts_by_role):
    jury = accounts_by_role["jury_member"]
    Authenticator.objects.create(user=jury, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Authenticator.objects.create(
        user=jury, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "y"}
    )
    client.force_login(admin)
    url = reverse("accounts:staff_reset_mfa", args=[jury.pk])

    assert client.get(url).status_code == 200
    assert Authenticator.objects.filter(user=jury).count() == 2
    client.post(url)

    assert Authenticator.objects.filter(user=jury).count() == 0
    entry = AuditEntry.objects.for_object(jury).get()
    assert (entry.action, entry.data, entry.actor_id) == (
        "accounts.mfa.reset",
        {"authenticators": 2},
        admin.pk,
    )


def test_reset_own_second_factor_is_refused(admin):
    with pytest.raises(services.StaffError):
        services.reset_second_factor(user=admin, by=admin, now=NOW)


def test_send_invitation_again_only_before_the_password_is_set(admin, accounts_by_role, school):
    user = invite(admin, school=school)

    services.send_invitation_again(user=user, by=admin, now=NOW, send_email=queue_staff_invitation)

    assert OutboundEmail.objects.filter(recipient=user.email).count() == 2
    with pytest.raises(services.StaffError):
        services.send_invitation_again(
            user=accounts_by_role["jury_member"],
            by=admin,
            now=NOW,
            send_email=queue_staff_invitation,
        )


def test_detail_page_in_english(client, admin, accounts_by_role):
    client.force_login(admin)

    response = client.get(
        reverse("accounts:staff_detail", args=[accounts_by_role["jury_member"].pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert "Assign a role" in page_text(response)
