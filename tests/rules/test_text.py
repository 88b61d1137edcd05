"""The character rules of single-line fields, names and free text (issue 8, issue 10): no Django."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admissions.rules import text

letters = st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo"))
marks = st.characters(categories=("Mn", "Mc"))
name_parts = st.lists(
    st.one_of(
        st.builds(
            lambda letter, accents: letter + "".join(accents), letters, st.lists(marks, max_size=2)
        ),
        st.sampled_from([" ", "-", "'", "\u2019"]),
    ),
    min_size=1,
    max_size=12,
)
controls = st.characters(categories=("Cc", "Zl", "Zp"))
invisibles = st.characters(categories=("Cf",))
not_name = st.characters(
    categories=("Nd", "No", "So", "Sm", "Sc", "Sk", "Pc", "Pd", "Ps", "Pe", "Po")
).filter(lambda char: char not in text.NAME_PUNCTUATION)


@given(letters, name_parts)
def test_names_of_letters_spaces_hyphens_and_apostrophes_are_legal(first, parts):
    name = first + "".join(parts)

    assert text.name_faults(name) == ()
    assert text.is_legal_name(name) is True


@given(name_parts, st.one_of(controls, invisibles, not_name), name_parts)
def test_any_other_character_makes_a_name_illegal_and_is_named(before, intruder, after):
    name = "".join(before) + intruder + "".join(after)

    assert intruder in text.name_faults(name)
    assert text.is_legal_name(name) is False


@given(st.text(alphabet=st.sampled_from(" -'\u2019"), max_size=10))
def test_a_name_needs_a_letter(punctuation):
    assert text.is_legal_name(punctuation) is False


@pytest.mark.parametrize(
    "name",
    [
        "Dupont",
        "Le Guérec",
        "N'Diaye",
        "D\u2019Artagnan",
        "Jean-Éric",
        "Zoë",
        "Øyvind",
        "Nguyễn",
        "Müller",
        "Ōtsuka",
        "Ibáñez",
        "Łukasz",
        "Śmigły",
        "Ἀλέξανδρος",
        "Дмитрий",
        "محمد",
        "אברהם",
        "李小龍",
        "กมล",
        "देवनागरी",
        "Saint-Étienne",
        "L'Haÿ-les-Roses",
        unicodedata.normalize("NFD", "Hélène Cléménçeau"),
    ],
)
def test_real_names_and_places_in_many_scripts_are_legal(name):
    assert text.is_legal_name(name) is True


@pytest.mark.parametrize(
    ("name", "faults"),
    [
        ("Jean\nDupont", ("\n",)),
        ("Dupont\u202eroF", ("\u202e",)),
        ("Zo\u200be", ("\u200b",)),
        ("Camille 😀", ("😀",)),
        ("Louis XIV 14", ("1", "4")),
        ("Martin!", ("!",)),
        ("Paris (75)", ("(", "7", "5", ")")),
        ("\u0301Anne", ("\u0301",)),
    ],
)
def test_name_faults_lists_each_fault_once_in_order(name, faults):
    assert text.name_faults(name) == faults


@given(st.text(), controls, st.text())
def test_a_control_character_is_a_single_line_fault(before, control, after):
    assert control in text.single_line_faults(before + control + after)


@given(st.text(), invisibles.filter(lambda char: char not in text.JOINERS), st.text())
def test_invisible_formatting_is_a_single_line_fault(before, invisible, after):
    assert invisible in text.single_line_faults(before + invisible + after)


@given(st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"))))
def test_visible_text_has_no_single_line_fault(value):
    assert text.single_line_faults(value) == ()


@given(st.text())
def test_neutralised_text_has_no_invisible_formatting_or_stray_control(value):
    cleaned = text.neutralise(value)

    assert text.invisible_characters(cleaned, allow_joiners=True) == ()
    assert set(text.control_characters(cleaned)) <= text.LINE_BREAKS_KEPT


@given(
    st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"))) | st.just("a\nb\tc")
)
def test_neutralise_keeps_visible_text_and_line_breaks_as_they_are(value):
    assert text.neutralise(value) == value


@given(st.text())
def test_neutralise_is_idempotent(value):
    assert text.neutralise(text.neutralise(value)) == text.neutralise(value)


def test_neutralise_removes_a_right_to_left_override_and_keeps_joiners():
    assert (
        text.neutralise("Bonjour \u202eevil\u202c\u2028fin \u200d\x00")
        == "Bonjour evil\nfin \u200d"
    )


def test_describe_names_invisible_characters_by_code_point():
    assert [text.describe(char) for char in ("\n", "\u202e", "\u0301", "😀")] == [
        "U+000A",
        "U+202E",
        "U+0301",
        "😀",
    ]
