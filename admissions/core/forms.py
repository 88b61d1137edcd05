"""How forms are written into pages: django-dsfr's markup, compiled by Jinja2.

Rendering the fields of a dossier page through Django's template language cost about 40 % of
the page (one template per field, per widget and per attribute list). The same templates,
compiled to Python by Jinja2, cost a fraction of that. The field snippets and widget overrides
of django-dsfr are copied to ``core/jinja2/`` (their markup unchanged); Django ships the Jinja2
versions of its own widgets. Any other template (the admin's widgets, django-dsfr's rarer
snippets) is still rendered by Django's template language.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.template.backends.jinja2 import Jinja2
from django.utils.functional import cached_property
from dsfr.forms import DsfrDjangoTemplates
from dsfr.templatetags.dsfr_tags import dsfr_mark_optionnal_fields
from dsfr.utils import dsfr_input_class_attr
from jinja2 import Environment

HERE = Path(__file__).resolve().parent
DJANGO_JINJA2 = Path(django.forms.__file__).resolve().parent / "jinja2"

# Templates the Jinja2 engine has: Django's widget and error templates, django-dsfr's overrides
# of some of them, and django-dsfr's field snippets that were copied.
JINJA2_PREFIXES = ("django/forms/widgets/", "django/forms/errors/")
JINJA2_SNIPPETS = frozenset(
    f"dsfr/form_field_snippets/{name}.html"
    for name in (
        "input_snippet",
        "radioselect_snippet",
        "checkbox_snippet",
        "checkboxselectmultiple_snippet",
    )
)


def environment(**options) -> Environment:
    env = Environment(**options)  # noqa: S701 - Django's Jinja2 backend turns autoescape on
    env.globals.update(
        dsfr_mark_optionnal_fields=dsfr_mark_optionnal_fields,
        dsfr_input_class_attr=dsfr_input_class_attr,
    )
    return env


class PageFormRenderer(DsfrDjangoTemplates):
    """django-dsfr's form renderer, with the templates above compiled by Jinja2."""

    @cached_property
    def jinja2(self) -> Jinja2:
        return Jinja2(
            {
                "APP_DIRS": False,
                "DIRS": [HERE / "jinja2", DJANGO_JINJA2],
                "NAME": "djangoforms-jinja2",
                "OPTIONS": {"environment": "admissions.core.forms.environment"},
            }
        )

    def get_template(self, template_name: str):
        if template_name in JINJA2_SNIPPETS or template_name.startswith(JINJA2_PREFIXES):
            return self.jinja2.get_template(template_name)
        return super().get_template(template_name)
