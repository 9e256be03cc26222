"""Meetings in more languages and in plain language: the list of languages staff may write a
meeting's information in (site admins keep it; these are the defaults), one translation per
meeting and language, and the plain summary a meeting in klart og enkelt norsk carries."""

import django.core.validators
import django.db.models.deletion
import meetings.languages
from django.db import migrations, models

# (code, name in the language itself, Norwegian name, direction)
DEFAULT_LANGUAGES = [
    ("en", "English", "Engelsk", "ltr"),
    ("pl", "Polski", "Polsk", "ltr"),
    ("uk", "Українська", "Ukrainsk", "ltr"),
    ("ar", "العربية", "Arabisk", "rtl"),
    ("so", "Soomaali", "Somali", "ltr"),
    ("ti", "ትግርኛ", "Tigrinja", "ltr"),
    ("lt", "Lietuvių", "Litauisk", "ltr"),
]


def add_default_languages(apps, schema_editor):
    TranslationLanguage = apps.get_model("meetings", "TranslationLanguage")
    for position, (code, native_name, name, direction) in enumerate(DEFAULT_LANGUAGES):
        TranslationLanguage.objects.get_or_create(
            code=code,
            defaults={"native_name": native_name, "name": name, "direction": direction, "position": position},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_published_at_for_published_meetings'),
    ]

    operations = [
        migrations.CreateModel(
            name='TranslationLanguage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(error_messages={'unique': 'Språket med denne koden finnes allerede i lista.'}, help_text='BCP 47, for eksempel «ar», «uk» eller «pt-BR».', max_length=35, unique=True, validators=[meetings.languages.validate_language_tag], verbose_name='språkkode')),
                ('native_name', models.CharField(help_text='For eksempel «العربية».', max_length=100, verbose_name='navn på språket selv')),
                ('name', models.CharField(max_length=100, verbose_name='navn på norsk')),
                ('direction', models.CharField(choices=[('ltr', 'Venstre mot høyre'), ('rtl', 'Høyre mot venstre')], default='ltr', max_length=3, verbose_name='skriftretning')),
                ('active', models.BooleanField(default=True, help_text='Bare språk i bruk kan velges for nye oversettelser og i kalenderen.', verbose_name='i bruk')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='rekkefølge')),
            ],
            options={
                'verbose_name': 'språk for møteinformasjon',
                'verbose_name_plural': 'språk for møteinformasjon',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.AddField(
            model_name='meeting',
            name='plain_summary',
            field=models.TextField(blank=True, help_text='Kreves når møtet er på klart og enkelt norsk. Korte setninger om hvem møtet er for, hva som skjer, når og hvor, hva det koster og hvordan man melder seg på.', validators=[django.core.validators.MaxLengthValidator(1000)], verbose_name='kort fortalt'),
        ),
        migrations.CreateModel(
            name='MeetingTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='tittel')),
                ('description', models.TextField(blank=True, verbose_name='beskrivelse')),
                ('practical_information', models.TextField(blank=True, help_text='Sted, veibeskrivelse, tilrettelegging og hvordan man melder seg på.', verbose_name='praktisk informasjon')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='opprettet')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='endret')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='meetings.meeting', verbose_name='møte')),
                ('language', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='translations', to='meetings.translationlanguage', verbose_name='språk')),
            ],
            options={
                'verbose_name': 'oversettelse',
                'verbose_name_plural': 'oversettelser',
                'ordering': ['language__position', 'language__name'],
                'constraints': [models.UniqueConstraint(fields=('meeting', 'language'), name='one_translation_per_meeting_and_language', violation_error_message='Møtet har allerede informasjon på dette språket. Endre den i stedet.')],
            },
        ),
        migrations.RunPython(add_default_languages, migrations.RunPython.noop),
    ]
