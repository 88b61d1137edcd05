import secrets

from django.db import migrations


def give_each_campaign_a_revision(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    for campaign in Campaign.objects.filter(revision=""):
        Campaign.objects.filter(pk=campaign.pk).update(revision=secrets.token_hex(16))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_add_campaign_revision")]

    operations = [migrations.RunPython(give_each_campaign_a_revision, migrations.RunPython.noop)]
