import datetime

from django.db import migrations, models
from django.db.models import F

import correspondence.models

# organizations.models.INVITATION_VALIDITY when group invitations got their expiry.
VALIDITY = datetime.timedelta(days=14)


def expire_from_sending(apps, schema_editor):
    """Invitations sent before they had an expiry are valid for as long after sending as new ones."""
    GroupInvitation = apps.get_model("correspondence", "GroupInvitation")
    GroupInvitation.objects.update(expires_at=F("created_at") + VALIDITY)


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0005_letter_events_keep_details_as_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupinvitation",
            name="expires_at",
            field=models.DateTimeField(default=correspondence.models._invitation_expiry, verbose_name="gyldig til"),
        ),
        migrations.RunPython(expire_from_sending, migrations.RunPython.noop),
    ]
