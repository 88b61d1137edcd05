"""Fill OutboundEmail.dossier for the emails queued before the column existed, from their keys:
receipt:<dossier>, dossier-reminder:<reminder>, referee:<referee>:..., support-message:<message>,
payment-decision:<payment>. Account emails concern no dossier and stay empty."""

from django.db import migrations


def owner_ids(apps, model: str, pks: set[int]) -> dict[int, int]:
    app_label, name = model.split(".")
    rows = apps.get_model(app_label, name).objects.filter(pk__in=pks)
    return dict(rows.values_list("pk", "dossier_id"))


# key prefix -> the model whose row the key names ("" for the dossier itself)
SOURCES = {
    "receipt": "",
    "dossier-reminder": "dossiers.DossierReminder",
    "referee": "referees.Referee",
    "support-message": "support.Message",
    "payment-decision": "payments.Payment",
}


def forward(apps, schema_editor):
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    Dossier = apps.get_model("dossiers", "Dossier")
    wanted: dict[str, dict[int, list[int]]] = {prefix: {} for prefix in SOURCES}
    for email_id, key in OutboundEmail.objects.filter(dossier__isnull=True).values_list(
        "pk", "key"
    ):
        prefix, _sep, rest = key.partition(":")
        number = rest.split(":")[0]
        if prefix in wanted and number.isdigit():
            wanted[prefix].setdefault(int(number), []).append(email_id)
    for prefix, by_source in wanted.items():
        if not by_source:
            continue
        if SOURCES[prefix]:
            dossiers = owner_ids(apps, SOURCES[prefix], set(by_source))
        else:
            existing = Dossier.objects.filter(pk__in=set(by_source)).values_list("pk", flat=True)
            dossiers = {pk: pk for pk in existing}
        for source_id, email_ids in by_source.items():
            dossier_id = dossiers.get(source_id)
            if dossier_id is not None:
                OutboundEmail.objects.filter(pk__in=email_ids).update(dossier_id=dossier_id)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_add_outbound_email_dossier_and_body"),
        # Only the tables the keys name (and their dossier column), so that rolling back a later
        # migration of those apps (a migration test) leaves the outbox's columns alone.
        ("dossiers", "0002_add_dossier_reminder"),
        ("referees", "0001_initial"),
        ("support", "0001_initial"),
        ("payments", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
