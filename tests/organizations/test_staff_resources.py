"""The knowledge page for municipal staff: editable texts with plain links, linked from the staff home."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from organizations.models import StaffResource

pytestmark = pytest.mark.django_db


def test_the_defaults_name_the_public_guides_on_volunteering_and_inclusion(client, staff_user):
    client.force_login(staff_user)
    home = client.get(reverse("organizations:staff_home")).content.decode()
    assert reverse("organizations:staff_resources") in home
    page = client.get(reverse("organizations:staff_resources")).content.decode()
    for name in ("Statens frivillighetspolitikk", "Frivillighet Norge", "IMDi", "Frivillighet og mangfold"):
        assert name in page
    links = re.findall(r'href="(https://[^"]+)"', page)
    assert any(link.startswith("https://www.regjeringen.no/") for link in links)
    assert any(link.startswith("https://www.frivillighetnorge.no/") for link in links)
    assert any(link.startswith("https://www.imdi.no/") for link in links)
    # Plain links only: nothing on the page is loaded from another site.
    assert not re.search(r'<(img|script|iframe|link)[^>]+(src|href)="https?://', page)


def test_the_page_is_in_the_readers_language_where_a_translation_is_written(client, staff_user):
    client.force_login(staff_user)
    with translation.override("en"):
        english = client.get(reverse("organizations:staff_resources"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The government&#x27;s volunteering policy" in english
    StaffResource.objects.create(title="Bare bokmål", text="Tekst uten oversettelse.", position=1)
    with translation.override("en"):
        english = client.get(reverse("organizations:staff_resources"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Bare bokmål" in english


def test_admins_edit_hide_and_order_and_text_is_escaped(client, staff_user, site_admin):
    StaffResource.objects.update(published=False)
    StaffResource.objects.create(title="Først <b>her</b>", text="Linje 1\r\nLinje 2 & mer", position=0)
    StaffResource.objects.create(title="Sist", text="Tekst", position=99)
    client.force_login(staff_user)
    page = client.get(reverse("organizations:staff_resources")).content.decode()
    assert "Først &lt;b&gt;her&lt;/b&gt;" in page
    assert "Linje 1<br>Linje 2 &amp; mer" in page
    assert page.index("Først") < page.index("Sist")
    assert "Statens frivillighetspolitikk" not in page
    client.force_login(site_admin)
    resource = StaffResource.objects.get(title="Sist")
    assert client.get(reverse("admin:organizations_staffresource_change", args=[resource.pk])).status_code == 200
    response = client.post(
        reverse("admin:organizations_staffresource_change", args=[resource.pk]),
        {"title": "Sist, endret", "text": "Ny tekst", "url": "ikke en lenke", "position": "5", "published": "on"},
    )
    assert response.status_code == 200
    resource.refresh_from_db()
    assert resource.title == "Sist"
