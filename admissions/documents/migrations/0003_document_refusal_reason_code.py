"""A refused document keeps the code of the campaign list's reason, read in each reader's
language, instead of its French text (issue 11). Existing refusals whose text is one of their
campaign's reasons (in French or English) get its code; other texts were written freely and stay.
"""

from django.db import migrations, models


def reason_codes(campaign_document: dict) -> dict[str, str]:
    """Each reason's French and English text -> its code, from a campaign's loaded file."""
    codes: dict[str, str] = {}
    for entry in (campaign_document.get("verification") or {}).get("refusal_reasons", []):
        for key in ("text", "text_en"):
            if entry.get(key):
                codes.setdefault(entry[key].strip(), entry["code"])
    return codes


def codes_from_texts(apps, schema_editor):
    Document = apps.get_model("documents", "Document")
    Campaign = apps.get_model("campaigns", "Campaign")
    by_campaign: dict[int, dict[str, str]] = {}
    refused = (
        Document.objects.exclude(refusal_reason="")
        .filter(refusal_reason_code="")
        .values_list("pk", "refusal_reason", "dossier__campaign_id")
    )
    for pk, text, campaign_id in refused.iterator():
        if campaign_id not in by_campaign:
            document = Campaign.objects.values_list("document", flat=True).get(pk=campaign_id)
            by_campaign[campaign_id] = reason_codes(document or {})
        code = by_campaign[campaign_id].get(text.strip())
        if code:
            Document.objects.filter(pk=pk).update(refusal_reason_code=code, refusal_reason="")


def texts_from_codes(apps, schema_editor):
    """Back to the French text, what the previous code stored."""
    Document = apps.get_model("documents", "Document")
    Campaign = apps.get_model("campaigns", "Campaign")
    coded = Document.objects.exclude(refusal_reason_code="").values_list(
        "pk", "refusal_reason_code", "dossier__campaign_id"
    )
    for pk, code, campaign_id in coded.iterator():
        document = Campaign.objects.values_list("document", flat=True).get(pk=campaign_id) or {}
        texts = {
            entry["code"]: entry["text"]
            for entry in (document.get("verification") or {}).get("refusal_reasons", [])
        }
        Document.objects.filter(pk=pk).update(
            refusal_reason=texts.get(code, code), refusal_reason_code=""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_add_document_review_details"),
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="refusal_reason_code",
            field=models.CharField(
                blank=True, max_length=64, verbose_name="motif du refus (liste)"
            ),
        ),
        migrations.RunPython(codes_from_texts, texts_from_codes, elidable=True),
    ]
