"""Someone who took over an association co-signs in its name only once the municipality approved it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from correspondence import services
from correspondence.domain import cosign_refusal
from correspondence.selectors import letters_open_for_signing, signable_associations
from dialog_portal.permissions import can
from organizations import services as organization_services
from tests.accounts.factories import UserFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(municipality):
    """A verified association nobody ran, taken over by a stranger."""
    association = AssociationFactory(municipality=municipality, name="Skogly skiklubb", status="verified")
    stranger = UserFactory(full_name="Sigurd Fremmed")
    organization_services.association_claim(association=association, user=stranger, reason="Jeg er leder.")
    association.refresh_from_db()
    return stranger, association


def test_claimant_cannot_cosign_until_staff_approve(client, letter, group_leader, claimed, staff_user):
    stranger, association = claimed
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)

    assert cosign_refusal(stranger, letter, association) is not None
    assert not can(stranger, "correspondence.cosign_letter", letter)
    assert not signable_associations(user=stranger, letter=letter).exists()
    assert not letters_open_for_signing(user=stranger).exists()
    with pytest.raises(PermissionDenied):
        services.letter_sign(letter=letter, association=association, user=stranger)
    client.force_login(stranger)
    response = client.post(reverse("correspondence:letter_sign", args=[letter.pk]), {"association": association.pk})
    # A letter still collecting is shown only to admins of approved associations: to the claimant
    # it does not exist yet.
    assert response.status_code == 404
    assert not letter.signatures.exists()

    organization_services.association_verify(association=association, by=staff_user)
    association.refresh_from_db()
    assert can(stranger, "correspondence.cosign_letter", letter)
    assert list(signable_associations(user=stranger, letter=letter)) == [association]
    signing = {"association": association.pk, "signer_name": "Kari Nordmann", "signer_role": "styreleder"}
    response = client.post(reverse("correspondence:letter_sign", args=[letter.pk]), signing)
    assert response.status_code == 302
    assert [s.association for s in letter.signatures.all()] == [association]


def test_an_open_claim_blocks_cosigning_even_on_a_verified_association(letter, group_leader, claimed):
    stranger, association = claimed
    association.status = "verified"
    association.save(update_fields=["status"])
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    assert cosign_refusal(stranger, letter, association) == (
        "Kommunen har ikke godkjent at laget er tatt over ennå. Til da kan ingen skrive under for det."
    )
    assert not signable_associations(user=stranger, letter=letter).exists()
