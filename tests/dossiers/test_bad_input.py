"""R9.4: whatever a candidate's browser posts, no dossier page answers with a server error."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admissions.dossiers.models import Dossier
from tests.dossiers.helpers import IN_WINDOW

pytestmark = pytest.mark.django_db

PAGES = [
    "identite",
    "statut",
    "formations",
    "parcours",
    "experience",
    "frais",
    "depot",
    "recommandations",
    "messages",
]
FIELDS = [
    "civility",
    "last_name",
    "first_name",
    "birth_date",
    "birth_place",
    "nationality",
    "phone",
    "address",
    "postal_code",
    "city",
    "country",
    "status_sought",
    "technician_experience_years",
    "employer_agreement",
    "options",
    "notice_acknowledged",
    "diplomas-TOTAL_FORMS",
    "diplomas-INITIAL_FORMS",
    "diplomas-0-type",
    "diplomas-0-year",
    "diplomas-0-obtained_on",
    "experiences-TOTAL_FORMS",
    "experiences-0-started_on",
    "scholarship",
    "scholarship_claimed",
    "payment",
    "reference",
    "action",
    "kind",
    "name",
    "email",
    "body",
]
junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "9" * 30,
            "2021-02-30",
            "FR",
            "ZZ",
            "apprentissage",
            "on",
            "SENMBA",
            "\x00",
            "1e309",
        ]
    ),
)


@pytest.fixture
def candidate_client(client, accounts_by_role, reference_campaign, settings):
    settings.CLOCK_AT = IN_WINDOW.isoformat()
    client.force_login(accounts_by_role["candidate"])
    return client


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=st.sampled_from(PAGES), data=st.dictionaries(st.sampled_from(FIELDS), junk, max_size=8))
def test_no_page_answers_junk_with_a_server_error(candidate_client, page, data):
    path = (
        reverse("support:candidate")
        if page == "messages"
        else reverse("dossiers:page", args=[page])
    )

    response = candidate_client.post(path, data)

    assert response.status_code < 500


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.one_of(
        st.sampled_from(["photo", "cv", "identity_card", "passport", "visa", "nope"]),
        st.text(min_size=1, max_size=20).filter(lambda c: "/" not in c),
    ),
    content=st.binary(max_size=2048),
)
def test_no_upload_answers_junk_with_a_server_error(candidate_client, code, content):
    response = candidate_client.post(
        reverse("dossiers:upload", args=[code]),
        {"file": SimpleUploadedFile("x.pdf", content, "application/pdf")},
    )

    assert response.status_code < 500
    assert Dossier.objects.count() <= 1
