"""Each line of a fix-list email keeps its reason's code (issue 11): the email, composed again
for a retry or shown to staff, speaks the candidate's language. Lines sent before get the code
of the campaign's reason their text is; free texts keep no code."""

from django.db import migrations


def reason_codes(campaign_document: dict) -> dict[str, str]:
    codes: dict[str, str] = {}
    for entry in (campaign_document.get("verification") or {}).get("refusal_reasons", []):
        for key in ("text", "text_en"):
            if entry.get(key):
                codes.setdefault(entry[key].strip(), entry["code"])
    return codes


def add_codes(apps, schema_editor):
    FixListNotice = apps.get_model("verification", "FixListNotice")
    Campaign = apps.get_model("campaigns", "Campaign")
    by_campaign: dict[int, dict[str, str]] = {}
    for notice in FixListNotice.objects.select_related("dossier").iterator():
        campaign_id = notice.dossier.campaign_id
        if campaign_id not in by_campaign:
            document = Campaign.objects.values_list("document", flat=True).get(pk=campaign_id)
            by_campaign[campaign_id] = reason_codes(document or {})
        codes = by_campaign[campaign_id]
        items = [
            {**item, "reason_code": codes.get(str(item.get("reason", "")).strip(), "")}
            if "reason_code" not in item
            else item
            for item in notice.items
        ]
        if items != notice.items:
            notice.items = items
            notice.save(update_fields=["items"])


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0004_queue_search_trigram_indexes"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop, elidable=True)]
