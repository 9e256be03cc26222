"""The default lists site admins start from.

Categories follow the ICNPO-based groups used by Frivillighetsregisteret, plus the kinds of
associations the municipality's meeting places are meant to reach.
"""

from django.db import migrations

CATEGORIES = [
    ("kunst-og-kultur", "Kunst og kultur", "Arts and culture"),
    ("idrett", "Idrett", "Sports"),
    ("rekreasjon-og-sosiale-foreninger", "Rekreasjon og sosiale foreninger", "Recreation and social clubs"),
    ("utdanning-og-opplaering", "Utdanning og opplæring", "Education and training"),
    ("helse-omsorg-og-redning", "Helse, omsorg og redning", "Health, care and rescue"),
    ("sosiale-tjenester", "Sosiale tjenester", "Social services"),
    ("natur-miljo-og-dyrevern", "Natur, miljø og dyrevern", "Nature, environment and animal welfare"),
    ("lokalsamfunn-og-velforeninger", "Lokalsamfunn og velforeninger", "Local community and residents' associations"),
    ("interesse-og-politiske-organisasjoner", "Interesse- og politiske organisasjoner", "Interest and political organisations"),
    ("tro-og-livssyn", "Tro og livssyn", "Religion and belief"),
    ("internasjonale-organisasjoner", "Internasjonale organisasjoner", "International organisations"),
    ("barn-og-unge", "Barn og unge", "Children and youth"),
    (
        "mangfold-inkludering-og-innvandrerorganisasjoner",
        "Mangfold, inkludering og innvandrerorganisasjoner",
        "Diversity, inclusion and immigrant organisations",
    ),
    ("frivilligsentraler", "Frivilligsentraler", "Volunteer centres"),
    ("andre", "Andre", "Other"),
]
TARGET_GROUPS = [
    ("barn", "Barn", "Children"),
    ("ungdom", "Ungdom", "Youth"),
    ("voksne", "Voksne", "Adults"),
    ("seniorer", "Seniorer", "Seniors"),
    ("nyankomne", "Nyankomne", "Newcomers"),
    ("personer-med-funksjonsnedsettelse", "Personer med funksjonsnedsettelse", "People with disabilities"),
    ("alle", "Alle", "Everyone"),
]
NEEDS = [
    ("rekruttering", "Rekruttere medlemmer", "Recruiting members"),
    ("okonomi", "Økonomi", "Finances"),
    ("synlighet", "Synlighet", "Visibility"),
    ("lokaler", "Lokaler", "Premises"),
    ("samarbeid-med-kommunen", "Samarbeid med kommunen", "Cooperation with the municipality"),
    ("annet", "Annet", "Other"),
]
COUNCILS = [
    ("eldreradet", "Eldrerådet", "Council for the elderly"),
    ("ungdomsradet", "Ungdomsrådet", "Youth council"),
    (
        "rad-for-personer-med-funksjonsnedsettelse",
        "Rådet for personer med funksjonsnedsettelse",
        "Council for people with disabilities",
    ),
    ("idrettsradet", "Idrettsrådet", "Sports council"),
    ("kulturradet", "Kulturrådet", "Culture council"),
    ("innvandrerradet", "Innvandrerrådet eller flerkulturelt råd", "Immigrant or multicultural council"),
    ("frivillighetsradet", "Frivillighetsrådet", "Volunteering council"),
]
LANGUAGES = [
    ("nb", "Norsk", "Norwegian"),
    ("se", "Nordsamisk", "Northern Sami"),
    ("nsi", "Norsk tegnspråk", "Norwegian Sign Language"),
    ("en", "Engelsk", "English"),
    ("pl", "Polsk", "Polish"),
    ("lt", "Litauisk", "Lithuanian"),
    ("uk", "Ukrainsk", "Ukrainian"),
    ("ar", "Arabisk", "Arabic"),
    ("so", "Somali", "Somali"),
    ("ti", "Tigrinja", "Tigrinya"),
    ("fa", "Persisk", "Persian"),
    ("ur", "Urdu", "Urdu"),
    ("tr", "Tyrkisk", "Turkish"),
    ("ta", "Tamil", "Tamil"),
    ("vi", "Vietnamesisk", "Vietnamese"),
    ("es", "Spansk", "Spanish"),
    ("de", "Tysk", "German"),
    ("sv", "Svensk", "Swedish"),
]

LISTS = {
    "Category": CATEGORIES,
    "TargetGroup": TARGET_GROUPS,
    "Need": NEEDS,
    "Council": COUNCILS,
    "Language": LANGUAGES,
}


def add_terms(apps, schema_editor):
    for model_name, rows in LISTS.items():
        model = apps.get_model("organizations", model_name)
        for position, (slug, name, name_en) in enumerate(rows, start=1):
            model.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "position": position})


def remove_terms(apps, schema_editor):
    for model_name, rows in LISTS.items():
        apps.get_model("organizations", model_name).objects.filter(slug__in=[slug for slug, *_ in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_registry")]

    operations = [migrations.RunPython(add_terms, remove_terms)]
