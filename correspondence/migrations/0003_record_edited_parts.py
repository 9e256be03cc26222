from django.db import migrations, models

EDITED_PARTS_HELP = "Delene med egen tekst; de andre får standardteksten når målformen byttes."


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0002_founding_and_dialogue_meetings"),
    ]

    operations = [
        migrations.AddField(
            model_name="discussionpoint",
            name="default_index",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name="standardpunkt"),
        ),
        # Letters that exist already get None, "not recorded": their parts are compared with the defaults.
        # New letters start with an empty list.
        migrations.AddField(
            model_name="letter",
            name="edited_parts",
            field=models.JSONField(
                blank=True, editable=False, help_text=EDITED_PARTS_HELP, null=True, verbose_name="deler skrevet om"
            ),
        ),
        migrations.AlterField(
            model_name="letter",
            name="edited_parts",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text=EDITED_PARTS_HELP,
                null=True,
                verbose_name="deler skrevet om",
            ),
        ),
    ]
