"""Forms are rendered with django-dsfr's markup; its field templates run on Jinja2 (core/forms.py).

The Jinja2 copies must write what django-dsfr's own templates write: the comparison below fails
when an upgrade of django-dsfr changes a template that was copied."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.backends.jinja2 import Template as Jinja2Template
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates

from admissions.core.forms import PageFormRenderer
from admissions.dossiers.forms import IdentityForm


class EveryKindForm(DsfrBaseForm):
    name = forms.CharField(label="Nom d'usage", help_text="Comme sur la pièce d'identité")
    email = forms.EmailField(label="Courriel", required=False)
    birth = forms.DateField(label="Naissance")
    years = forms.IntegerField(label="Années", min_value=0)
    letter = forms.CharField(label="Lettre", widget=forms.Textarea)
    civility = forms.ChoiceField(
        label="Civilité", choices=[("mme", "Madame"), ("m", "Monsieur")], widget=forms.RadioSelect
    )
    options = forms.MultipleChoiceField(
        label="Options", choices=[("a", "A & B"), ("c", "C")], widget=forms.CheckboxSelectMultiple
    )
    agreed = forms.BooleanField(label="J'accepte")
    level = forms.ChoiceField(label="Niveau", choices=[("1", "Un"), ("2", "Deux")])


def normalized(html: str) -> str:
    html = html.replace("&#39;", "&#x27;")  # Jinja2 and Django escape an apostrophe differently
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize(
    "data", [None, {"name": "", "years": "-1", "civility": "x", "options": ["z"]}]
)
def test_the_jinja2_copies_write_what_django_dsfr_writes(data):
    jinja2 = EveryKindForm(data, renderer=PageFormRenderer())
    original = EveryKindForm(data, renderer=DsfrDjangoTemplates())

    assert normalized(str(jinja2)) == normalized(str(original))


def test_field_and_widget_templates_are_compiled_by_jinja2():
    renderer = PageFormRenderer()

    for name in (
        "dsfr/form_field_snippets/input_snippet.html",
        "django/forms/widgets/radio_option.html",
        "django/forms/errors/list/ul.html",
    ):
        assert isinstance(renderer.get_template(name), Jinja2Template)
    assert not isinstance(renderer.get_template("dsfr/form_snippet.html"), Jinja2Template)


def test_an_invalid_field_is_marked_and_described_for_assistive_technology():
    form = IdentityForm({"birth_date": "31/02/2000"})

    html = normalized(str(form["birth_date"].as_field_group()))

    assert "fr-input-group--error" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_birth_date-desc-error"' in html
    assert (
        '<div id="id_birth_date-desc-error"><ul class="errorlist"><li class="fr-error-text">'
        in html
    )
