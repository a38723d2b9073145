"""The keyed audit chain: each event names the HMAC key that chained it (empty for the
events chained before, which stay verifiable as unkeyed SHA-256); on PostgreSQL a trigger
refuses UPDATE and DELETE of events (docs/decisions/audit.md)."""

from django.db import migrations, models

from motcua.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticketevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        append_only("hotline_ticketevent"),
    ]
