"""Public now means published_at is set. Meetings made published or held without it (the admin
once let status be edited) get their last change as the publication time, so they stay public.
A cancelled meeting without it may have been a draft, so it stays hidden."""

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    Meeting.objects.filter(status__in=["published", "held"], published_at__isnull=True).update(
        published_at=F("updated_at")
    )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
