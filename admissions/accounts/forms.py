"""Forms of the staff accounts pages: the shape of the input; the services check the rest."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from admissions.accounts.models import STAFF_ROLES, Language, Role, User
from admissions.accounts.selectors import StaffFilters, manageable_schools, manager_scope
from admissions.campaigns.models import School

EVERY_SCHOOL = "all"


def staff_role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(role.label)) for role in Role if role in STAFF_ROLES]


class SchoolChoiceMixin:
    """A ``school`` field listing the schools the administrator manages, and "every school"
    for an administrator whose grant covers them all."""

    fields: dict[str, forms.Field]

    def set_school_choices(self, admin: User, *, blank_label: str | None) -> None:
        choices: list[tuple[str, str]] = []
        if blank_label is not None:
            choices.append(("", blank_label))
        if manager_scope(admin).everywhere:
            choices.append((EVERY_SCHOOL, str(_("Toutes les écoles"))))
        choices += [(str(school.pk), school.name) for school in manageable_schools(admin)]
        cast(forms.ChoiceField, self.fields["school"]).choices = choices
        self._schools = {str(school.pk): school for school in manageable_schools(admin)}

    def school_value(self, value: str) -> School | None:
        return self._schools.get(value)


class GrantForm(SchoolChoiceMixin, DsfrBaseForm):
    role = forms.ChoiceField(
        label=_("Rôle"),
        error_messages={
            "required": _("Choisissez un rôle."),
            "invalid_choice": _("Choisissez un rôle de la liste."),
        },
    )
    school = forms.ChoiceField(
        label=_("École"),
        help_text=_("« Toutes les écoles » : service central ou administrateur de la plateforme."),
        error_messages={
            "required": _("Choisissez une école."),
            "invalid_choice": _("Choisissez une école de la liste."),
        },
    )

    def __init__(self, *args, admin: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = staff_role_choices()
        self.set_school_choices(admin, blank_label=None)

    def grant(self) -> tuple[str, School | None]:
        return self.cleaned_data["role"], self.school_value(self.cleaned_data["school"])


class InviteForm(GrantForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        error_messages={
            "required": _("Indiquez l'adresse électronique du membre du personnel."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr."),
        },
    )
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    # The invitation is written in the invitee's language, not the administrator's page's.
    language = forms.ChoiceField(
        label=_("Langue des courriels"),
        help_text=_("L'invitation et les courriels suivants sont écrits dans cette langue."),
        choices=Language.choices,
        initial=Language.FR,
        required=False,  # left out: French, the platform's language
        error_messages={"invalid_choice": _("Choisissez une langue de la liste.")},
    )

    field_order = ["email", "first_name", "last_name", "language", "role", "school"]


class StaffFilterForm(SchoolChoiceMixin, DsfrBaseForm):
    """The list's filters, read from the query string; a wrong value is ignored, not an error."""

    search = forms.CharField(label=_("Rechercher (nom ou adresse)"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("Rôle"), required=False)
    school = forms.ChoiceField(label=_("École"), required=False)
    active = forms.ChoiceField(
        label=_("État du compte"),
        required=False,
        choices=[("", _("Tous")), ("yes", _("Actifs")), ("no", _("Désactivés"))],
    )

    def __init__(self, *args, admin: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            ("", _("Tous les rôles")),
            *staff_role_choices(),
        ]
        self.set_school_choices(admin, blank_label=str(_("Toutes")))

    def filters(self) -> StaffFilters:
        if not self.is_valid():
            return StaffFilters()
        data = self.cleaned_data
        return StaffFilters(
            role=data["role"],
            school=self.school_value(data["school"]),
            everywhere=data["school"] == EVERY_SCHOOL,
            active={"yes": True, "no": False}.get(data["active"]),
            search=data["search"].strip(),
        )
