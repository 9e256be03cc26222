import csv
import io

import pytest
from django.urls import reverse

from dialog_portal.csv_export import csv_response, safe_csv_cell
from organizations.models import Category
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+47 400 00 000", "'+47 400 00 000"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tskjult", "'\tskjult"),
        ("\rskjult", "'\rskjult"),
        ("Blåbærlaget", "Blåbærlaget"),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_csv_cell(value, cell):
    assert safe_csv_cell(value) == cell


def test_export_is_excel_friendly_and_only_this_municipality(client, staff_user, municipality, other_municipality):
    culture = Category.objects.get(slug="kunst-og-kultur")
    AssociationFactory(
        municipality=municipality,
        name="=cmd|' /C calc'!A0",
        categories=[culture],
        contact_name="Øyvind Ærlig",
        status="pending",
    )
    AssociationFactory(municipality=municipality, name="Åsane seniordans", categories=[culture])
    AssociationFactory(municipality=other_municipality, name="Oslolaget")
    client.force_login(staff_user)
    response = client.get(reverse("organizations:associations_export", args=[municipality.number]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Navn"
    names = [row[0] for row in rows[1:]]
    assert names == ["'=cmd|' /C calc'!A0", "Åsane seniordans"]
    assert "Øyvind Ærlig" in rows[1] and "Kunst og kultur" in rows[1]
    assert "Oslolaget" not in raw.decode("utf-8-sig")


def test_a_csv_file_name_with_norwegian_letters_reaches_the_browser_whole():
    response = csv_response(filename="påmeldinger-Bø i Vesterålen.csv", header=["Navn"], rows=[["Åse"]])
    # RFC 6266: an ASCII fallback is not enough; the UTF-8 name goes in filename*.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''p%C3%A5meldinger-B%C3%B8%20i%20Vester%C3%A5len.csv"
    )
