"""Staff preview every email template in French and English, from made-up data (R8.2)."""

from __future__ import annotations

import pytest

from admissions.dossiers.models import Dossier
from admissions.notifications.models import OutboundEmail
from admissions.notifications.previews import SAMPLE_EMAIL, preview
from admissions.notifications.services import COMPOSERS, PREVIEWS

pytestmark = pytest.mark.django_db


def test_every_kind_that_can_be_sent_has_a_preview():
    assert set(PREVIEWS) == set(COMPOSERS)


@pytest.mark.parametrize("kind", sorted(COMPOSERS))
def test_every_kind_previews_in_french_and_english(kind, reference_campaign):
    french = preview(kind, "fr", campaign=reference_campaign)
    english = preview(kind, "en", campaign=reference_campaign)

    assert len(french) == len(english) >= 1
    for fr, en in zip(french, english, strict=True):
        assert fr.subject != en.subject  # each language has its own words
        assert fr.body.strip() != ""
        assert en.body.strip() != ""
    assert Dossier.objects.count() == 0  # nothing made up is saved
    assert OutboundEmail.objects.count() == 0


def test_previews_use_made_up_people_only(reference_campaign):
    receipt = preview(OutboundEmail.Kind.RECEIPT, "en", campaign=reference_campaign)[0]

    assert receipt.to == SAMPLE_EMAIL
    assert receipt.body.splitlines()[0] == "Dear Camille Exemple,"
    assert receipt.attachments == ("accuse-reception-EXEMPLE-0001.pdf",)
