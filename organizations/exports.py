"""The registry's CSV export of associations."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.csv_export import csv_response, joined_names


def associations_csv_response(*, associations, filename: str) -> HttpResponse:
    header = [
        _("Navn"),
        _("Organisasjonsnummer"),
        _("Status"),
        _("Bydel"),
        _("Kategorier"),
        _("Målgrupper"),
        _("Aktivitetsspråk"),
        _("Behov"),
        _("Kontakt med kommunen gjennom råd"),
        _("Ingen kontakt med kommunen i dag"),
        _("Antall medlemmer"),
        _("Stiftelsesår"),
        _("Nettsted"),
        _("Offentlig e-post"),
        _("Offentlig telefon"),
        _("Postadresse"),
        _("Kontaktperson"),
        _("Kontaktpersonens e-post"),
        _("Kontaktpersonens telefon"),
        _("Registrert"),
    ]
    rows = (
        [
            a.name,
            a.org_number or "",
            a.get_status_display(),
            a.district.name if a.district else "",
            joined_names(a.categories.all()),
            joined_names(a.target_groups.all()),
            joined_names(a.activity_languages.all()),
            joined_names(a.needs.all()),
            joined_names(a.councils.all()),
            a.no_contact_with_municipality,
            a.member_count,
            a.founded_year,
            a.website,
            a.public_email,
            a.public_phone,
            a.postal_address,
            a.contact_name,
            a.contact_email,
            a.contact_phone,
            timezone.localtime(a.created_at).strftime("%Y-%m-%d"),
        ]
        for a in associations
    )
    return csv_response(filename=filename, header=header, rows=rows)
