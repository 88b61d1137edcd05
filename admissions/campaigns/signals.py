"""Every change to a table that Campaign.params() or a page reads with the campaign bumps its revision."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from admissions.campaigns.models import (
    Campaign,
    CampaignExtension,
    ExamDefinition,
    Option,
    Programme,
    School,
    SeatGroup,
    new_revision,
)


def bump_revision(sender, instance, **kwargs) -> None:
    if sender.__name__ == "School":  # shown with every campaign of the school
        Campaign.objects.filter(school=instance).update(revision=new_revision())
        return
    campaign_id = getattr(instance, "campaign_id", None)
    if campaign_id is None and hasattr(instance, "programme"):
        campaign_id = instance.programme.campaign_id
    if campaign_id is not None:
        Campaign.objects.filter(pk=campaign_id).update(revision=new_revision())


def connect() -> None:
    for model in (CampaignExtension, ExamDefinition, Option, Programme, SeatGroup, School):
        post_save.connect(bump_revision, sender=model, dispatch_uid=f"revision-{model.__name__}")
        post_delete.connect(
            bump_revision, sender=model, dispatch_uid=f"revision-del-{model.__name__}"
        )
