"""A default postal tariff so the service works from the first day: placeholders, marked
unconfirmed, for the province to replace in the admin (the postage amounts are the province's
agreement with its post office; docs/postal.md "Fees")."""

import datetime as dt

from django.db import migrations

DEFAULTS = [
    # zone, service, fee (đồng)
    ("same_unit", "pickup", 20000),
    ("same_unit", "delivery", 20000),
    ("same_province", "pickup", 30000),
    ("same_province", "delivery", 30000),
]
NOTE = "Mức mặc định, chưa được tỉnh xác nhận; cập nhật theo thỏa thuận với bưu điện."
SINCE = dt.date(2016, 1, 1)


def seed(apps, schema_editor):
    tariff = apps.get_model("postal", "PostalTariff")
    for zone, service, fee in DEFAULTS:
        tariff.objects.get_or_create(
            zone=zone,
            service=service,
            valid_from=SINCE,
            defaults={"fee_vnd": fee, "confirmed": False, "note": NOTE},
        )


def unseed(apps, schema_editor):
    tariff = apps.get_model("postal", "PostalTariff")
    tariff.objects.filter(valid_from=SINCE, note=NOTE, confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [("postal", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
