"""The dossier forms' widgets, outside any page."""

from __future__ import annotations

from admissions.dossiers.forms import CountryField, FastSelect


def test_country_select_subwidgets_are_its_options() -> None:
    # FastSelect once kept its (value, label) callable in ``self.options``, hiding
    # ChoiceWidget.options(), which subwidgets() calls: iterating the field crashed.
    widget = CountryField().widget
    assert isinstance(widget, FastSelect)
    options = list(widget.subwidgets("country", "FR"))
    assert [option["value"] for option in options if option["selected"]] == ["FR"]


def test_country_select_renders_the_chosen_country_selected() -> None:
    html = CountryField().widget.render("country", "FR")
    assert html.count(" selected>") == 1
    assert '<option value="FR" selected>' in html
